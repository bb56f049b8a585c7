"""The Dask build gives the same graph as the single-process build.

A LocalCluster of two worker processes on 127.0.0.1 (started here, shared by the module's
tests) builds the seed article plus a few synthetic ones; the result is compared with
``cheguKG.builder.build`` as sets of N-Quads lines.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402

from cheguKG.builder import build  # noqa: E402
from cheguKG.cli import main  # noqa: E402
from cheguKG.distributed import ENTITIES_FILE, NQUADS_DIR, build_distributed  # noqa: E402
from cheguKG.store import Store  # noqa: E402

pytestmark = pytest.mark.slow

#: Synthetic articles (recombined genre sentences): the same people, companies and
#: meetings recur across articles, so corpus-level resolution has work to do.
SYNTHETIC = {
    "s1.txt": "岚图汽车召开新品发布会\n2021年3月2日，岚图汽车CEO卢放在武汉经开区发布新车。"
              "卢放表示，岚图将加快建设高端智能电动汽车品牌。",
    "s2.txt": "市委常委会调研车谷\n12月9日，市委常委会专题调研武汉经开区并召开会议。"
              "会议审议通过了《关于支持武汉经开区转型发展的若干措施》。东风汽车集团有限公司董事长竺延风参加调研。",
    "s3.txt": "华科大与经开区签约\n华中科技大学与武汉经开区签署战略合作协议，共建智能网联汽车研究院。"
              "华科大校长李元元表示，将服务中国车谷新能源汽车产业发展。",
}
RECORDS = [
    {"id": "r1", "text": "武汉经开区党工委书记、管委会主任王文彤主持召开党工委（扩大）会议。", "date": "2020-12-10"},
    {"id": "r2", "text": "岚图汽车科技有限公司在武汉经开区投资建设新能源汽车项目，卢放出席签约仪式。"},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_path) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copy(seed_path, root / seed_path.name)
    for name, text in SYNTHETIC.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")  # a failure both builds report
    return root


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    report = build([corpus], out=out, jobs=1, progress=False, html=False)
    return out, report


def quad_lines(out: Path) -> set[str]:
    store = Store.open(out / "store", read_only=True)
    try:
        return {str(q) for q in store.quads()}
    finally:
        store.close()


def records(out: Path) -> dict[str, dict]:
    lines = (out / "extraction.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["source"]: r for r in map(json.loads, lines)}


def test_distributed_equals_single_process_build(corpus, cluster, single, tmp_path):
    single_out, single_report = single
    report = build_distributed([corpus], tmp_path, scheduler=cluster, partitions=3, dump=False)
    assert report.built == single_report.built == 6
    assert len(report.failures) == len(single_report.failures) == 1
    assert quad_lines(tmp_path) == quad_lines(single_out)
    assert records(tmp_path) == records(single_out)
    assert report.entities == single_report.entities
    assert report.relations == single_report.relations


def test_distributed_writes_partition_nquads(corpus, cluster, tmp_path):
    from pyoxigraph import RdfFormat, parse
    from pyoxigraph import Store as OxStore

    build_distributed([corpus], tmp_path, scheduler=cluster, partitions=3, dump=False)
    parts = sorted((tmp_path / NQUADS_DIR).glob("part-*.nq"))
    assert [p.name for p in parts] == ["part-00000.nq", "part-00001.nq", "part-00002.nq"]
    loaded = OxStore()  # (a store writes literals in canonical form: "1.0"^^xsd:double = 1e0)
    graphs_per_part = []
    for path in [*parts, tmp_path / NQUADS_DIR / ENTITIES_FILE]:
        quads = list(parse(path=str(path), format=RdfFormat.N_QUADS))
        graphs_per_part.append({q.graph_name for q in quads})
        loaded.extend(quads)
    assert {str(q) for q in loaded} == quad_lines(tmp_path)  # the files are the store, no more
    for i, a in enumerate(graphs_per_part):  # each article's graph lives in one file only
        for b in graphs_per_part[i + 1:]:
            assert not a & b


def test_distributed_rebuild_skips_unchanged_and_replaces_changed(corpus, cluster, single, tmp_path):
    changed = tmp_path / "corpus"
    shutil.copytree(corpus, changed)
    out, single_out = tmp_path / "out", tmp_path / "single"
    shutil.copytree(single[0], single_out)
    build_distributed([changed], out, scheduler=cluster, partition_size=2, dump=False)
    (changed / "s1.txt").write_text(SYNTHETIC["s1.txt"].replace("卢放", "李明"), encoding="utf-8")
    report = build_distributed([changed], out, scheduler=cluster, partition_size=2, dump=False)
    assert (report.built, report.skipped) == (1, 5)
    # the same update, incremental, in one process
    build([changed], out=single_out, jobs=1, progress=False, html=False)
    assert quad_lines(out) == quad_lines(single_out)


def test_distributed_build_is_updated_by_the_single_process_build(corpus, cluster, tmp_path):
    report = build_distributed([corpus], tmp_path, scheduler=cluster, partition_size=4, dump=False)
    before = quad_lines(tmp_path)
    again = build([corpus], out=tmp_path, jobs=1, progress=False, html=False, dump=False)
    assert (again.built, again.skipped) == (0, report.built)  # same settings: nothing to redo
    assert quad_lines(tmp_path) == before


def test_distributed_cli_with_scheduler_address(corpus, cluster, single, tmp_path):
    address = cluster.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    result = CliRunner().invoke(main, ["build-dask", str(corpus), "--out", str(tmp_path),
                                       "--scheduler", address, "--partitions", "2", "--no-dump", "--html"])
    assert result.exit_code == 1, result.output  # empty.txt failed, the rest was built
    assert "empty.txt" in result.output and "built 6 article(s)" in result.output
    assert "<html" in (tmp_path / "graph.html").read_text(encoding="utf-8")[:2000].lower()
    assert quad_lines(tmp_path) == quad_lines(single[0])


def test_distributed_build_command_takes_a_scheduler(corpus, cluster, single, tmp_path):
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path), "--scheduler",
                                       cluster.scheduler.address, "--no-dump", "--no-html"])
    assert result.exit_code == 1, result.output
    assert "built 6 article(s)" in result.output
    assert quad_lines(tmp_path) == quad_lines(single[0])


def test_distributed_refuses_lexicons_workers_cannot_read(corpus, cluster, tmp_path, monkeypatch):
    from cheguKG.errors import CheguError
    from cheguKG.extract import ExtractConfig

    lexicon = tmp_path / "extra.tsv"
    lexicon.write_text("# type\tname\taliases\nEnterprise\t岚图汽车\t岚图\n", encoding="utf-8")
    config = ExtractConfig(lexicons=(lexicon,))
    monkeypatch.setattr("cheguKG.distributed.worker_setup",
                        lambda config: ([str(lexicon)], None))  # as a worker on another machine
    with pytest.raises(CheguError, match="cannot read .*extra.tsv"):
        build_distributed([corpus], tmp_path / "out", scheduler=cluster, config=config)
    assert not (tmp_path / "out" / "store").exists()  # nothing was touched


def test_distributed_cli_unreachable_scheduler(tmp_path):
    port = _free_port()
    result = CliRunner().invoke(main, ["build-dask", "--out", str(tmp_path),
                                       "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str | None:
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else shutil.which("oxigraph")


def test_distributed_pushes_to_a_remote_store(corpus, cluster, tmp_path):
    import httpx

    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = _free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "remote"),
                               "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        out = tmp_path / "out"
        report = build_distributed([corpus], out, scheduler=cluster, partitions=2, dump=False,
                                   push=base + "/store")
        assert any(n.startswith("pushed ") for n in report.notes)
        remote = httpx.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=10.0)
        assert remote.status_code == 200
        from pyoxigraph import RdfFormat, parse
        from pyoxigraph import Store as OxStore

        pushed = OxStore()
        pushed.extend(parse(remote.content, format=RdfFormat.N_QUADS))
        assert {str(q) for q in pushed} == quad_lines(out)
    finally:
        server.terminate()
        server.wait(timeout=10)
