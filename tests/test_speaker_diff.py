"""bench/speaker_diff.py: pairing two extract runs' attributions and counting speaker changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from speaker_diff import compare, load, main  # noqa: E402


def _att(cue: int, speaker: str, kind: str) -> dict:
    return {"cue": [[cue, cue + 4]], "speaker": speaker, "speaker_type": kind, "source_text": speaker}


def _write(path: Path, docs: dict[str, list[dict]]) -> Path:
    path.write_text("".join(json.dumps({"id": d, "attributions": a}) + "\n" for d, a in docs.items()))
    return path


def test_name_and_type_changes_are_counted_apart(tmp_path, capsys):
    old = _write(tmp_path / "old.jsonl", {"a": [_att(0, "Hillary Clinton", "PERSON"), _att(9, "voters", "GPE"),
                                                _att(20, "Ostby", "GPE")]})
    new = _write(tmp_path / "new.jsonl", {"a": [_att(0, "Hillary Clinton spokesman", "GROUP"),
                                                _att(9, "voters", "GROUP"), _att(30, "x", "GROUP")]})
    result = compare(load(old), load(new))
    assert result["paired"] == 2 and result["only_old"] == 1 and result["only_new"] == 1
    assert result["names"] == [("a", 0)] and result["types"] == [("a", 9)]
    assert result["type_pairs"] == {("GPE", "GROUP"): 1}
    assert main([str(old), str(new)]) == 0
    assert "Hillary Clinton [PERSON] -> Hillary Clinton spokesman [GROUP]" in capsys.readouterr().out


def test_a_file_that_is_not_extract_output_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n')
    try:
        load(bad)
    except SystemExit as err:
        assert "bad.jsonl:1" in str(err)
    else:
        raise AssertionError("no error")
