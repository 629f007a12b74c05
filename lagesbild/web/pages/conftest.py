"""Page modules call ``dash.register_page`` and are imported by Dash when an app is created
(``lagesbild.web.create_app``); doctest collection must not import them on its own."""

collect_ignore_glob = ["*.py"]
