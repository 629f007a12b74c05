"""The command line shows the libraries' warnings about the input, not those about their own future.

A pack printed pandas' FutureWarning about concatenating empty frames to the user (meet's "noticed"):
words about a future pandas, in English, after a pack that was fine. Such warnings go to the log;
a warning about the input (openpyxl's unreadable date cell) is still shown after the output.
"""

from __future__ import annotations

import io
import logging
import warnings

import pytest

from lagesbild.cli import _print_warnings
from lagesbild.logconfig import configure_logging


def _caught(*items):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for category, text in items:
            warnings.warn(text, category, stacklevel=1)
    return caught


@pytest.fixture
def cli_log():
    """The lagesbild logger as the CLI sets it up (``configure_logging``), at DEBUG into a buffer; the
    logger's earlier state is put back afterwards."""
    logger = logging.getLogger("lagesbild")
    saved = logger.level, list(logger.handlers), logger.propagate
    buffer = io.StringIO()
    configure_logging("DEBUG", stream=buffer)
    yield buffer
    logger.setLevel(saved[0])
    logger.handlers[:] = saved[1]
    logger.propagate = saved[2]


def test_future_warnings_are_logged_input_warnings_shown(capsys, cli_log):
    caught = _caught((FutureWarning, "The behavior of DataFrame concatenation with empty entries"),
                     (UserWarning, "Cell E4 is marked as a date but the serial value is outside the limits"))
    _print_warnings(caught)
    err = capsys.readouterr().err
    assert "Cell E4" in err and "concatenation" not in err
    assert "concatenation" in cli_log.getvalue()


def test_nothing_is_printed_for_future_warnings_alone(capsys, cli_log):
    _print_warnings(_caught((DeprecationWarning, "old API"), (FutureWarning, "new default")))
    assert capsys.readouterr().err == ""
