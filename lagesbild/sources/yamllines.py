"""YAML loaders with limits, and one that remembers line numbers so a bad value is reported at its line.

Every YAML file a user gives (action plans, mapping files) is read with :func:`load_yaml`, whose loaders
refuse what a hostile or broken file could do to the process: nesting deeper than :data:`MAX_DEPTH`
levels (PyYAML composes recursively), more than :data:`MAX_ALIASES` aliases, and aliases that expand the
document to more than :data:`MAX_EXPANDED_NODES` nodes (the "billion laughs" alias bomb, which would
otherwise hang every consumer that walks the data).

Examples
--------
>>> load_yaml("a: [1, 2]\\n", "plan.yaml")
{'a': [1, 2]}
>>> bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n" + "".join(
...     f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\\n" for p, c in zip("abcdef", "bcdefg"))
>>> try:
...     load_yaml(bomb, "plan.yaml")
... except InputError as exc:
...     print(exc.reason)
filen kan inte läsas in: rad 5, tecken 4: hänvisningarna (*namn) gör filen större än 100 000 värden
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode
from yaml.resolver import Resolver

from lagesbild.errors import InputError, RowError, library_reason, message_reasons

#: deepest nesting of lists and mappings accepted (an action plan needs about six)
MAX_DEPTH = 40
#: most aliases (``*name``) accepted in one file
MAX_ALIASES = 200
#: most nodes (values, lists, mappings) in a document with every alias expanded
MAX_EXPANDED_NODES = 100_000
#: most characters of text (values and keys) in a document with every alias expanded: sixty aliases
#: of a 2 MB text in a 2 MB file were 370 MB in the store and 1 GB in memory
MAX_EXPANDED_CHARS = 20_000_000

#: the problems PyYAML and libyaml report, as Swedish text (matched at the start of the problem, else of
#: its context); any other problem gets :data:`YAML_FALLBACK`, so no English reaches a user
PROBLEMS_SV = {
    "mapping values are not allowed": "ett kolon (namn: värde) på en plats där det inte är tillåtet",
    "could not find expected ':'": "ett kolon (:) saknas",
    "found character '\\t' that cannot start any token": "tabbtecken får inte användas för indrag",
    "found a tab character": "tabbtecken får inte användas för indrag",
    "found character that cannot start any token":
        "ett tecken som inte kan inleda ett värde (t.ex. ett tabbtecken i indraget, @ eller `)",
    "found undefined alias": "hänvisningen (*namn) saknar ett ankare (&namn)",
    "did not find expected key": "ett namn (nyckel) väntades här; kontrollera indraget",
    "did not find expected node content": "ett värde saknas",
    "did not find expected '-' indicator": "ett listelement (-) väntades; kontrollera indraget",
    "did not find expected ',' or ']'": "ett kommatecken eller ] saknas",
    "did not find expected ',' or '}'": "ett kommatecken eller }} saknas",
    "did not find expected <document start>": "fel indrag, eller text efter dokumentets slut",
    "did not find expected alphabetic or numeric character":
        "ett namn efter & eller * får bara ha bokstäver och siffror",
    "did not find the expected '>'": "en typmarkering (!<…>) saknar sitt avslutande >",
    "found unexpected end of stream": "filen tar slut mitt i ett värde",
    "found unexpected ':'": "ett oväntat kolon",
    "found duplicate anchor": "samma ankare (&namn) finns två gånger",
    "found unknown escape character": "okänd escape-sekvens i en sträng",
    "found undefined tag handle": "okänd typmarkering (!namn!)",
    "found duplicate %YAML directive": "direktivet %YAML finns två gånger",
    "found incompatible YAML document": "YAML-versionen stöds inte",
    "found unhashable key": "en nyckel kan inte vara en lista eller en uppsättning fält",
    "block sequence entries are not allowed": "ett listelement (-) på en plats där det inte är tillåtet",
    "control characters are not allowed": "otillåtet styrtecken",
    "could not determine a constructor for the tag": "okänd typmarkering (!namn); ta bort den",
    "expected a single document": "filen har flera dokument (---); den ska ha ett",
    "expected a mapping or list of mappings for merging":
        "<< ska följas av en hänvisning (*namn) till en uppsättning fält",
    "expected <block end>, but found": "fel indrag",
    "found unconstructable recursive node": "en hänvisning (*namn) pekar på värdet den själv står i",
    "found invalid Unicode character escape code": "ogiltig \\u-kod i en sträng (t.ex. ett halvt surrogatpar)",
}
YAML_FALLBACK = "YAML-texten kan inte tolkas här"
YAML_REASONS = message_reasons(PROBLEMS_SV)


class YamlLimitError(ComposerError):
    """A YAML document the loader refuses, with a Swedish reason: beyond its limits (depth, aliases,
    expanded size, digits) or ambiguous (a key given twice, a list as a key)."""


if yaml.__with_libyaml__:  # libyaml scans and parses (fast); PyYAML's composer below counts nodes
    from yaml.cyaml import CParser as _Parser

    class _Base(_Parser, Composer, SafeConstructor, Resolver):
        check_node = Composer.check_node
        get_node = Composer.get_node
        get_single_node = Composer.get_single_node

        def __init__(self, stream):
            _Parser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader


class LimitedLoader(_Base):
    """A safe loader that refuses deep nesting, many aliases and alias expansion bombs."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._nodes = 0
        self._weights: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, characters) expanded

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YamlLimitError(None, None, f"fler än {MAX_ALIASES} hänvisningar (*namn) i filen",
                                     self.peek_event().start_mark)
        self._nodes += 1
        if self._nodes > MAX_EXPANDED_NODES:  # a long flat file is refused while it is read
            raise YamlLimitError(None, None, f"filen har fler än {MAX_EXPANDED_NODES:,} värden"
                                 .replace(",", "\u00a0"), self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlLimitError(None, None, f"värdena är nästlade i mer än {MAX_DEPTH} nivåer",
                                     self.peek_event().start_mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._weigh(node)
        return node

    def construct_mapping(self, node, deep=False):
        refuse_duplicate_keys(self, node)
        return super().construct_mapping(node, deep=deep)

    def _weigh(self, node) -> None:
        """Record the node's size with aliases expanded (nodes and characters of text); refuse a
        document that grows too large."""
        if id(node) in self._weights:
            return
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        sizes = [self._weights.get(id(c), (1, len(c.value) if isinstance(c.value, str) else 0))
                 for c in children]
        weight = 1 + sum(n for n, _ in sizes)
        chars = (len(node.value) if isinstance(node.value, str) else 0) + sum(c for _, c in sizes)
        if weight > MAX_EXPANDED_NODES:
            raise YamlLimitError(None, None, "hänvisningarna (*namn) gör filen större än "
                                 f"{MAX_EXPANDED_NODES:,} värden".replace(",", "\u00a0"),
                                 node.start_mark)
        if chars > MAX_EXPANDED_CHARS:
            what = "hänvisningarna (*namn) gör filens texter" if self._aliases else "filens texter är"
            raise YamlLimitError(None, None, f"{what} längre än {MAX_EXPANDED_CHARS:,} tecken"
                                 .replace(",", "\u00a0"), node.start_mark)
        self._weights[id(node)] = (weight, chars)


#: YAML 1.2's core schema for plain numbers and booleans. PyYAML follows YAML 1.1, where ``18:30`` is
#: the number 1110 (base 60), ``0123`` the octal 83, ``1_000`` a thousand and ``no`` false: an action
#: plan's "mötesfrekvens: 18:30" or "id: 0123" changed. Those stay text here (a number with a leading
#: zero too: YAML 1.2 would read 0123 as 123, and an id is not a number).
CORE_SCHEMA = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$|^0o[0-7]+$|^0x[0-9a-fA-F]+$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"
     r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$", list("-+.0123456789")),
)


def _core_schema(loader) -> None:
    """Give ``loader`` :data:`CORE_SCHEMA`'s plain numbers and booleans instead of YAML 1.1's.

    Examples
    --------
    >>> load_yaml("a: 18:30\\nb: 0123\\nc: 1_000\\nd: no\\ne: 12\\nf: 2.5\\ng: true\\nh: 0x1F\\n", "plan.yaml")
    {'a': '18:30', 'b': '0123', 'c': '1_000', 'd': 'no', 'e': 12, 'f': 2.5, 'g': True, 'h': 31}
    """
    drop = {tag for tag, _, _ in CORE_SCHEMA}
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in drop]
        for first, resolvers in loader.yaml_implicit_resolvers.items()}
    for tag, pattern, first in CORE_SCHEMA:
        loader.add_implicit_resolver(tag, re.compile(pattern), first)


