"""Root pytest configuration: files that must not be imported by doctest collection."""

collect_ignore = ["lagesbild/__main__.py", "app.py", "lagesbild/web/wsgi.py"]
