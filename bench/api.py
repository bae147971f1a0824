"""Benchmark: latency of `POST /api/entitlements` under concurrent clients, against a real uvicorn server.

    .venv/bin/python bench/api.py [--clients 20] [--requests 2000] [--server-workers 1]

Starts `uvicorn migrantsp.web:create_app` in a child process on a free localhost port, waits for
/api/health, warms up, then sends a fixed number of requests (the Myanmar woman of the README, old age
under asean-c157) from `--clients` threads, each with its own keep-alive httpx connection; prints the
p50/p90/p99 latency and the throughput, stops the server and exits. Not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

CAREER = {
    "person": {"birth_date": "1980-05-01", "sex": "female", "nationality": "MMR"},
    "spells": [{"country": "THA", "start": "2005-01-01", "end": "2016-12-31", "sector": "manufacturing",
                "monthly_wage": 12000}],
    "evaluate": {"date": "2035-05-01", "branches": ["old_age"]},
    "instrument": "asean-c157",
}  # fmt: skip
TARGET_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "migrantsp.web:create_app", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--workers", str(workers)]  # fmt: skip
    return subprocess.Popen(cmd, start_new_session=True)  # its own group: stopped with its workers


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    k = max(0, min(len(sorted_ms) - 1, math.ceil(q / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]


def client(url: str, n: int) -> list[float]:
    times = []
    with httpx.Client(base_url=url, timeout=30.0) as c:
        for _ in range(n):
            t0 = time.perf_counter()
            r = c.post("/api/entitlements", json=CAREER)
            times.append((time.perf_counter() - t0) * 1e3)
            if r.status_code != 200:
                raise SystemExit(f"unexpected HTTP {r.status_code}: {r.text[:200]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (threads)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in all (after the warm-up)")
    parser.add_argument("--server-workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.server_workers)
    try:
        wait_ready(url, proc)
        client(url, 20)  # warm-up: imports, caches, connections
        per = [
            args.requests // args.clients + (i < args.requests % args.clients) for i in range(args.clients)
        ]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            times = sorted(t for part in pool.map(lambda n: client(url, n), per) for t in part)
        wall = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    p50, p90, p99 = (percentile(times, q) for q in (50, 90, 99))
    print(
        f"POST /api/entitlements, {len(times):,} requests from {args.clients} concurrent clients, "
        f"{args.server_workers} uvicorn worker(s), {os.cpu_count()} cores:"
    )
    print(
        f"  p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms, "
        f"mean {statistics.fmean(times):.1f} ms; {len(times) / wall:.0f} requests/s"
    )
    verdict = "met" if p99 <= TARGET_P99_MS else "NOT met"
    print(f"  target p99 <= {TARGET_P99_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
