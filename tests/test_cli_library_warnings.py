"""The command line shows the libraries' warnings about the input, not those about their own future.

A pack printed pandas' FutureWarning about concatenating empty frames to the user (meet's "noticed"):
words about a future pandas, in English, after a pack that was fine. Such warnings go to the log;
a warning about the input (openpyxl's unreadable date cell) is still shown after the output.
"""

from __future__ import annotations

import warnings

from lagesbild.cli import _print_warnings


def _caught(*items):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for category, text in items:
            warnings.warn(text, category, stacklevel=1)
    return caught


def test_future_warnings_are_logged_input_warnings_shown(capsys, caplog):
    caught = _caught((FutureWarning, "The behavior of DataFrame concatenation with empty entries"),
                     (UserWarning, "Cell E4 is marked as a date but the serial value is outside the limits"))
    with caplog.at_level("DEBUG", logger="lagesbild.cli"):
        _print_warnings(caught)
    err = capsys.readouterr().err
    assert "Cell E4" in err and "concatenation" not in err
    assert "concatenation" in caplog.text


def test_nothing_is_printed_for_future_warnings_alone(capsys):
    _print_warnings(_caught((DeprecationWarning, "old API"), (FutureWarning, "new default")))
    assert capsys.readouterr().err == ""
