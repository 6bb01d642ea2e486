"""Guard accuracy: PolNeAR dev must not drop below floors set just under the current figures.

The figures themselves, with the command that produced them, are in bench/RESULTS.md.  Raise the floors
when the model improves; a change that lowers accuracy must fail here, not pass silently.  The dev split
is extracted once per session; the other tests here reuse its predictions.
"""

import json
import subprocess
import sys

import pytest

from conftest import POLNEAR_DEV, SEED, requires_shared

pytestmark = [pytest.mark.slow, requires_shared(POLNEAR_DEV)]

# Percent F1, about one point under the shipped model's measured figures (bench/RESULTS.md).
FLOORS = {
    "exact_cue_f1": 72.6,
    "exact_source_f1": 75.4,
    "exact_content_f1": 61.0,
    "exact_attribution_f1": 55.9,
    "overlap_attribution_f1": 84.7,
}
# The accurate tier (`--model accurate`), the same way: it shares the default's boundary model and decoding code,
# so a change there can move its figures without touching its file.
ACCURATE_FLOORS = {
    "exact_cue_f1": 75.3,
    "exact_source_f1": 79.3,
    "exact_content_f1": 66.2,
    "exact_attribution_f1": 60.9,
}
SCORER = POLNEAR_DEV.parent.parent.parent / "tools" / "polnear_score.py"


@pytest.fixture(scope="module")
def dev_run(extractor, tmp_path_factory):
    from onrecord.polnear.evaluate import evaluate_split

    pred = tmp_path_factory.mktemp("dev") / "pred.jsonl"
    result, _ = evaluate_split(POLNEAR_DEV, extractor=extractor, write_pred=pred)
    return result, pred


def _below(result, floors: dict[str, float]) -> dict[str, tuple[float, float]]:
    from onrecord.polnear.score import headline

    scores = headline(result)
    return {k: (scores[k], floor) for k, floor in floors.items() if scores[k] < floor}


def test_polnear_dev_stays_above_the_floor(dev_run):
    below = _below(dev_run[0], FLOORS)
    assert not below, f"accuracy regression (measured, floor): {below}"


def test_the_accurate_tier_stays_above_its_floor():
    from onrecord.polnear.evaluate import evaluate_split

    result, _ = evaluate_split(POLNEAR_DEV, model_path="accurate")
    below = _below(result, ACCURATE_FLOORS)
    assert not below, f"accurate tier regression (measured, floor): {below}"


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer is not available")
def test_eval_prints_the_same_table_and_figures_as_the_shared_scorer(dev_run):
    result, pred = dev_run
    ours = subprocess.run([sys.executable, "-m", "onrecord", "eval", "polnear", str(POLNEAR_DEV), "--pred", str(pred)],
                          capture_output=True, text=True, timeout=300)
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, str(SCORER), "--gold", str(POLNEAR_DEV), "--pred", str(pred)],
                            capture_output=True, text=True, check=True)
    rows = lambda s: [ln for ln in s.splitlines() if ln.split(" ")[0] in ("cue", "source", "content", "attribution")]  # noqa: E731
    assert rows(ours.stdout) == rows(theirs.stdout) and len(rows(ours.stdout)) == 8
    as_json = json.loads(subprocess.run([sys.executable, str(SCORER), "--gold", str(POLNEAR_DEV), "--pred", str(pred),
                                         "--json"], capture_output=True, text=True, check=True).stdout)
    for kind in ("exact", "overlap"):
        for role, figures in result[kind].items():
            assert figures["f1"] == pytest.approx(as_json[kind][role]["f1"], abs=1e-12)


@requires_shared(SEED / "moscow-talks.gold.json")
def test_example_article_attributions_and_speakers(extractor):
    from onrecord.evaluation.seed import check, load_seed

    text, gold = load_seed(SEED / "moscow-talks.gold.json")
    report = check(gold, extractor.extract(text))
    missed = [m.gold_cue for m in report.matches if not m.found]
    wrong = [(m.gold_cue, m.gold_speaker, m.predicted_speaker) for m in report.matches if m.found and not m.speaker_right]
    assert report.found >= 29, f"found {report.found}/32; missed {missed}"
    assert report.speaker_right >= 28, f"right speaker {report.speaker_right}/32; wrong {wrong}"
