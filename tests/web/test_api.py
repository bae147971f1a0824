"""The JSON API (contract section 7) through FastAPI's TestClient, bad input included."""

from __future__ import annotations

from typing import Any

from migrantsp.api import entitlements

WOMAN = {
    "person": {"id": "mm-th-001", "birth_date": "1980-05-01", "sex": "female", "nationality": "MMR"},
    "spells": [{"country": "THA", "start": "2005-01-01", "end": "2016-12-31", "sector": "manufacturing",
                "monthly_wage": 12000}],
    "evaluate": {"date": "2035-05-01"},
}  # fmt: skip


def test_health(client: Any, kb: Any) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["knowledge_version"] == kb.version


def test_atlas_has_90_cells_in_the_contract_shape(client: Any) -> None:
    r = client.get("/api/atlas")
    assert r.status_code == 200
    cells = r.json()
    assert len(cells) == 90
    keys = {"country", "branch", "foreign_workers", "exclusions", "nationals_abroad", "schemes",
            "portability", "sources", "confidence", "as_of"}  # fmt: skip
    assert keys <= set(cells[0])
    assert set(cells[0]["portability"]) == {"export", "lump_sum_on_departure"}


def test_atlas_on_a_date_matches_the_python_api(client: Any, kb: Any) -> None:
    from datetime import date

    from migrantsp.atlas import atlas

    r = client.get("/api/atlas", params={"at": "2018-06-30"})
    assert r.status_code == 200
    expected = [c.model_dump(mode="json", by_alias=True) for c in atlas(kb, date(2018, 6, 30))]
    assert r.json() == expected


def test_atlas_bad_date_is_422(client: Any) -> None:
    r = client.get("/api/atlas", params={"at": "30/06/2018"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "at"]


def test_entitlements_equal_the_python_api(client: Any, kb: Any) -> None:
    r = client.post("/api/entitlements", json=WOMAN)
    assert r.status_code == 200
    assert r.json() == entitlements(WOMAN, kb)
    row = next(e for e in r.json()["entitlements"] if (e["country"], e["branch"]) == ("THA", "old_age"))
    assert row["status"] == "entitled" and row["benefit"]["kind"] == "lump_sum"


def test_entitlements_under_an_instrument(client: Any) -> None:
    r = client.post("/api/entitlements", json={**WOMAN, "instrument": "asean-c157"})
    assert r.status_code == 200 and r.json()["instrument"] == "asean-c157"


def test_every_problem_with_its_field_path(client: Any) -> None:
    bad = {
        "person": {"birth_date": "1980-13-01", "sex": "woman"},
        "spells": [{"country": "THA", "start": "2005-01-01", "monthly_wage": -5}],
    }
    r = client.post("/api/entitlements", json=bad)
    assert r.status_code == 422
    locs = {tuple(d["loc"]) for d in r.json()["detail"]}
    assert {("person", "birth_date"), ("person", "sex"), ("person", "nationality"),
            ("spells", 0, "monthly_wage")} <= locs  # fmt: skip
    assert all(d["msg"] for d in r.json()["detail"])


def test_spell_ending_before_it_starts(client: Any) -> None:
    bad = {**WOMAN, "spells": [{**WOMAN["spells"][0], "end": "2004-12-31"}]}
    r = client.post("/api/entitlements", json=bad)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["spells", 0, "end"], "msg": "2004-12-31 is before start 2005-01-01",
                                   "type": "invalid_career", "path": "spells[0].end"}]  # fmt: skip


