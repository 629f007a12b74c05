"""``python -m lagesbild``: the command line."""

from lagesbild.cli import main

raise SystemExit(main())
