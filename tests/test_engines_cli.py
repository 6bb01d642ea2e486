"""`onrecord scale export | merge` and the engine options of `onrecord ingest`: exit statuses, messages, JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from test_engines_shards import build_inputs, table_rows

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_export_then_merge_from_the_command_line(tmp_path):
    inputs = build_inputs(tmp_path / "news")
    (inputs / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")  # one input that is no article
    shards = tmp_path / "shards"

    exported = cli("scale", "export", inputs, "-o", shards, "--rows-per-shard", "4", "--json")
    assert exported.exit_code == 1  # an input failed; the rest were exported
    summary = json.loads(exported.stdout.strip().splitlines()[-1])
    assert (summary["exported"], summary["unchanged"], summary["failed"], summary["parts"]) == (8, 1, 1, 2)
    assert summary["failures"][0]["origin"].endswith("scan.txt")
    assert "scan.txt" in exported.stderr

    db = tmp_path / "news.db"
    merged = cli("scale", "merge", shards, "--db", db)
    assert merged.exit_code == 0, merged.output
    assert "8 stored, 0 replaced, 0 unchanged, 0 failed, 1 further source(s) from 2 part(s)" in merged.stdout
    assert table_rows(db, "SELECT count(*) FROM articles")[0][0] == 8

    again = cli("scale", "export", inputs, "-o", shards, "--quiet")  # nothing new to export
    assert again.exit_code == 1 and again.stdout == ""  # the binary file still fails, on stderr only
    assert sorted(p.name for p in (shards / "articles").iterdir()) == ["part-000000.parquet", "part-000001.parquet"]
    remerged = cli("scale", "merge", shards, "--db", db, "--json")
    assert remerged.exit_code == 0
    assert json.loads(remerged.stdout)["unchanged"] == 8


def test_merge_of_a_folder_without_shards_says_what_to_do(tmp_path):
    result = cli("scale", "merge", tmp_path, "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "holds no shards" in result.stderr and "onrecord scale export" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_address_without_the_ray_engine_is_a_usage_error(tmp_path):
    result = cli("ingest", tmp_path, "--address", "head:6379", "--db", tmp_path / "x.db")
    assert result.exit_code == 2 and "--engine ray" in result.stderr


def test_unreachable_ray_cluster_fails_fast_with_a_hint(tmp_path):
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        pytest.skip("this process is already connected to Ray")
    inputs = build_inputs(tmp_path / "news")
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    result = cli("ingest", inputs, "--engine", "ray", "--address", "127.0.0.1:9", "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "cannot reach a Ray cluster at 127.0.0.1:9" in result.stderr and "ray start --head" in result.stderr
    assert not ray.is_initialized()


def test_help_teaches_with_examples():
    for args in (("scale", "--help"), ("scale", "export", "--help"), ("ingest", "--help")):
        result = cli(*args)
        assert result.exit_code == 0
        assert "--engine" in result.stdout or "export" in result.stdout
    ingest_help = cli("ingest", "--help").stdout
    assert "--address" in ingest_help and "onrecord[ray]" in ingest_help  # not eaten as rich markup
    assert "duckdb" in cli("scale", "--help").stdout