def test_unknown_instrument_is_422(client: Any) -> None:
    r = client.post("/api/entitlements", json={**WOMAN, "instrument": "no-such-thing"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["instrument"]


def test_body_that_is_not_a_career_object(client: Any) -> None:
    assert client.post("/api/entitlements", json=[1, 2]).status_code == 422
    r = client.post("/api/entitlements", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_openapi_describes_the_api(client: Any) -> None:
    doc = client.get("/openapi.json").json()
    assert {"/api/health", "/api/atlas", "/api/entitlements", "/api/simulate"} <= set(doc["paths"])
    assert "422" in doc["paths"]["/api/entitlements"]["post"]["responses"]


# ------------------------------------------------------------------------------------------ /api/simulate
def test_simulate_is_the_contract_json(client: Any, kb: Any) -> None:
    from migrantsp.population import assumptions
    from migrantsp.population.run import Settings, simulate, summary

    body = {"size": 2000, "seed": 5, "scenarios": ["none", "asean-c157"]}
    r = client.post("/api/simulate", json=body)
    assert r.status_code == 200
    doc = r.json()
    assert {"population", "scenarios", "assumptions", "knowledge_version", "data"} <= set(doc)
    expected = summary(simulate(Settings(size=2000, seed=5, scenarios=("none", "asean-c157"), workers=1),
                                assumptions.defaults(), kb))  # fmt: skip
    assert doc == expected
    assert doc["population"]["represented_migrants"] == 23541148
    assert {"origin", "destination", "represented"} <= set(doc["population"]["by_corridor"][0])
    assert [s["id"] for s in doc["scenarios"]] == ["none", "asean-c157"]
    assert {"indicators", "by_corridor"} <= set(doc["scenarios"][1])


def test_simulate_replies_the_scenarios_asked_in_order(client: Any) -> None:
    r = client.post(
        "/api/simulate", json={"size": 1000, "scope": "asean", "scenarios": ["lift-tha-agriculture"]}
    )
    assert r.status_code == 200
    assert [s["id"] for s in r.json()["scenarios"]] == ["lift-tha-agriculture"]
    assert r.json()["population"]["scope"] == "asean" and r.json()["population"]["size"] == 1000
    r = client.post("/api/simulate", json={"size": 1000, "scenarios": ["asean-c157", "none"]})
    assert [s["id"] for s in r.json()["scenarios"]] == ["asean-c157", "none"]


def test_simulate_lists_every_problem_with_its_field_path(client: Any) -> None:
    bad = {"size": 10_000_000, "seed": "x", "scope": "moon", "colour": 1,
           "scenarios": ["none", "no-such", "none", "../../etc/scenario.yaml"]}  # fmt: skip
    r = client.post("/api/simulate", json=bad)
    assert r.status_code == 422
    detail = r.json()["detail"]
    locs = {tuple(d["loc"]) for d in detail}
    assert {("size",), ("seed",), ("scope",), ("colour",), ("scenarios", 1), ("scenarios", 2),
            ("scenarios", 3)} <= locs  # fmt: skip
    assert all(d["type"] == "invalid_simulation" and d["msg"] and d["path"] for d in detail)
    assert next(d for d in detail if d["loc"] == ["scenarios", 2])["msg"] == "'none' is given twice"


def test_simulate_bounds(client: Any) -> None:
    for size in (999, 50_001, -1):
        r = client.post("/api/simulate", json={"size": size})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["size"], size
    assert client.post("/api/simulate", json={"scenarios": []}).status_code == 422
    assert client.post("/api/simulate", json={"scenarios": ["none"] * 7}).status_code == 422
    assert client.post("/api/simulate", json=[1, 2]).status_code == 422


def test_openapi_describes_simulate(client: Any) -> None:
    post = client.get("/openapi.json").json()["paths"]["/api/simulate"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["size"]["maximum"] == 50_000 and schema["additionalProperties"] is False
    assert {"200", "422"} <= set(post["responses"])


def test_engine_processes_answer_like_the_server_itself(kb: Any) -> None:
    """`serve --workers N`: careers go to a pool of engine processes; replies and problems are the same."""
    from fastapi.testclient import TestClient

    from migrantsp.web import create_app

    with TestClient(create_app(kb, processes=1)) as pooled:  # the lifespan starts and stops the pool
        r = pooled.post("/api/entitlements", json=WOMAN)
        assert r.status_code == 200 and r.json() == entitlements(WOMAN, kb)
        bad = pooled.post("/api/entitlements", json={**WOMAN, "instrument": "no-such-thing"})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["instrument"]
        assert pooled.post("/api/entitlements", content=b"{not json").status_code == 422


def test_a_dead_engine_process_is_replaced(kb: Any) -> None:
    """A worker killed from outside (out of memory, say): that request gets a 503, the next ones 200."""
    import os
    import signal
    import time

    from fastapi.testclient import TestClient

    from migrantsp.web import create_app

    app = create_app(kb, processes=1)
    with TestClient(app) as pooled:
        assert pooled.post("/api/entitlements", json=WOMAN).status_code == 200
        engine = app.state.engine
        (pid,) = [p.pid for p in engine._pool._processes.values()]
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)  # the pool notices the dead worker
        r = pooled.post("/api/entitlements", json=WOMAN)
        assert r.status_code == 503 and "retry" in r.json()["detail"]
        again = pooled.post("/api/entitlements", json=WOMAN)
        assert again.status_code == 200 and again.json() == entitlements(WOMAN, kb)


def test_careers_answered_together_equal_each_answered_alone(kb: Any) -> None:
    """The engine processes evaluate the careers waiting at the same time as one batch: every worked case
    and example, under its own instrument and branches, mixed with bad bodies, answers as it does alone."""
    import json
    from pathlib import Path

    import yaml

    from migrantsp.web.engine import answer_many

    root = Path(__file__).parents[2]
    docs = [
        yaml.safe_load(p.read_text())["career"] for p in sorted((root / "tests" / "cases").rglob("*.yaml"))
    ]
    docs += [yaml.safe_load(p.read_text()) for p in sorted((root / "examples").glob("*.yaml"))]
    # a Malaysian EPF balance whose cents sit on a rounding edge, beside a career starting decades earlier
    epf = {"person": {"birth_date": "1975-01-01", "sex": "male", "nationality": "MYS"},
           "spells": [{"country": "MYS", "start": "2010-01-01", "end": "2025-12-31",
                       "monthly_wage": 4000.0000309649618}],
           "evaluate": {"date": "2026-01-15", "branches": ["old_age"]}}  # fmt: skip
    early = {"person": {"birth_date": "1955-01-01", "sex": "male", "nationality": "MYS"},
             "spells": [{"country": "MYS", "start": "1975-01-01", "end": "2025-12-31", "monthly_wage": 3000}],
             "evaluate": {"date": "2060-01-01", "branches": ["old_age"]}}  # fmt: skip
    no_rate = {"person": {"birth_date": "1980-01-01", "sex": "male", "nationality": "VNM"},
               "spells": [{"country": "VNM", "start": "2005-01-01", "end": "2020-12-31", "monthly_wage": 500,
                           "currency": "USD"}]}  # fmt: skip
    far = {"person": {"birth_date": "9995-01-01", "sex": "male", "nationality": "THA"},
           "spells": [{"country": "THA", "start": "9999-01-01"}], "evaluate": {"date": "9999-12-31"}}  # fmt: skip
    docs += [{**WOMAN, "instrument": "asean-c157"}, epf, early]
    bad = [{**WOMAN, "instrument": "no-such-thing"}, no_rate, far]
    bodies = [json.dumps(d, default=str).encode() for d in [*docs, *bad]] + [b"{not json", b"[1, 2]"]
    together = answer_many(bodies, kb)
    assert together == [answer_many([b], kb)[0] for b in bodies]
    pair = [json.dumps(d).encode() for d in (epf, early)]  # the two alone in a batch, too
    assert answer_many(pair, kb) == [answer_many([b], kb)[0] for b in pair]
    statuses = [status for status, _ in together]
    assert statuses == [200] * len(docs) + [422] * (len(bad) + 2)  # every problem is the request's own
    for doc, (status, reply) in zip(docs, together, strict=False):
        if status == 200:
            assert json.loads(reply) == entitlements(json.loads(json.dumps(doc, default=str)), kb)
