"""`--out DIR`: person-level Parquet files and the metadata needed to reproduce the run.

- population.parquet: one row per worker (corridor, sex, weight, how the life course was drawn);
- spells.parquet: one row per spell of every career;
- results.parquet: one row per worker and scenario (old-age outcomes);
- metadata.json: versions, seed, settings, data hashes, assumptions and the summary.
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from importlib import metadata as pkg
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from migrantsp.domain import ACTIVITY_ORDER, SECTOR_ORDER
from migrantsp.population.run import Simulation, summary

FILES = ("population.parquet", "spells.parquet", "results.parquet", "metadata.json")


def _version(name: str) -> str | None:
    try:
        return pkg.version(name)
    except pkg.PackageNotFoundError:
        return None


def _codes(values: np.ndarray, names: list[str] | tuple[str, ...]) -> pl.Series:
    return pl.Series(np.array(names, dtype=object)[values].tolist(), dtype=pl.Categorical)


def write(sim: Simulation, root: Path, command: list[str] | None = None) -> dict[str, Any]:
    root.mkdir(parents=True, exist_ok=True)
    pop, b = sim.population, sim.population.batch
    codes = b.countries.codes
    pl.DataFrame(
        {
            "person": np.arange(pop.size),
            "origin": _codes(pop.origin, codes),
            "destination": _codes(pop.destination, codes),
            "sex": _codes(b.sex, ["female", "male"]),
            "weight": pop.weight,
            "birth": b.birth,
            "age_at_migration": pop.age_at_migration,
            "formal_at_home": pop.formal_at_home,
            "returned": pop.returned,
            "second_migration": pop.second_migration,
            "residence": _codes(b.residence, codes),
        }
    ).write_parquet(root / "population.parquet")
    pl.DataFrame(
        {
            "person": b.person,
            "country": _codes(b.country, codes),
            "start": b.start,
            "end": b.end,
            "activity": _codes(b.activity, [str(a) for a in ACTIVITY_ORDER]),
            "sector": _codes(b.sector, [str(s) for s in SECTOR_ORDER]),
            "documented": b.documented,
            "monthly_wage": b.wage,
            "currency": pl.Series([b.currency(codes[c]) for c in range(len(codes))])[b.country.tolist()],
            "home_contributions": b.home_contributions,
        }
    ).write_parquet(root / "spells.parquet")
    frames = []
    for sc, o in sim.outcomes.items():
        cols: dict[str, Any] = {
            "scenario": pl.Series([sc] * pop.size, dtype=pl.Categorical),
            "person": np.arange(pop.size),
        }
        cols.update({k: getattr(o, k) for k in o.__dataclass_fields__})
        frames.append(pl.DataFrame(cols))
    pl.concat(frames).write_parquet(root / "results.parquet")
    s = sim.settings
    meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "settings": {
            "size": s.size,
            "seed": s.seed,
            "scenarios": list(s.scenarios),
            "revision": s.revision,
            "year": s.data_year,
            "scope": s.scope.value,
            "branches": [b.value for b in s.branch_list],
            "baseline": s.baseline_id,
            "backend": s.backend,
        },
        "versions": {
            "migrantsp": _version("migrantsp"),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "polars": pl.__version__,
            "knowledge": sim.knowledge_version,
        },
        "files": list(FILES),
        **summary(sim),
    }
    (root / "metadata.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return meta
