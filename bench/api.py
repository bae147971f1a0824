"""Benchmark: latency of `POST /api/entitlements` under concurrent clients, against the real server.

    .venv/bin/python bench/api.py [--clients 20] [--requests 2000] [--server-workers N]

Starts `migrantsp serve` (uvicorn; `--workers` engine processes, default one per core) in a child
process on a free localhost port, waits for /api/health, warms up, then sends a fixed number of requests
over `--clients` concurrent keep-alive connections and prints the p50/p90/p99 latency and the
throughput. The careers are 60 variants of the README's Myanmar woman in Thai manufacturing (nationality,
birth year, length of stay, wage; old age under `none` or `asean-c157`), each client starting at a
different one, so concurrent requests are different careers. The clients are asyncio connections
speaking plain HTTP/1.1 in one process, so that the load generator takes little of the CPU the server
shares with it on this machine. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

import httpx

TARGET_P99_MS = 50.0


def variant(k: int) -> dict[str, object]:
    """The README's career varied by `k` (nationality, birth year, length of stay, wage, instrument), so
    that concurrent requests are different careers, as real ones are."""
    return {
        "person": {"birth_date": f"{1970 + k % 20}-05-01", "sex": ("female", "male")[k % 2],
                   "nationality": ("MMR", "KHM", "LAO")[k % 3]},
        "spells": [{"country": "THA", "start": "2005-01-01", "end": f"{2008 + k % 15}-12-31",
                    "sector": "manufacturing", "monthly_wage": 9000 + 500 * (k % 13)}],
        "evaluate": {"date": "2035-05-01", "branches": ["old_age"]},
        "instrument": ("none", "asean-c157")[k % 2],
    }  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int | None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "migrantsp", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", *([] if workers is None else ["--workers", str(workers)])]  # fmt: skip
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL)  # its own group


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


def http_request(port: int, career: dict[str, object]) -> bytes:
    body = json.dumps(career).encode()
    return (
        f"POST /api/entitlements HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def client(port: int, n: int, times: list[float], first: int = 0) -> None:
    """One keep-alive connection sending `n` requests one after the other (careers `first`, `first` + 1,
    ... of the 60 variants), timing each."""
    requests = [http_request(port, variant(k)) for k in range(60)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for j in range(n):
            t0 = time.perf_counter()
            writer.write(requests[(first + j) % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
            reply = await reader.readexactly(int(headers["content-length"]))
            times.append((time.perf_counter() - t0) * 1e3)
            if lines[0].split(" ")[1] != "200":
                raise SystemExit(f"unexpected reply {lines[0]}: {reply[:200]!r}")
    finally:
        writer.close()


async def load(port: int, clients: int, requests: int) -> tuple[list[float], float]:
    """Latencies (ms) of `requests` requests over `clients` concurrent connections, and the wall time."""
    await client(port, 50, [])  # warm-up: caches, connections
    per = [requests // clients + (i < requests % clients) for i in range(clients)]
    times: list[float] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(client(port, n, times, first=3 * i) for i, n in enumerate(per)))
    return sorted(times), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (connections)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in all (after the warm-up)")
    parser.add_argument("--server-workers", type=int, default=None,
                        help="engine processes of the server (default: one per core; 0: none)")  # fmt: skip
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.server_workers)
    try:
        wait_ready(url, proc)
        times, wall = asyncio.run(load(port, args.clients, args.requests))
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
        f"{os.cpu_count() if args.server_workers is None else args.server_workers} engine process(es), "
        f"{os.cpu_count()} cores:"
    )
    print(
        f"  p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms, "
        f"mean {statistics.fmean(times):.1f} ms; {len(times) / wall:.0f} requests/s"
    )
    verdict = "met" if p99 <= TARGET_P99_MS else "NOT met"
    print(f"  target p99 <= {TARGET_P99_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
