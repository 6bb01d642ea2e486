"""bench/polnear_compare.py: each PolNeAR Exact figure with a bootstrap interval over documents, and two
prediction files compared on the same draws."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from polnear_compare import compare, document_counts, f1, main  # noqa: E402

TEXTS = {"d1": "Ana Ruiz said that the road was closed.\n", "d2": "Ben Cole warned that the bridge was weak.\n",
         "d3": "The council hired a contractor.\n"}


def _span(doc: str, words: str) -> list[int]:
    start = TEXTS[doc].index(words)
    return [start, start + len(words)]


GOLD = {"d1": ("Ana Ruiz", "said", "the road was closed"), "d2": ("Ben Cole", "warned", "that the bridge was weak")}


@pytest.fixture()
def split(tmp_path):
    root = tmp_path / "split"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for doc, text in TEXTS.items():
        (root / "text" / f"{doc}.txt").write_text(text, encoding="utf-8")
        lines = []
        if doc in GOLD:
            for tid, (role, words) in zip(("T1", "T2", "T3"), zip(("Source", "Cue", "Content"), GOLD[doc])):
                s, e = _span(doc, words)
                lines.append(f"{tid}\t{role} {s} {e}\t{words}")
            lines.append("E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3")
        (root / "attributions" / f"{doc}_a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _att(doc: str, content: str | None = None) -> dict:
    source, cue, gold_content = GOLD[doc]
    return {"source": [_span(doc, source)], "cue": [_span(doc, cue)], "content": [_span(doc, content or gold_content)]}


def _pred(tmp_path, name: str, atts: dict) -> Path:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"id": d, "attributions": a}) + "\n" for d, a in atts.items()), encoding="utf-8")
    return path


def test_each_document_keeps_the_scorers_counts_and_f1_comes_from_their_sums(split, tmp_path):
    pred = _pred(tmp_path, "p", {"d1": [_att("d1")], "d2": [_att("d2", content="the bridge was weak")]})
    counts = document_counts(split, pred)
    assert counts.ids == ("d1", "d2", "d3")
    attribution = counts.table[:, 3]  # matched_pred, pred, matched_gold, gold
    assert attribution.tolist() == [[1, 1, 1, 1], [0, 1, 0, 1], [0, 0, 0, 0]]
    assert counts.table[1, 0].tolist() == [1, 1, 1, 1]  # d2's cue is right, its content is not
    assert f1(counts.table.sum(axis=0))[3] == pytest.approx(50.0)


def test_a_paired_comparison_counts_what_changed_and_where(split, tmp_path):
    worse = _pred(tmp_path, "base", {"d1": [_att("d1")], "d2": [_att("d2", content="the bridge was weak")]})
    better = _pred(tmp_path, "new", {"d1": [_att("d1")], "d2": [_att("d2")]})
    result = compare(document_counts(split, better), document_counts(split, worse), resamples=500, seed=1)
    row = result["figures"]["attribution"]
    assert row["f1"] == pytest.approx(100.0) and row["base_f1"] == pytest.approx(50.0)
    assert row["matched_gold_diff"] == 1 and row["documents_changed"] == 1
    assert 0.0 <= row["diff_interval"][0] <= row["diff_interval"][1] <= 100.0
    # A draw without d2 scores both files alike; every other draw favours the better one.
    without_d2 = (2 / 3) ** 3
    assert row["higher"] == pytest.approx(1 - without_d2, abs=0.06)
    cue = result["figures"]["cue"]
    assert cue["diff"] == 0 and cue["diff_interval"] == (0.0, 0.0) and cue["documents_changed"] == 0


def test_one_file_alone_gets_an_interval_around_its_figure(split, tmp_path):
    pred = _pred(tmp_path, "p", {"d1": [_att("d1")], "d2": [_att("d2", content="the bridge was weak")]})
    row = compare(document_counts(split, pred), None, resamples=300, seed=0)["figures"]["attribution"]
    low, high = row["interval"]
    assert low <= row["f1"] <= high and low < high and "diff" not in row


def test_the_command_line_reports_and_says_what_is_wrong_in_one_line(split, tmp_path, capsys):
    pred = _pred(tmp_path, "p", {"d1": [_att("d1")]})
    assert main(["--gold", str(split), "--pred", str(pred), "--base", str(pred), "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "attribution" in out and "diff +0.00" in out
    assert main(["--gold", str(split), "--pred", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such prediction file" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["--gold", str(split), "--pred", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert main(["--gold", str(split), "--pred", str(pred), "--resamples", "0"]) == 2


def test_f1_of_nothing_predicted_is_zero_not_an_error():
    assert f1(np.zeros((2, 4), dtype=np.int64)).tolist() == [0.0, 0.0]
