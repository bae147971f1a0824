"""The scenario explorer and `POST /api/simulate`: a bounded run of the simulation, validated field by field.

Sizes are bounded so that one request stays within a few seconds on one core; runs are serialised
(one at a time, the engine is CPU-bound) and the last few results are kept, so the same request twice
is answered at once. Only built-in scenarios and instruments are accepted: a web request never names a
file on the server.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from migrantsp.knowledge.base import Knowledge
from migrantsp.problems import InvalidInput, Problem
from migrantsp.report import simulation
from migrantsp.report.simulation import BASELINE, DEFAULT_SCENARIOS, SimOptions
from migrantsp.yamlfile import YamlDoc, validation_problems

MIN_SIZE = 1_000  # above the number of corridor x sex cells of the world scope (one worker each)
MAX_SIZE = 50_000
DEFAULT_SIZE = 10_000
MAX_SCENARIOS = 6
MAX_SEED = 2**32 - 1
BILATERAL = re.compile(r"^bilateral:[A-Z]{3}-[A-Z]{3}$")
CACHED = 8


class SimulateIn(BaseModel):
    """A simulation request: how many workers, which seed, which scenarios (contract section 6)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "size": 10_000, "seed": 1, "scenarios": ["none", "asean-c157"]}})  # fmt: skip

    size: int = Field(DEFAULT_SIZE, ge=MIN_SIZE, le=MAX_SIZE, description="Simulated workers.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Random seed: the same seed gives the same reply.")
    scenarios: list[str] = Field(
        ["none", "asean-c157"],
        min_length=1,
        max_length=MAX_SCENARIOS,
        description="Built-in scenario or instrument ids (see `migrantsp scenarios`), or bilateral:AAA-BBB.",
    )
    scope: Literal["world", "asean"] = Field(
        "world", description="world: every ASEAN-born migrant; asean: intra-ASEAN corridors only."
    )


class SimulateOut(BaseModel):
    """Contract section 6: the population's margins, each scenario's indicators overall and by corridor."""

    model_config = ConfigDict(extra="allow")  # whatever else the simulation's summary adds is passed on

    population: dict[str, Any]
    scenarios: list[dict[str, Any]]
    assumptions: list[dict[str, Any]]
    knowledge_version: str
    data: dict[str, str]


def known_scenarios(kb: Knowledge) -> dict[str, str]:
    """Every id a request may name, with its title (built-in scenarios and instruments)."""
    return simulation.scenario_titles(kb)


def check(body: Any, kb: Knowledge) -> SimulateIn:
    """The request, or InvalidInput listing every problem with its field path."""
    problems = []
    req: SimulateIn | None = None
    try:
        req = SimulateIn.model_validate(body)
    except ValidationError as exc:
        problems += validation_problems(exc, YamlDoc(name="request", data=body))
    scenarios = body.get("scenarios") if isinstance(body, dict) else None
    known = known_scenarios(kb)
    seen: set[str] = set()
    for i, sc in enumerate(scenarios if isinstance(scenarios, list) else []):
        if not isinstance(sc, str):
            continue  # reported by the model
        if sc in seen:
            problems.append(Problem("request", None, f"scenarios[{i}]", f"{sc!r} is given twice"))
        elif sc not in known and not BILATERAL.match(sc):
            why = f"unknown scenario {sc!r}; known: {', '.join(sorted(known))}, or bilateral:AAA-BBB"
            problems.append(Problem("request", None, f"scenarios[{i}]", why))
        seen.add(sc)
    if problems or req is None:
        raise InvalidInput(problems)
    return req


def detail(exc: InvalidInput) -> list[dict[str, Any]]:
    """The 422 body's `detail`, shaped like /api/entitlements' (loc, msg, type, path)."""
    from migrantsp.web.calculator import loc

    return [
        {"loc": loc(p.path), "msg": p.message, "type": "invalid_simulation", "path": p.path}
        for p in exc.problems
    ]


class Runner:
    """Runs one simulation at a time and remembers the last few results."""

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.lock = threading.Lock()
        self.cache: OrderedDict[SimOptions, dict[str, Any]] = OrderedDict()

    def __call__(self, req: SimulateIn) -> dict[str, Any]:
        """The contract's JSON, for the scenarios asked in the order asked (`none` is run as the
        baseline of the explorer's differences but replied only when asked for)."""
        options = SimOptions(
            size=req.size, seed=req.seed, scenarios=tuple(req.scenarios), scope=req.scope, workers=1
        )
        with self.lock:
            doc = self.cache.get(options)
            if doc is None:
                try:
                    doc = simulation.run(self.kb, options)
                except InvalidInput as exc:  # what the simulation itself rejects, with the request's paths
                    raise InvalidInput(_request_problem(p, req) for p in exc.problems) from None
                self.cache[options] = doc
                while len(self.cache) > CACHED:
                    self.cache.popitem(last=False)
            self.cache.move_to_end(options)
        if BASELINE in req.scenarios:
            order = {sc: i for i, sc in enumerate(req.scenarios)}
            return {**doc, "scenarios": sorted(doc["scenarios"], key=lambda s: order[s["id"]])}
        return {**doc, "scenarios": [s for s in doc["scenarios"] if s["id"] in req.scenarios]}


def _request_problem(p: Problem, req: SimulateIn) -> Problem:
    option = p.file.removeprefix("--")
    if option == "scenario":
        for i, sc in enumerate(req.scenarios):
            if repr(sc) in p.message:
                return Problem("request", None, f"scenarios[{i}]", p.message)
        return Problem("request", None, "scenarios", p.message)
    return Problem("request", None, option if option in SimulateIn.model_fields else "", p.message)


# ------------------------------------------------------------------------------------ the explorer form
def form_request(params: list[tuple[str, str]]) -> tuple[dict[str, Any], dict[str, str]]:
    """The query string of the explorer's form as a request body (numbers as typed, so that a word in
    the size field is reported, not dropped), and the values to redisplay."""
    values: dict[str, str] = {}
    scenarios: list[str] = []
    for k, v in params:
        if k == "scenario":
            scenarios.append(v.strip())
        elif k in ("size", "seed", "scope"):
            values[k] = v.strip()
    body: dict[str, Any] = {"scenarios": scenarios}
    for k in ("size", "seed"):
        text = values.get(k, "").replace(",", "").replace("_", "")
        if text:
            body[k] = int(text) if text.lstrip("-").isdigit() else text
    if values.get("scope"):
        body["scope"] = values["scope"]
    return body, values


DEFAULT_FORM = {"size": f"{DEFAULT_SIZE}", "seed": "0", "scope": "world"}
DEFAULT_PICKED = list(DEFAULT_SCENARIOS)


def explorer_choices() -> dict[str, str]:
    """The explorer's check boxes: the built-in scenarios (`migrantsp scenarios`), by id."""
    from migrantsp.scenarios.apply import builtin

    return {s.id: s.title for s in sorted(builtin().values(), key=lambda s: (s.baseline is not None, s.id))}


def form_errors(exc: InvalidInput) -> dict[str, list[str]]:
    """Problems by form field (size, seed, scope, scenario)."""
    out: dict[str, list[str]] = {}
    for p in exc.problems:
        name = p.path.split("[")[0].split(".")[0]
        name = "scenario" if name == "scenarios" else name if name in ("size", "seed", "scope") else "form"
        out.setdefault(name, []).append(p.message)
    return out
