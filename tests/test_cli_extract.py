"""The extract and eval commands, run as real processes."""

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.slow


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "onrecord", *args], capture_output=True, text=True, input=stdin,
                          timeout=600)


def test_spans_format_is_the_scorers_format():
    r = run("extract", str(EXAMPLES), "--format", "spans")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert {d["id"] for d in lines} == {p.stem for p in EXAMPLES.glob("*.txt")}
    for d in lines:
        text = (EXAMPLES / f"{d['id']}.txt").read_text(encoding="utf-8")
        assert set(d) == {"id", "attributions"}
        assert d["attributions"], d["id"]
        for a in d["attributions"]:
            assert set(a) == {"source", "cue", "content"}
            for spans in a.values():
                for s, e in spans:
                    assert 0 <= s < e <= len(text)


def test_jsonl_format_carries_kinds_speakers_and_texts():
    r = run("extract", str(EXAMPLES / "budget-vote.txt"), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    text = (EXAMPLES / "budget-vote.txt").read_text(encoding="utf-8")
    kinds = {"direct", "indirect", "mixed", "according_to", "nominal", "belief"}
    for a in doc["attributions"]:
        assert a["kind"] in kinds
        assert 0 <= a["confidence"] <= 1
        assert a["content_text"] == " ".join(text[s:e] for s, e in a["content"])
        assert a["cue_text"] == " ".join(text[s:e] for s, e in a["cue"])
    speakers = {a["speaker"] for a in doc["attributions"]}
    assert "Priya Natarajan" in speakers and "Samuel Brooks" in speakers


def test_stdin_is_read():
    r = run("extract", "-", "--format", "jsonl", stdin="“It is over,” the coach said on Sunday.")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["id"] == "stdin" and doc["attributions"][0]["cue_text"] == "said"


def test_bad_inputs_get_a_clear_line_each_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a-good.txt").write_text("The mayor said that the bridge would reopen.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "latin1.txt").write_bytes("Le maire a dit que le pont rouvrira. Café".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    with open(tmp_path / "huge.txt", "w", encoding="utf-8") as f:
        f.write("The minister said that it was fine. " * 600_000)  # ~21 MB
    (tmp_path / "z-good.txt").write_text("“We won,” the captain said.", encoding="utf-8")
    r = run("extract", str(tmp_path), "--format", "spans")
    assert r.returncode == 1
    ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
    assert ids == ["a-good", "z-good"]
    err = r.stderr
    assert "binary.txt" in err and "binary" in err
    assert "latin1.txt" in err and "UTF-8" in err
    assert "empty.txt" in err and "empty" in err
    assert "huge.txt" in err and "MB" in err
    assert "Traceback" not in err


def test_missing_path_is_a_clear_error(tmp_path):
    r = run("extract", str(tmp_path / "nope.txt"))
    assert r.returncode != 0
    assert "no such file" in r.stderr.lower() and "Traceback" not in r.stderr


def test_help_teaches():
    r = run("extract", "--help")
    assert r.returncode == 0
    assert "--format" in r.stdout and "Examples" in r.stdout
