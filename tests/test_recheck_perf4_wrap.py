"""``fit.wrap`` finds the words that fit a line by halving (issue 10, fewer measurements per change of
place): its lines must be those of the word-by-word fill it replaced (``fit._greedy``, the old loop
kept for other measures), for real titles, subtitles and source lines and random ones, at widths from
narrower than a word to wider than the text, in both weights and with the least width."""

from __future__ import annotations

import random

import pytest

from lagesbild.figures import fit

TEXTS = [
    "Plats 006 · sep 2019–aug 2023 · tunn linje: per månad, tjock: rullande 12 mån (snitt per månad)",
    "Källa: Polisen, anmälda brott; bearbetning SDF Vällingby, data t.o.m. 31 aug 2023 – FIKTIVA DEMODATA",
    "Skärholmen centrum · 2019–2020 till 2022–2023 · ▲/▼ = andelen har ändrats, statistiskt säkerställt",
    "Inget att visa: ingen trygghetsmätning<br><br>andra stycket &amp; <b>fet</b> text",
    "Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww i iiii T. Y. AV AW Ty",
    "", "   ", "ett",
]


def _random_texts(n: int) -> list[str]:
    rng = random.Random(10)
    words = " ".join(TEXTS).split()
    out = []
    for _ in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.3:
            text += "<br>" + " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        out.append(text)
    return out


@pytest.mark.parametrize("bold", [False, True])
def test_lines_as_word_by_word(bold):
    for text in TEXTS + _random_texts(300):
        for width in (1, 30, 61.5, 120, 180, 250, 333.3, 605, 900, 5000):
            for size in (9, 11, 14, 18):
                expected = fit._greedy(text, width, size, bold, fit.line_px)
                assert fit.wrap(text, width, size, bold, least=0) == expected, (text, width, size)
            # the least width (180 px) holds as before
            assert fit.wrap(text, width, 11, bold) == fit._greedy(text, max(width, fit.MIN_TEXT_PX), 11, bold,
                                                                  fit.line_px)


def test_a_line_never_wider_than_the_width_unless_one_word():
    for text in _random_texts(200):
        for width in (60, 200, 420):
            for line in fit.wrap(text, width, 11, least=0).split("<br>"):
                assert " " not in line or fit.line_px(line, 11) <= width
