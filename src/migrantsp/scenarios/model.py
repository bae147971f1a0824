"""Scenarios as YAML: what a ministry wants to try, over a named baseline.

```yaml
id: lift-tha-agriculture
title: Thailand brings farm, forestry and fishery employees into section 33
baseline: none                 # another scenario id; patches stack over it
instrument: none               # an instrument id or an inline instrument (contract section 3)
lift_exclusions:               # coverage patches: exclusions that stop applying from a date
  - {country: THA, branches: all, sectors: [agriculture, forestry, fishing], from: 2027-01-01}
parameters:                    # parameter patches: from each date on, the value applies
  THA.ssf.old_age.qualifying_months: {2027-01-01: 120}
sources: [MSP-NOTES]           # what the scenario rests on (a proposal, a study)
```
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from migrantsp.domain import Activity, Branch, Sector


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LiftExclusion(Strict):
    """Exclusions of a country's atlas cells that stop applying from a date (all given fields must match)."""

    country: str = Field(pattern=r"^[A-Z]{3}$")
    branches: list[Branch] | Literal["all"] = "all"
    kinds: list[str] = []  # exclusion kinds (sector, activity, undocumented, ...); empty: any kind
    sectors: list[Sector] = []  # lift only exclusions that name one of these sectors
    activities: list[Activity] = []
    undocumented: bool = False  # lift exclusions of undocumented workers
    from_: date = Field(alias="from")


class Scenario(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str
    description: str = ""
    baseline: str | None = None
    instrument: str | dict[str, Any] | None = None  # None: the baseline's
    lift_exclusions: list[LiftExclusion] = []
    parameters: dict[str, dict[date, float | None]] = {}
    sources: list[str] = []
