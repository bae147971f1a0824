"""The FastAPI application: JSON API (contract section 7) and server-rendered pages over the same engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import PackageLoader
from starlette.concurrency import run_in_threadpool

from migrantsp import __version__
from migrantsp.api import as_career
from migrantsp.atlas import AtlasCell, atlas
from migrantsp.coordination.instruments import builtin
from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES
from migrantsp.knowledge.base import Knowledge, knowledge
from migrantsp.problems import InvalidInput
from migrantsp.report import charts, views
from migrantsp.report.build import common_context, environment, simulation_context
from migrantsp.report.compare import compare
from migrantsp.results import EntitlementsOut
from migrantsp.web import calculator, explorer
from migrantsp.web.engine import EnginePool
from migrantsp.web.explorer import SimulateIn, SimulateOut

EXAMPLE_CAREER = {
    "person": {"birth_date": "1980-05-01", "sex": "female", "nationality": "MMR"},
    "spells": [
        {"country": "THA", "start": "2005-01-01", "end": "2016-12-31", "sector": "manufacturing",
         "monthly_wage": 12000}
    ],
    "evaluate": {"date": "2035-05-01", "branches": ["old_age"]},
    "instrument": "asean-c157",
}  # fmt: skip

PROBLEMS_422 = {
    "description": "Invalid career: every problem, with its field path",
    "content": {
        "application/json": {
            "example": {
                "detail": [
                    {
                        "loc": ["spells", 0, "end"],
                        "msg": "2004-12-31 is before start 2005-01-01",
                        "type": "invalid_career",
                        "path": "spells[0].end",
                    }
                ]
            }
        }
    },
}


SIMULATE_422 = {
    "description": "Invalid request: every problem, with its field path",
    "content": {
        "application/json": {
            "example": {
                "detail": [
                    {
                        "loc": ["size"],
                        "msg": "Input should be less than or equal to 50000",
                        "type": "invalid_simulation",
                        "path": "size",
                    }
                ]
            }
        }
    },
}


def create_app(kb: Knowledge | None = None, processes: int = 0) -> FastAPI:
    """The app over one loaded knowledge base; `processes` engine processes answer the entitlements API
    (0: the server process answers itself, as in tests)."""
    kb = kb or knowledge()
    engine = EnginePool(kb, processes)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await engine.open()  # workers load the knowledge base before the first request
        yield
        await engine.close()

    env = environment(PackageLoader("migrantsp.web", "templates"))
    instruments = [i for i in builtin(kb).values() if i.id != "none"]
    app = FastAPI(
        lifespan=lifespan,
        title="migrantsp",
        version=__version__,
        description="Portable social protection for migrant workers in ASEAN: the atlas and the "
        "entitlements engine as a JSON API. Careers and results follow the project's data contract "
        "(career file: section 1; entitlements: section 2; atlas: section 5; simulation: section 6).",
    )
    app.state.engine = engine
    runner = explorer.Runner(kb)

    @lru_cache(maxsize=16)
    def context(when: date) -> dict[str, Any]:
        return common_context(kb, when, lambda c: f"/countries/{c}", lambda s: f"/sources#source-{s}")

    def page(name: str, when: date | None = None, status: int = 200, **extra: Any) -> HTMLResponse:
        ctx = {**context(when or date.today()), **extra}
        return HTMLResponse(env.get_template(name).render(ctx), status_code=status)

    # ------------------------------------------------------------------------------------------ the API
    @app.get("/api/health", tags=["api"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "knowledge_version": kb.version}

    @app.get("/api/atlas", tags=["api"], response_model=list[AtlasCell])
    def api_atlas(
        at: date | None = Query(None, description="Date the facts are read on (YYYY-MM-DD); default: today"),
    ) -> list[AtlasCell]:
        """The atlas: 90 cells, one per member state x branch (contract section 5)."""
        return atlas(kb, at or date.today())

    @app.post(
        "/api/entitlements",
        tags=["api"],
        response_model=EntitlementsOut,
        responses={422: PROBLEMS_422},
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "A career (contract section 1), as JSON",
                "content": {"application/json": {"example": EXAMPLE_CAREER}},
            }
        },
    )
    async def api_entitlements(request: Request) -> Response:
        """What each country owes this person (contract section 2), under the career's `instrument`.

        Evaluated in the engine processes (`serve --workers`); the reply is serialised once, in the
        worker, without revalidation against the response model."""
        status, reply = await engine.answer(await request.body())
        return Response(reply, status_code=status, media_type="application/json")

    @app.post(
        "/api/simulate",
        tags=["api"],
        response_model=SimulateOut,
        responses={422: SIMULATE_422},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": SimulateIn.model_json_schema()}},
            }
        },
    )
    async def api_simulate(body: dict[str, Any] = Body(...)) -> Any:
        """Simulate migrant workers' old-age rights under each scenario (contract section 6).

        `size` is bounded (1,000 to 50,000) so that a request takes seconds; requests are run one at a
        time and the last few replies are kept. The reply lists the scenarios asked for, in that order."""
        try:
            req = explorer.check(body, kb)
            return await run_in_threadpool(runner, req)
        except InvalidInput as exc:
            return JSONResponse({"detail": explorer.detail(exc)}, status_code=422)

    # ------------------------------------------------------------------------------------------ pages
    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(
            charts.plotly_js(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return page("home.html")

    @app.get("/atlas", response_class=HTMLResponse, include_in_schema=False)
    def atlas_page(at: date | None = None) -> HTMLResponse:
        return page("atlas.html", at)

    @app.get("/gaps", response_class=HTMLResponse, include_in_schema=False)
    def gaps_page() -> HTMLResponse:
        return page("gaps.html")

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page() -> HTMLResponse:
        return page("sources.html")

    @app.get("/scenarios", response_class=HTMLResponse, include_in_schema=False)
    async def scenarios_page(request: Request) -> HTMLResponse:
        """The scenario explorer: a plain GET form; the first visit shows the default run."""
        params = list(request.query_params.multi_items())
        if params:
            body, values = explorer.form_request(params)
        else:
            body = {"size": explorer.DEFAULT_SIZE, "seed": 0, "scenarios": explorer.DEFAULT_PICKED}
            values = dict(explorer.DEFAULT_FORM)
        picked = [s for s in body["scenarios"] if s]
        body["scenarios"] = ["none", *dict.fromkeys(s for s in picked if s != "none")]
        extra: dict[str, Any] = {
            "values": values,
            "picked": picked,
            "choices": explorer.explorer_choices(),
            "min_size": explorer.MIN_SIZE,
            "max_size": explorer.MAX_SIZE,
            "labels": {
                "size": "Simulated workers",
                "seed": "Random seed",
                "scope": "Migrants",
                "scenario": "Scenarios",
            },
            "errors": {},
            "sim": None,
        }
        try:
            req = explorer.check(body, kb)
            doc = await run_in_threadpool(runner, req)
        except InvalidInput as exc:
            extra["errors"] = explorer.form_errors(exc)
            return page("scenarios.html", status=422, **extra)
        return page("scenarios.html", **{**extra, **simulation_context(kb, doc)})

    @app.get("/countries/{code}", response_class=HTMLResponse, include_in_schema=False)
    def country_page(code: str, at: date | None = None) -> HTMLResponse:
        code = code.upper()
        if code not in ASEAN:
            raise HTTPException(404, f"{code!r} is not a member state; use one of {', '.join(ASEAN)}")
        when = at or date.today()
        return page("country.html", when, p=views.country_profile(kb, code, when), hx=1)

    def calculator_page(form: calculator.Form, status: int = 200, **extra: Any) -> HTMLResponse:
        return page(
            "calculator.html",
            status=status,
            form=form,
            max_spells=calculator.MAX_SPELLS,
            activities=calculator.ACTIVITIES,
            sectors=calculator.SECTORS,
            instruments=instruments,
            branch_labels={b.value: BRANCH_LABELS[b] for b in BRANCHES},
            **{"cmp": None, **extra},
        )

    @app.get("/calculator", response_class=HTMLResponse, include_in_schema=False)
    def calculator_get() -> HTMLResponse:
        return calculator_page(calculator.Form())

    @app.post("/calculator", response_class=HTMLResponse, include_in_schema=False)
    async def calculator_post(request: Request) -> HTMLResponse:
        # Parsed by hand: a urlencoded form needs no extra dependency (python-multipart).
        form = calculator.parse_form(await request.body())
        data, rows = calculator.career_dict(form)
        try:
            career = as_career(data)
            cmp = await run_in_threadpool(compare, career, kb, ["none", *form.instruments])
        except InvalidInput as exc:
            calculator.attach(form, list(exc.problems), rows)
            return calculator_page(form, status=422)
        return calculator_page(form, cmp=cmp)

    return app
