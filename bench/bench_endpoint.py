"""Endpoint bench: p50/p95 latency of the one-entity query, 8 concurrent clients, ~1M triples.

Builds (or reuses, with --workdir) the synthetic store of bench_store.py, starts
``chegukg serve`` on loopback, and has N clients (asyncio tasks with keep-alive
connections) each send the one-entity query for a random entity, one request after the
other, for --requests requests in all. Prints latency percentiles and throughput::

    nice .venv/bin/python bench/bench_endpoint.py --workdir /tmp/bench
    nice .venv/bin/python bench/bench_endpoint.py --triples 100000 --requests 800
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import Synthetic, entity_query, load_store  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_store(work: Path, triples: int) -> tuple[Path, Synthetic]:
    synthetic = Synthetic(triples)
    store = work / "store"
    marker = work / f"store-{triples}.ok"
    if not marker.exists():
        shutil.rmtree(store, ignore_errors=True)
        nq = work / "graph.nq"
        if not nq.exists() or not (work / f"graph-{triples}.ok").exists():
            synthetic.write(nq)
            (work / f"graph-{triples}.ok").touch()
        load_store(nq, store).close()
        marker.touch()
    return store, synthetic


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"chegukg serve exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


async def _raw_client(host: str, port: int, paths: list[str], rng: random.Random, state: dict) -> None:
    """A keep-alive HTTP/1.1 client on bare asyncio streams: a load generator as light as
    wrk or hey, so the numbers are the server's, not a Python HTTP library's."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while state["remaining"] > 0:
            state["remaining"] -= 1
            path = rng.choice(paths)
            t = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
                         "Accept: application/sparql-results+json\r\n\r\n".encode("ascii"))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            state["latencies"].append(time.perf_counter() - t)
            if status != 200:
                state["errors"] += 1
    finally:
        writer.close()


async def run_clients(base: str, queries: list[str], clients: int, requests: int) -> tuple[list[float], int, float]:
    from urllib.parse import quote, urlsplit

    url = urlsplit(base)
    paths = ["/sparql?query=" + quote(q, safe="") for q in queries]
    state = {"remaining": requests, "latencies": [], "errors": 0}
    rng = random.Random(3)
    started = time.perf_counter()
    await asyncio.gather(*(_raw_client(url.hostname, url.port, paths, rng, state) for _ in range(clients)))
    return state["latencies"], state["errors"], time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=None, help="chegukg serve --workers")
    parser.add_argument("--workdir", type=Path, default=None, help="keep (and reuse) the store here")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="chegukg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        store, synthetic = ensure_store(work, args.triples)
        print(f"store: {store} ({args.triples:,} triples target; ready in {time.perf_counter() - t:.1f} s)")
        # The endpoint knows the project's prefixes: the query is sent as a client would write it.
        queries = [entity_query(e, prefixes=False) for e in synthetic.sample_entities(500)]
        port = free_port()
        command = [str(Path(sys.executable).parent / "chegukg"), "serve", "--store", str(store),
                   "--port", str(port)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/queries.json", server)
            asyncio.run(run_clients(base, queries, args.clients, 100))  # warm up workers and caches
            latencies, errors, wall = asyncio.run(run_clients(base, queries, args.clients, args.requests))
        finally:
            server.terminate()
            server.wait(timeout=15)
        ms = [x * 1000 for x in latencies]
        print(f"one-entity query, {args.clients} concurrent clients, {len(ms)} requests, {errors} errors")
        print(f"  p50 {percentile(ms, 50):7.2f} ms   p95 {percentile(ms, 95):7.2f} ms   "
              f"p99 {percentile(ms, 99):7.2f} ms   max {max(ms):7.2f} ms   mean {statistics.mean(ms):7.2f} ms")
        print(f"  throughput {len(ms) / wall:7.1f} requests/s")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
