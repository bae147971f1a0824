"""The parsed knowledge base is cached under the hash of its files: edits are never served stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrantsp.knowledge.base import knowledge
from migrantsp.problems import InvalidInput

load = knowledge.__wrapped__  # bypass the per-process memo to exercise the disk cache


def test_cache_is_written_reused_and_keyed_by_content(min_knowledge: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = load(min_knowledge)
    files = list((tmp_path / "cache" / "migrantsp").glob("knowledge-*.pickle"))
    assert len(files) == 1
    assert load(min_knowledge).version == first.version
    param = min_knowledge / "parameters" / "THA" / "si" / "old_age" / "qualifying_months.yaml"
    param.write_text(param.read_text().replace("{value: 240}", "{value: 241}"))
    edited = load(min_knowledge)
    assert edited.version != first.version
    assert edited.parameters["THA.si.old_age.qualifying_months"].values[0] == 241
    assert len(list((tmp_path / "cache" / "migrantsp").glob("knowledge-*.pickle"))) == 2


def test_a_broken_cache_file_is_ignored_and_errors_still_reported(min_knowledge: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load(min_knowledge)
    for f in (tmp_path / "cache" / "migrantsp").glob("knowledge-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert load(min_knowledge).countries
    country = min_knowledge / "countries" / "THA.yaml"
    country.write_text(country.read_text().replace("sources: [SRC-SEC]", "sources: [NOPE]"))
    with pytest.raises(InvalidInput, match="unknown source id 'NOPE'"):
        load(min_knowledge)


def test_the_cache_key_follows_the_code_that_defines_the_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pickle of classes that have since changed must not be loaded: their modules are in the key."""
    from migrantsp.knowledge import base

    before = base._cache_file(base.default_root())
    monkeypatch.setattr(base, "_code_digest", lambda: "changed")
    assert base._cache_file(base.default_root()) != before
