"""National results kept across evaluations of the same batch: the scenarios of a simulation part.

A country's results depend only on the batch, its atlas cells, the parameters and whether equality of
treatment changes anyone's coverage there. `evaluate` reuses them when all are the same objects, and
where equality of treatment does change something, it assesses again only the rows of the other
parties' nationals working there. Not when explaining: an explanation belongs to one evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from migrantsp.domain import Branch
from migrantsp.engine.batch import Batch
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Ints
from migrantsp.knowledge.schema import Cell

if TYPE_CHECKING:
    from migrantsp.engine.evaluate import Results

# the columns national assessment writes (coordination writes the others later)
KEPT = ("status", "insured_months", "credited_months", "kind", "per", "amount", "payable_abroad", "method")

Kept = tuple[BranchContext, dict[str, np.ndarray]]  # a branch's context and its rows' columns


@dataclass
class Entry:
    """One country's national results and the objects they were computed from (held, so compared by
    identity: a freed object's id could be reused by another)."""

    batch: Batch
    parameters: Any
    cells: dict[Branch, Cell]
    branches: dict[Branch, Kept]

    def same_inputs(self, batch: Batch, parameters: Any, cells: dict[Branch, Cell]) -> bool:
        return (
            self.batch is batch
            and self.parameters is parameters
            and self.cells.keys() == cells.keys()
            and all(self.cells[b] is cells[b] for b in cells)
        )

    def restore(self, results: Results, rows: Ints, branch: Branch) -> None:
        """Write this branch's kept columns back on `rows` (scheme codes are the results' own)."""
        values = self.branches[branch][1]
        out = results.branches[branch]
        for name in KEPT:
            getattr(out, name)[rows] = values[name]
        if self.cells[branch].schemes:
            out.scheme[rows[values["has_scheme"]]] = results.scheme_code(self.cells[branch].schemes[0])

    @classmethod
    def of(
        cls, results: Results, rows: Ints, parameters: Any, cells: dict[Branch, Cell], country: str
    ) -> Entry:
        kept = {
            b: (
                results.contexts[(country, b)],
                {
                    **{n: getattr(results.branches[b], n)[rows] for n in KEPT},
                    "has_scheme": results.branches[b].scheme[rows] >= 0,
                },
            )
            for b in cells
        }
        return cls(results.batch, parameters, cells, kept)


@dataclass
class NationalMemo:
    """What one simulation part's scenarios share (see the module's docstring)."""

    entries: dict[tuple[Any, ...], Entry] = field(default_factory=dict)
    hits: int = 0  # countries whose results were reused
    partial: int = 0  # countries reused but for the other parties' nationals working there

    def get(
        self, key: tuple[Any, ...], batch: Batch, parameters: Any, cells: dict[Branch, Cell]
    ) -> Entry | None:
        entry = self.entries.get(key)
        return entry if entry is not None and entry.same_inputs(batch, parameters, cells) else None
