"""Query worker processes: each opens the store read-only and answers one query at a time.

pyoxigraph cannot interrupt a query, so a query over the time limit is stopped by ending its
worker (and starting a fresh one); the server keeps serving. Results are read lazily, so
the row limit stops a big query early, and cross the process boundary as plain tuples.

>>> pool = QueryPool("out/store", size=2)                                  # doctest: +SKIP
>>> await pool.run({"query": "ASK {}", "max_rows": 10, "union": True}, timeout=10)  # doctest: +SKIP

Only the standard library is imported here at module level: every worker imports this
module, and workers should start fast.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from .results import HTTPProblem


def open_reader(store_dir: str | Path):
    """The store opened read-only (``store.Store``): it follows the versions a running
    build publishes, re-checking before every query, and never disturbs the writer."""
    from .store import Store

    return Store.open(store_dir, read_only=True)


def _term(term) -> tuple | None:
    """A pyoxigraph term as a plain tuple that pickles small and cheaply."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return ("uri", term.value)
    if kind == "BlankNode":
        return ("bnode", term.value)
    if kind == "Literal":
        return ("literal", term.value, term.datatype.value, term.language)
    if kind == "Triple":
        return ("triple", _term(term.subject), _term(term.predicate), _term(term.object))
    return ("literal", str(term), None, None)


def _collect(result, max_rows: int) -> dict[str, Any]:
    kind = type(result).__name__
    if kind == "QueryBoolean":
        return {"kind": "boolean", "value": bool(result)}
    rows: list = []
    truncated = False
    if kind == "QuerySolutions":
        width = len(result.variables)
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(_term(solution[i]) for i in range(width)))
        return {"kind": "bindings", "vars": [v.value for v in result.variables], "rows": rows,
                "truncated": truncated}
    for triple in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append(triple)
    return {"kind": "triples", "triples": rows, "truncated": truncated}


def _run_one(store, request: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    kwargs: dict[str, Any] = {"union": request["union"]}
    if request.get("default_graphs"):
        kwargs = {"union": False, "default_graph": [pyoxigraph.NamedNode(g) for g in request["default_graphs"]]}
    if request.get("named_graphs"):
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request["named_graphs"]]
    return _collect(store.query(request["query"], **kwargs), request["max_rows"])


def _worker_main(conn, store_dir: str) -> None:
    """A worker process: open the store read-only, answer queries until told to stop."""
    from .errors import QueryError, StoreError

    store = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            if store is None:
                store = open_reader(store_dir)
            conn.send(("ok", _run_one(store, request)))
        except (QueryError, SyntaxError) as exc:
            conn.send(("syntax", str(exc)))
        except (StoreError, OSError) as exc:
            store = None  # reopen next time: the store may have been replaced under us
            conn.send(("store", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _worker_entry(fd: int, store_dir: str) -> None:
    """Entry point of a worker process (``python -c``), talking over the socket ``fd``."""
    import signal
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle: it stops us

    _worker_main(Connection(fd), store_dir)


class _Worker:
    """One worker process. Started with subprocess rather than multiprocessing, so it never
    re-imports the caller's ``__main__`` (a notebook or a script without a main guard)."""

    def __init__(self, store_dir: str):
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        code = "import sys; from cheguKG.querypool import _worker_entry; _worker_entry(int(sys.argv[1]), sys.argv[2])"
        self.process = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), store_dir],
                                        pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())

    def stop(self, kill: bool = False) -> None:
        import subprocess

        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=2)
        self.conn.close()


class QueryPool:
    """Worker processes, each with the store open read-only; one query at a time each.

    Used from the server's event loop only: it waits on a worker's socket directly (no
    thread in between, fewer wake-ups per query). A query over its deadline costs its
    worker (killed and replaced), never the server.
    """

    def __init__(self, store_dir: str | Path, size: int = 2):
        self.store_dir = str(Path(store_dir).resolve())
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._waiters: deque = deque()  # futures of requests waiting for a worker
        self._all: list[_Worker] = []
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_dir)
        self._all.append(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        if worker in self._all:
            self._all.remove(worker)
        if self._started:
            self._add_worker()

    def close(self) -> None:
        self._started = False
        workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()

    async def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run one query request; raises HTTPProblem on a syntax error or timeout."""
        import asyncio

        self.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(loop, deadline, timeout)
        try:
            status, payload = await self._ask(worker, request, loop, deadline, timeout)
        except BaseException:  # over time, cancelled or broken: its state is unknown
            self._retire(worker)
            raise
        self._release(worker)
        if status == "syntax":
            raise HTTPProblem(400, "Malformed query", payload)
        if status == "store":
            raise HTTPProblem(503, "Store unavailable", payload)
        if status == "error":
            raise HTTPProblem(500, "Query failed", payload)
        return payload

    async def _acquire(self, loop, deadline: float, timeout: float) -> _Worker:
        import asyncio

        if self._idle:
            return self._idle.pop()
        waiter = loop.create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise _timeout_problem(timeout) from None

    async def _ask(self, worker: _Worker, request: dict[str, Any], loop, deadline: float, timeout: float):
        import asyncio

        try:
            worker.conn.send(request)
            fd = worker.conn.fileno()
            ready = loop.create_future()
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                raise _timeout_problem(timeout) from None
            finally:
                loop.remove_reader(fd)
            return worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise HTTPProblem(500, "Query worker failed", f"{type(exc).__name__}: {exc}") from None


def _timeout_problem(timeout: float) -> HTTPProblem:
    return HTTPProblem(400, "Query timeout",
                       f"the query ran over the time limit of {timeout:g} s and was stopped; "
                       "narrow it (LIMIT, more specific patterns) or raise --timeout")
