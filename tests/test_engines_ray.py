"""The Ray engine on a real local Ray cluster (2 CPUs, no dashboard), started here and stopped at the end.

- it gives exactly the articles the local engine gives, in input order;
- a worker killed with SIGKILL in the middle of an ingest: the job completes,
  no article is lost, none is stored or returned twice;
- `onrecord ingest --engine ray --address` joins an existing cluster (from
  another process) and leaves it running.

Each Ray Data run starts its actors afresh (each loads the pipeline, a few
seconds), so the runs here are few and small.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from onrecord.analysis import ArticleMeta  # noqa: E402
from onrecord.engines.local import LocalEngine  # noqa: E402
from onrecord.engines.ray_engine import RayEngine  # noqa: E402
from onrecord.ingest import ingest  # noqa: E402
from test_engines_shards import assert_same_store, table_rows, variants, write_jsonl  # noqa: E402

pytestmark = [pytest.mark.ray,
              # Ray Data copies its context for every dataset and warns about its own deprecated fields.
              pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")]


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster for this module; its GCS address is what `--address` takes."""
    if ray.is_initialized():  # another module's connection: not ours to reuse or stop
        pytest.skip("Ray is already initialised in this process")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # the cluster's processes inherit it: no reporting home
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=256 * 1024 ** 2,
             logging_level="ERROR", log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def items_of(articles: list[dict]) -> list[tuple[str, ArticleMeta]]:
    return [(a["text"], ArticleMeta(origin=a["url"], url=a["url"], outlet=a["outlet"], title=a["title"],
                                    published=a["published"])) for a in articles]


def test_ray_engine_gives_the_local_engines_articles_in_order(cluster, extractor):
    items = items_of(variants(16))
    local = list(LocalEngine(extractor).process(items))
    # Longer than the pipeline accepts: spaCy refuses the whole batch it is in (the local engine would raise).
    huge = ("Officials said the talks would go on. " * 30_000, ArticleMeta(origin="huge"))
    engine = RayEngine(extractor, workers=2, batch_size=2, window=10)  # two windows: two Ray Datasets
    got = list(engine.process(iter(items[:5] + [huge] + items[5:])))
    assert [p.meta.origin for p in got] == [m.origin for _, m in items[:5]] + ["huge"] + [m.origin for _, m in items[5:]]
    refused = got.pop(5)
    assert refused.error and "E088" in refused.error and refused.attributions == ()
    # The article batched with it, and all the others: equal records (ids, spans, speakers, kinds, exact
    # confidences, enricher data).
    assert got == local
    assert sum(engine.worker_articles.values()) == len(items) + 1  # each article came back once
    assert sum(len(p.attributions) for p in got) > len(items)
    engine.close()
    assert ray.is_initialized()  # a cluster it joined is not its to stop


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for its parent (the raylet) to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_worker_killed_mid_ingest_loses_and_doubles_nothing(cluster, extractor, tmp_path):
    articles = variants(40)
    source = write_jsonl(tmp_path / "news.jsonl", articles)
    engine = RayEngine(extractor, workers=2, batch_size=1)
    host = socket.gethostname()
    killed: list[int] = []

    def kill_a_worker(outcome) -> None:
        # At the first stored article, SIGKILL the actor process that made it: it is busy with its next batches.
        if killed or outcome.status != "stored":
            return
        worker = next(w for w in engine.worker_articles if w.startswith(f"{host}:"))
        pid = int(worker.rsplit(":", 1)[1])
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    db = tmp_path / "ray.db"
    report = ingest([source], db=db, engine=engine, on_item=kill_a_worker)
    assert killed and not _alive(killed[0])
    assert report.ok and report.stored == len(articles), report.failures
    # Nothing lost, nothing twice: every article once, every statement row once, counts consistent.
    assert table_rows(db, "SELECT count(*), count(DISTINCT id) FROM articles")[0] == (40, 40)
    assert table_rows(db, "SELECT count(*) FROM (SELECT article_id, idx FROM attributions "
                          "GROUP BY 1, 2 HAVING count(*) > 1)")[0][0] == 0
    assert table_rows(db, "SELECT count(*) FROM articles a WHERE n_attributions != "
                          "(SELECT count(*) FROM attributions t WHERE t.article_id = a.id)")[0][0] == 0
    assert sum(engine.worker_articles.values()) == len(articles)  # no batch's output came back twice
    # And the same store as the local engine's, killed worker or not.
    local_db = tmp_path / "local.db"
    assert ingest([source], db=local_db, extractor=extractor).stored == len(articles)
    assert_same_store(db, local_db)


def test_cli_ingest_joins_an_existing_cluster(cluster, extractor, tmp_path):
    source = write_jsonl(tmp_path / "news.jsonl", variants(8))
    db = tmp_path / "cli.db"
    run = subprocess.run(
        [sys.executable, "-m", "onrecord", "ingest", str(source), "--engine", "ray", "--workers", "2",
         "--address", cluster, "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "RAY_DATA_LOG_LEVEL": "ERROR"},
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert (summary["stored"], summary["failed"]) == (8, 0)
    local_db = tmp_path / "local.db"
    ingest([source], db=local_db, extractor=extractor)
    assert_same_store(db, local_db)
    # The cluster the command joined is still up, and still usable from here.
    assert all(n["Alive"] for n in ray.nodes())
    assert ray.get(ray.put(41)) + 1 == 42
