"""Read YAML keeping the line of every field, so problems can point at file:line and field path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from migrantsp.problems import Problem, format_path

Loc = tuple[str | int, ...]


@dataclass
class YamlDoc:
    name: str  # how the file is named in messages
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Loc) -> int | None:
        """Line of the deepest known prefix of `loc` (a missing field points at its parent)."""
        for n in range(len(loc), -1, -1):
            key = tuple(str(p) if not isinstance(p, int) else p for p in loc[:n])
            if key in self.lines:
                return self.lines[key]
        return None

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.name, self.line(loc), format_path(loc), message)


class _Loader(yaml.SafeLoader):
    pass


def _walk(loader: _Loader, node: yaml.Node, loc: Loc, doc: YamlDoc) -> Any:
    doc.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and not hasattr(key, "isoformat"):
                doc.problems.append(doc.problem(loc, f"unsupported key {key!r}"))
                continue
            if key in out:
                doc.problems.append(
                    Problem(
                        doc.name,
                        key_node.start_mark.line + 1,
                        format_path((*loc, str(key))),
                        "duplicate key (each field and each date may appear once)",
                    )
                )
            out[key] = _walk(loader, value_node, (*loc, str(key)), doc)
            doc.lines[(*loc, str(key))] = key_node.start_mark.line + 1  # point at the key, not its value
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*loc, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, name: str) -> YamlDoc:
    """Parse one YAML document; syntax errors become problems rather than exceptions."""
    doc = YamlDoc(name=name, data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc.data = _walk(loader, node, (), doc) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        doc.problems.append(Problem(name, line, "", f"not valid YAML: {reason}"))
        doc.data = None
    finally:
        loader.dispose()
    return doc


def load_yaml(path: Path, name: str | None = None) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return YamlDoc(
            name=name or str(path),
            data=None,
            problems=[Problem(name or str(path), None, "", f"cannot read file: {exc}")],
        )
    return parse_yaml(text, name or str(path))


ISO3_FIELDS = frozenset({"country", "nationality", "residence", "posted_from"})


def validation_problems(exc: ValidationError, doc: YamlDoc, prefix: Loc = ()) -> list[Problem]:
    """Pydantic's errors as user-facing problems: the field path, and a message that says what to fix."""
    out = []
    for err in exc.errors():
        # pydantic adds its validator names ("function-...") and "[key]" for dict keys: not field names
        kept = [
            p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p == "[key]"))
        ]
        loc: Loc = (*prefix, *kept)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] in ("enum", "literal_error"):
            msg = f"{err.get('input')!r} is not allowed: {msg.split(': ', 1)[-1]}"
        elif err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ISO3_FIELDS:
            msg = f"{err.get('input')!r} is not an ISO 3166-1 alpha-3 code"
        out.append(doc.problem(loc, msg))
    return out
