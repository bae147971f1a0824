"""National rules, one module per member state: for each branch, a vectorised function of a
`BranchContext` returning a `Benefit`, named after the branch (`old_age`, `sickness`...). A module
defines functions only for the branches where someone can be insured. `rules_for(country)` gives a
state's rules by branch."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module

from migrantsp.domain import ASEAN, Branch
from migrantsp.engine.benefit import Benefit
from migrantsp.engine.context import BranchContext

Rule = Callable[[BranchContext], Benefit]


@cache
def rules_for(country: str) -> dict[Branch, Rule]:
    """The rules module of a member state (`migrantsp.rules.<iso3 lower>`), by branch."""
    if country not in ASEAN:
        raise KeyError(country)
    module = import_module(f"migrantsp.rules.{country.lower()}")
    return {b: rule for b in Branch if callable(rule := getattr(module, b.value, None))}