_core_schema(LimitedLoader)


def refuse_duplicate_keys(loader: SafeConstructor, node: MappingNode) -> None:
    """Refuse a mapping that names a key twice (YAML would keep only the last value, silently).

    A key from a merge (``<<: *base``) may be given again: that is how a merge is overridden.
    """
    seen: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        try:
            first = seen.get(key)
            seen.setdefault(key, key_node.start_mark.line + 1)
        except TypeError:  # a list as a key is refused when the mapping is built
            continue
        if first is not None:
            raise YamlLimitError(None, None, f"nyckeln \"{key}\" finns två gånger (även på rad {first}); "
                                 "bara en av dem skulle läsas", key_node.start_mark)


def _construct_int(loader: LimitedLoader, node: yaml.ScalarNode) -> int:
    # Python refuses to turn a text of more than 4300 digits into an int (a guard against slow parsing)
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        raise YamlLimitError(None, None, "talet har för många siffror", node.start_mark) from None


def _refuse_tag(loader: LimitedLoader, node: yaml.Node):
    # !!binary gave bytes (stored as the text "b'…'"), !!set/!!omap/!!pairs Python objects no reader takes
    short = "!!" + node.tag.rsplit(":", 1)[-1]
    raise YamlLimitError(None, None, f"typmarkeringen {short} kan inte användas här; ta bort den",
                         node.start_mark)


LimitedLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("binary", "set", "omap", "pairs"):
    LimitedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key (1-based)."""

    line: int | None = None
    key_lines: dict

    def __init__(self, *args, line: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.key_lines = line, {}


class LineLoader(LimitedLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    refuse_duplicate_keys(loader, node)
    loader.flatten_mapping(node)
    result = LineDict(line=node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise YamlLimitError(None, None, "en nyckel kan inte vara en lista", key_node.start_mark) \
                from None
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> list:
    # built at once (not as a generator) so that a list containing itself is a YAML error
    return [loader.construct_object(child, deep=True) for child in node.value]


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> object:
    # an impossible date such as 2020-02-30 stays text, to be rejected with its line like other dates
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def yaml_error(exc: Exception, name: str, text: str) -> InputError:
    """A Swedish :class:`InputError` with line and column for a PyYAML error."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        reason = f"otillåtet tecken U+{exc.character:04X}" if isinstance(exc.character, int) else \
            "otillåtet tecken"
    else:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        problem = str(getattr(exc, "problem", None) or exc)
        reason = problem if isinstance(exc, YamlLimitError) else _swedish(exc)
        if line is not None and _character_at(text, line, column) == "\t":
            reason = "tabbtecken får inte användas för indrag"
    where = f"rad {line}, tecken {column}: " if line is not None else ""
    row = RowError(name, line, None, None, reason if column is None else f"{reason} (tecken {column})")
    verb = "kan inte läsas in" if isinstance(exc, YamlLimitError) else "är inte giltig YAML"
    return InputError(name, f"filen {verb}: {where}{reason}", [row])


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line)
    return lines[line - 1][column - 1:column] if len(lines) >= line else ""


def _swedish(exc: yaml.YAMLError) -> str:
    """The Swedish reason for PyYAML's or libyaml's problem (or, failing that, its context)."""
    for text in (getattr(exc, "problem", None), getattr(exc, "context", None)):
        reason = library_reason(str(text or ""), YAML_REASONS, default="")
        if text and reason:
            return reason
    return YAML_FALLBACK


def load_yaml(text: str, name: str, loader=LimitedLoader):
    """Parse YAML text with a limited loader; every problem becomes a Swedish :class:`InputError`."""
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, name, text) from None
    except RecursionError:
        raise InputError(name, "filen är nästlad för djupt för att läsas") from None
