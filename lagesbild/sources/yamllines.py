"""A YAML loader that remembers line numbers, so that a bad value is reported at its line."""

from __future__ import annotations

import yaml


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key (1-based)."""

    line: int | None = None
    key_lines: dict

    def __init__(self, *args, line: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.key_lines = line, {}


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict(line=node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "en nyckel kan inte vara en lista",
                                                    key_node.start_mark)
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
