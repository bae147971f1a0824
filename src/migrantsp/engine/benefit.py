"""What a national rule returns for its rows: who is entitled, to what kind of benefit, how much."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from migrantsp.engine.timecols import Bools, Floats, Ints

STATUSES = ("entitled", "not_entitled", "not_covered", "no_scheme")
ENTITLED, NOT_ENTITLED, NOT_COVERED, NO_SCHEME = range(4)
KINDS = ("pension", "lump_sum", "daily_allowance", "in_kind", "grant")
PENSION, LUMP_SUM, DAILY_ALLOWANCE, IN_KIND, GRANT = range(5)
PERS = ("month", "once", "day")
PER_KIND = np.array(
    [0, 1, 2, 1, 1]
)  # pension per month, lump sum once, allowance per day, in kind, grant once
METHODS = ("independent", "pro_rata", "direct", "integration")


@dataclass
class Benefit:
    """Per row: entitled or not; if entitled, the benefit's kind and amount (NaN: in kind)."""

    entitled: Bools
    kind: Ints
    amount: Floats
    payable_abroad: Bools | None = None  # None: from the atlas cell's export rule
    formula: Floats | None = None  # the pension the formula gives for the credited months, met or not
    period: Ints | None = None  # PERS index when it differs from the kind's usual one (a monthly allowance)

    def pension_formula(self) -> Floats:
        """f(months) for coordination: the formula's pension whether or not the conditions are met."""
        if self.formula is not None:
            return self.formula
        return np.where(self.kind == PENSION, self.amount, 0.0)

    @property
    def per(self) -> Ints:
        if self.period is not None:
            return self.period
        return np.asarray(PER_KIND[self.kind], dtype=np.int64)

    @classmethod
    def monthly_allowance(cls, entitled: Bools, amount: npt.ArrayLike) -> Benefit:
        """A cash allowance paid every month (family benefits): a grant, per month."""
        b = cls.of(entitled, GRANT, amount)
        b.period = np.zeros(entitled.size, dtype=np.int64)
        return b

    @classmethod
    def of(
        cls, entitled: Bools, kind: int, amount: npt.ArrayLike, payable_abroad: Bools | None = None
    ) -> Benefit:
        n = entitled.size
        return cls(
            entitled=np.asarray(entitled, dtype=bool),
            kind=np.full(n, kind, dtype=np.int64),
            amount=np.broadcast_to(np.asarray(amount, dtype=np.float64), (n,)).copy(),
            payable_abroad=payable_abroad,
        )

    @classmethod
    def pension_or_lump_sum(
        cls,
        qualifies: Bools,
        pension: npt.ArrayLike,
        lump_sum: npt.ArrayLike,
        lump_sum_due: Bools | None = None,
    ) -> Benefit:
        """A pension where the qualifying conditions are met, otherwise a lump sum where one is due."""
        lump_sum = np.asarray(lump_sum, dtype=np.float64)
        pension = np.asarray(pension, dtype=np.float64)
        due = (lump_sum > 0) if lump_sum_due is None else lump_sum_due & (lump_sum > 0)
        return cls(
            entitled=qualifies | due,
            kind=np.where(qualifies, PENSION, LUMP_SUM).astype(np.int64),
            amount=np.where(qualifies, pension, lump_sum).astype(np.float64),
            formula=np.broadcast_to(pension, qualifies.shape).astype(np.float64),
        )
