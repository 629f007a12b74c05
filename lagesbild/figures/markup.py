"""User-supplied text in plotly's texts: drawn as written, never read as markup.

Plotly draws every text it is given (titles, subtitles, legend names, hover texts, tick labels,
annotations, text labels) through its own small HTML: ``<b>``, ``<i>``, ``<br>``, ``<sup>``, ``<sub>``,
``<span style>``, ``<a href>`` and entities (``&amp;``, ``&lt;``, ``&#233;``). A place named in a places
file, a category, an activity or a survey question is text a user wrote, so every figure function puts
it into a plotly text through :func:`plain` where it enters, and the figure's own markup (the bold title,
its ``<br>`` line breaks, its ``<b>`` numbers in a hover) is added around the escaped text.

:func:`literal` undoes :func:`plain` (and reads the other entities plotly decodes) for measuring a text's
width (:mod:`lagesbild.figures.fit`: an entity is one character as drawn) and for the plain text a page
shows instead of a chart.

Examples
--------
>>> name = 'Hökarängen <b>&amp; "torg"</b>'
>>> plain(name)
'Hökarängen &lt;b&gt;&amp;amp; "torg"&lt;/b&gt;'
>>> literal(plain(name)) == name
True
>>> f"<b>{plain('A<B')}</b>"
'<b>A&lt;B</b>'
"""

from __future__ import annotations

import re

#: the characters plotly reads as markup, and what they are written as to be drawn as themselves
ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
#: the named entities plotly.js decodes (svg_text_utils' entityToUnicode) and the numbered ones
NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "times": "×", "plusmn": "±",
         "deg": "°", "quot": '"', "apos": "'", "#39": "'"}
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def plain(text) -> str:
    """``text`` (a user's name, as a string; None is ``""``) with ``&``, ``<`` and ``>`` written as
    entities, so plotly draws it as written.

    Examples
    --------
    >>> plain("Vårberg & Skärholmen")
    'Vårberg &amp; Skärholmen'
    >>> plain(None)
    ''
    """
    if text is None:
        return ""
    text = str(text)
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    for char, entity in ESCAPES:
        text = text.replace(char, entity)
    return text


def plain_all(texts) -> list[str]:
    """:func:`plain` of each text of ``texts`` (a list, a Series, any iterable).

    Examples
    --------
    >>> plain_all(["a<b", "c"])
    ['a&lt;b', 'c']
    """
    return [plain(t) for t in texts]


def _decode(match: re.Match) -> str:
    key = match.group(1)
    if key in NAMED:
        return NAMED[key]
    if key.startswith("#"):
        try:
            code = int(key[2:], 16) if key[1:2] in ("x", "X") else int(key[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)
    return match.group(0)


def literal(text) -> str:
    """The characters plotly draws for a text without tags: its entities decoded (the inverse of
    :func:`plain`).

    Examples
    --------
    >>> literal("Vårberg &amp; Skärholmen &lt;b&gt; &#233; &okänd;")
    'Vårberg & Skärholmen <b> é &okänd;'
    """
    text = str(text)
    return ENTITY.sub(_decode, text) if "&" in text else text
