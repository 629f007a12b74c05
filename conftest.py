"""Root pytest configuration: files that must not be imported by doctest collection, and the fixture
modules shared by the test modules (so no test module imports a fixture by name)."""

collect_ignore = ["lagesbild/__main__.py", "app.py", "lagesbild/web/wsgi.py"]

pytest_plugins = ["tests.fixtures_sources", "tests.e2e_support"]
