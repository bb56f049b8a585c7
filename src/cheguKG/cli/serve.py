"""``chegukg serve`` (the SPARQL endpoint and browser page) and ``chegukg push``."""

from __future__ import annotations

import click

from . import main

DEFAULT_STORE = "out/store"


@main.command("serve")
@click.option("--store", "store_dir", default=DEFAULT_STORE, show_default=True,
              type=click.Path(file_okay=False), help="The store directory (from `chegukg build`).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7878, show_default=True, type=int, help="Port to listen on (0: any free).")
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Time limit per query, seconds.")
@click.option("--max-rows", default=10_000, show_default=True, type=int,
              help="Most rows (or triples) one response carries; more are cut off.")
@click.option("--max-body", default=1_000_000, show_default=True, type=int, help="Largest request body, bytes.")
@click.option("--workers", default=None, type=int, help="Query worker processes (default: CPUs, at least 2).")
def serve_cmd(store_dir, host, port, timeout, max_rows, max_body, workers):
    """Serve the store as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /."""
    from pathlib import Path

    import uvicorn

    from ..errors import StoreError
    from ..server import create_app

    if not Path(store_dir).is_dir():
        raise StoreError(f"{store_dir}: no store here: build one with `chegukg build` or pass --store DIR")
    app = create_app(store_dir, query_timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers)
    click.echo(f"serving {store_dir} at http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("push")
@click.option("--endpoint", required=True,
              help="The remote store: its Graph Store Protocol URL (--method gsp) or update URL (--method update).")
@click.option("--store", "store_dir", default=DEFAULT_STORE, show_default=True, type=click.Path(file_okay=False),
              help="The local store directory.")
@click.option("--method", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT each named graph; update: SPARQL Update INSERT DATA in batches.")
@click.option("--graph-store", default=None, help="Graph Store Protocol URL when it differs from --endpoint.")
@click.option("--user", default=None, help="User name for HTTP basic auth.")
@click.option("--password", default=None, envvar="CHEGUKG_PUSH_PASSWORD",
              help="Password for basic auth (or set CHEGUKG_PUSH_PASSWORD).")
@click.option("--token", default=None, envvar="CHEGUKG_PUSH_TOKEN",
              help="Bearer token (or set CHEGUKG_PUSH_TOKEN).")
@click.option("--batch", default=5000, show_default=True, type=int, help="Triples per INSERT DATA (update).")
def push_cmd(endpoint, store_dir, method, graph_store, user, password, token, batch):
    """Send every named graph of the local store to a remote SPARQL 1.1 store."""
    from ..errors import ConfigError
    from ..push import push

    if (user is None) != (password is None):
        raise ConfigError("--user and --password go together")
    if token and user:
        raise ConfigError("pass either --user/--password or --token, not both")
    report = push(store_dir, endpoint, method=method, graph_store=graph_store, user=user, password=password,
                  token=token, batch_size=batch)
    click.echo(f"pushed {report.graphs} graph(s), {report.triples} triple(s) to {report.target}")
