"""bench/polnear_errors.py sorts a prediction file's Exact errors against a PolNeAR-format split by kind."""

import json
import sys
from pathlib import Path

import pytest
from conftest import write_polnear_split

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from polnear_errors import analyse, main, report  # noqa: E402

TEXT = ("Ana Ruiz said on Monday that the road was closed. Ben Cole warned that the bridge was weak. "
        "The council hired a contractor.\n")


def _span(word: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(word, after)
    return start, start + len(word)


@pytest.fixture()
def split(tmp_path):
    spans = {"T1": ("Source", _span("Ana Ruiz")), "T2": ("Cue", _span("said")),
             "T3": ("Content", _span("the road was closed")), "T4": ("Source", _span("Ben Cole")),
             "T5": ("Cue", _span("warned")), "T6": ("Content", _span("that the bridge was weak"))}
    lines = [f"{tid}\t{role} {s} {e}\t{TEXT[s:e]}" for tid, (role, (s, e)) in spans.items()]
    lines += ["E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3", "E2\tAttribution:T5 Source:T4 Cue:T5 Content:T6"]
    return write_polnear_split(tmp_path / "split", TEXT, lines)


def _pred(tmp_path, atts) -> Path:
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps({"id": "d1", "attributions": atts}) + "\n", encoding="utf-8")
    return path


def test_errors_are_sorted_by_kind(split, tmp_path):
    said_on_monday = (_span("said")[0], _span("Monday")[1])
    pred = _pred(tmp_path, [
        # the cue runs on over "on Monday"; source right; content starts at "that"
        {"cue": [said_on_monday], "source": [_span("Ana Ruiz")], "content": [_span("that the road was closed")]},
        # a cue that touches no gold cue
        {"cue": [_span("hired")], "source": [_span("The council")], "content": [_span("a contractor")]},
    ])
    result = analyse(split, pred, with_pos=False)
    assert result["counts"]["cue"]["boundary"] == 1 and result["counts"]["cue"]["missed"] == 1
    assert result["counts"]["cue"]["spurious"] == 1
    assert result["counts"]["source"]["right"] == 1 and result["counts"]["content"]["boundary"] == 1
    assert result["broke"] == {"cue+content": 1, "no cue": 1}
    edges = {(e.role, e.side, e.kind, e.words) for e in result["edges"]}
    assert ("cue", "end", "extra", "on monday") in edges
    assert ("content", "start", "extra", "that") in edges
    assert "cues missed, by words: 'warned' 1" in report(result, 5)


def test_a_missing_prediction_file_is_one_clear_line(split, tmp_path, capsys):
    assert main(["--gold", str(split), "--pred", str(tmp_path / "none.jsonl"), "--no-pos"]) == 2
    assert capsys.readouterr().err.strip() == f"error: no such prediction file: {tmp_path / 'none.jsonl'}"


def test_a_prediction_file_that_is_not_json_lines_is_one_clear_line(split, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["--gold", str(split), "--pred", str(bad), "--no-pos"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad} is not a prediction file") and "\n" not in err


def test_a_folder_that_is_not_a_split_is_one_clear_line(tmp_path, capsys):
    pred = _pred(tmp_path, [])
    assert main(["--gold", str(tmp_path / "nowhere"), "--pred", str(pred), "--no-pos"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "text/" in err and "\n" not in err
