"""Seed YAML with line numbers: a safe loader that remembers where each value stands."""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from graph.errors import SeedError

DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A line of YAML structure inside a quoted string: the quote was not closed where it should be.
SWALLOWED_KEY = re.compile(r"\n\s*(- )?[\w-]+:(\s|$)")


class LineDict(dict):
    """A mapping from YAML that remembers its own line and the line of each value (1-based)."""

    line: int = 0
    value_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """Safe loader whose mappings are LineDicts; dates stay strings (the form is the precision)
    and must name a real day."""


# libyaml's parser when PyYAML was built with it (PyPI's wheels are): several times faster on
# seeds. Its syntax errors are worded differently, so a file it refuses is read again by _Loader,
# whose messages the curator sees.
class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """_Loader on libyaml."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.value_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise SeedError("", key_node.start_mark.line + 1, f"duplicate key {key!r}")
        value = loader.construct_object(value_node, deep=True)
        line = value_node.start_mark.line + 1
        why = date_problem(value) if isinstance(value, str) else None
        if why:
            raise SeedError("", line, f"date {value} does not exist ({why})")
        result[key] = value
        result.value_lines[str(key)] = line
    return result


def date_problem(value: str) -> str | None:
    """Why a ``YYYY-MM-DD`` string names no day of the calendar; None if it does (or is no date)."""
    m = DAY.fullmatch(value)
    if not m:
        return None
    year, month, day = map(int, m.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


def _construct_timestamp_as_string(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


for _cls in (_Loader, _FastLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_string)


def read_yaml(path: Path, text: str | None = None) -> Any:
    """Parse one YAML file (or ``text``, the content it is about to have); a syntax error or
    duplicate key names the file and line."""
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except FileNotFoundError:
        raise SeedError(path, None, "file not found") from None
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader subclass
    except (SeedError, yaml.YAMLError):
        pass
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except SeedError as err:
        raise SeedError(path, err.line, err.message) from None
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        opened = _unclosed_quote(text, err)
        if opened is not None and opened != line:
            raise SeedError(
                path,
                opened,
                f"YAML syntax error: unclosed quote opened here (parser "
                f"stopped at line {line}: {err.problem})",
            ) from None
        raise SeedError(path, line, f"YAML syntax error: {err.problem or err}") from None


def _unclosed_quote(text: str, err: yaml.MarkedYAMLError) -> int | None:
    """The line of the quote that ran on past a line with a key, up to where the parser stopped.

    An unclosed quote runs on to the next quote character, often many lines later; the parser
    stops there, far from the curator's edit.
    """
    if err.context_mark and (err.context or "").startswith("while scanning a quoted scalar"):
        return err.context_mark.line + 1  # the quote runs to the end of the file
    stop = err.problem_mark.index if err.problem_mark else len(text)
    opened = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= stop:
                break
            swallowed = text[token.start_mark.index : token.end_mark.index]
            if getattr(token, "style", None) in ('"', "'") and SWALLOWED_KEY.search(swallowed):
                opened = token.start_mark.line + 1
    except yaml.YAMLError:
        pass  # the tokens up to the error are all there is
    return opened


def _line_of(doc: Any, path: list[Any]) -> int | None:
    """The line of the deepest mapping on ``path`` (a jsonschema error path)."""
    line = getattr(doc, "line", None)
    node = doc
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node.value_lines:
            line = node.value_lines[step]
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


def check_schema(path: Path, doc: Any, schema_path: Path) -> list[SeedError]:
    """Every JSON Schema violation in ``doc``, each with its line."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        errors.append(
            SeedError(path, _line_of(doc, list(err.absolute_path)), f"{where}: {err.message}")
        )
    return errors
