"""A build killed with SIGKILL at random moments leaves the previous store intact, and the
next build finishes the job (the same graph as a build that was never interrupted)."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cheguKG.resolve import ResolverState
from cheguKG.store import Store

from conftest import REPO

CHEGUKG = [str(Path(sys.executable).parent / "chegukg")]
OPTIONS = ["--no-ner", "--no-html", "--no-dump", "--no-progress", "--commit-every", "3", "--jobs", "2"]


def make_corpus(path: Path, start: int, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--articles", str(n), "--start", str(start), "--chars", "400", "-o", str(path)])
    return path


def run_build(inputs: list[Path], out: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*CHEGUKG, "build", *map(str, inputs), "--out", str(out), *OPTIONS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def snapshot(out: Path) -> tuple[dict[str, str], set[str]]:
    """(article hashes in the store, entity IRIs in the store's entities graph)."""
    store = Store.open(out / "store", read_only=True)
    try:
        hashes = store.article_hashes()
        rows = store.query("SELECT DISTINCT ?e WHERE { GRAPH cgr:graph\\/_entities { ?e skos:prefLabel ?l } }")
        return hashes, {row["e"].value for row in rows}
    finally:
        store.close()


@pytest.mark.slow
def test_build_kill_at_random_moments_then_finish(tmp_path):
    first = make_corpus(tmp_path / "first.jsonl", 0, 8)
    more = make_corpus(tmp_path / "more.jsonl", 8, 24)
    out = tmp_path / "out"
    t0 = time.monotonic()
    done = run_build([first], out)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    duration = time.monotonic() - t0  # start-up and 8 articles: the second build is longer
    before, _ = snapshot(out)
    assert len(before) == 8

    rng = random.Random(int(os.environ.get("KILL_SEED", time.time())))
    moments = [rng.uniform(0.2, 2.5 * duration) for _ in range(3)]
    for moment in moments:
        proc = run_build([first, more], out)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        hashes, _ = snapshot(out)  # the store opens, and reads
        print(f"killed at {moment:.1f} s: {len(hashes)} articles committed")
        assert {k: hashes[k] for k in before} == before, f"killed at {moment:.1f} s"
        ResolverState.open(out / "resolver.sqlite").close()

    finish = run_build([first, more], out)
    assert finish.wait(timeout=300) == 0, finish.stderr.read().decode()
    hashes, entities = snapshot(out)
    assert len(hashes) == 32

    clean = tmp_path / "clean"
    proc = run_build([first, more], clean)
    assert proc.wait(timeout=300) == 0
    clean_hashes, clean_entities = snapshot(clean)
    assert hashes == clean_hashes
    assert entities == clean_entities, (f"kills at {[round(m, 1) for m in moments]}: only after kills "
                                        f"{sorted(entities - clean_entities)[:5]}, only clean "
                                        f"{sorted(clean_entities - entities)[:5]}")
    with open(out / "extraction.jsonl", encoding="utf-8") as fh:
        assert sorted(json.loads(line)["source"] for line in fh) == sorted(hashes)
