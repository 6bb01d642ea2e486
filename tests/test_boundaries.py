"""Boundary decoding: the taggers' spans get their edges re-chosen by a learned gap model."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.nlp import features as F
from onrecord.nlp.boundaries import (
    CONTENT, BoundaryModel, CueFrame, DocFacts, end_deltas, gap_features, start_deltas,
)
from onrecord.nlp.quotes import find_quotes

O, BS, IS, BC, IC = range(5)


def _path_logp(lp: np.ndarray, path: np.ndarray) -> float:
    return float(lp[np.arange(len(path)), path].sum())


def _with_span(path: np.ndarray, start: int, end: int, b: int = BC, i: int = IC) -> np.ndarray:
    new = np.where((path == b) | (path == i), 0, path)
    new[start] = b
    new[start + 1 : end] = i
    return new


def test_edge_deltas_equal_the_change_in_the_whole_paths_log_probability():
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = 16
        lp = np.log(rng.dirichlet(np.ones(5), size=n))
        s0, e0 = sorted(rng.choice(np.arange(2, n - 1), size=2, replace=False))
        path = _with_span(np.zeros(n, dtype=np.int64), s0, e0)
        base = _path_logp(lp, path)
        first, stop = max(0, s0 - 4), e0  # starts up to the span's last token
        got = start_deltas(lp, path, s0, first, stop, BC, IC)
        want = [_path_logp(lp, _with_span(path, i, e0)) - base for i in range(first, stop)]
        np.testing.assert_allclose(got, want, atol=1e-9)
        first, stop = s0 + 1, min(n, e0 + 4) + 1  # ends from after its first token
        got = end_deltas(lp, path, e0, first, stop, BC, IC)
        want = [_path_logp(lp, _with_span(path, s0, j)) - base for j in range(first, stop)]
        np.testing.assert_allclose(got, want, atol=1e-9)


def _moved(path: np.ndarray, s0: int, e0: int, start: int, end: int) -> np.ndarray:
    """The path with the content's hull moved to [start, end), the other role's tokens untouched."""
    new = path.copy()
    ours = (path == BC) | (path == IC)
    new[min(s0, start):start][ours[min(s0, start):start]] = O
    if start < s0:
        new[start:s0 + 1] = IC
    new[start] = BC
    new[e0:end] = IC
    new[end:e0][ours[end:e0]] = O
    return new


def test_a_span_of_several_runs_may_lose_its_first_or_last_run_but_not_the_tokens_between():
    rng = np.random.default_rng(5)
    path = np.zeros(18, dtype=np.int64)
    path[3], path[4:6] = BC, IC  # first run 3..5
    path[6], path[7] = BS, IS  # a source between the runs
    path[9], path[10:13] = BC, IC  # second run 9..12
    s0, e0 = 3, 13
    for _ in range(20):
        lp = np.log(rng.dirichlet(np.ones(5), size=len(path)))
        base = _path_logp(lp, path)
        starts = [i for i in range(0, e0) if i <= s0 or path[i] in (BC, IC)]
        got = start_deltas(lp, path, s0, 0, e0, BC, IC)
        for i in starts:
            assert got[i] == pytest.approx(_path_logp(lp, _moved(path, s0, e0, i, e0)) - base)
        ends = [j for j in range(s0 + 1, len(path) + 1) if j >= e0 or path[j - 1] in (BC, IC)]
        got = end_deltas(lp, path, e0, s0 + 1, len(path) + 1, BC, IC)
        for j in ends:
            assert got[j - s0 - 1] == pytest.approx(_path_logp(lp, _moved(path, s0, e0, s0, j)) - base)


@pytest.fixture(scope="module")
def nlp():
    from onrecord.nlp.pipeline import load_base

    return load_base()


def _setup(nlp, text: str, cue_word: str):
    doc = nlp(text)
    para = F.paragraph_ids(doc)
    view = F.DocView.of(doc, para)
    facts = DocFacts(doc, view, F.quote_state(doc, find_quotes(text)))
    cue = [t.i for t in doc if t.text == cue_word]
    return doc, facts, CueFrame.of(doc, cue, view), cue


def _model(weights: dict[str, float], lam: float) -> BoundaryModel:
    names = sorted(weights)
    return BoundaryModel({"features": names, "radius": 6, "tagger_weight": {CONTENT: lam}, "prune": 10.0},
                         np.array([weights[n] for n in names], dtype=np.float32))


def _confident(path: np.ndarray) -> np.ndarray:
    lp = np.full((len(path), 5), np.log(0.01 / 4))
    lp[np.arange(len(path)), path] = np.log(0.99)
    return lp


def test_a_learned_gap_moves_the_start_unless_the_tagger_outweighs_it(nlp):
    text = "The mayor told reporters on Friday that the bridge would reopen in May."
    doc, facts, frame, cue = _setup(nlp, text, "told")
    words = [t.text for t in doc]
    path = _with_span(np.zeros(len(doc), dtype=np.int64), words.index("reporters"), words.index("."))
    lp = _confident(path)
    # the gap before "that" is where contents start
    model = _model({"Cs|rw=that": 12.0}, lam=0.3)
    blocked = np.isin(np.arange(len(doc)), cue)
    moved = model.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked)
    content = [words[i] for i in np.flatnonzero(moved >= BC)]
    assert content[0] == "that" and content[-1] == "May"
    assert moved[words.index("that")] == BC and moved[words.index("reporters")] == O
    # the same evidence against a tagger weighted 100 times more: the tagger's span stands
    stubborn = _model({"Cs|rw=that": 12.0}, lam=30.0)
    assert np.array_equal(stubborn.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked), path)
    # weight 0 switches the role off
    off = _model({"Cs|rw=that": 8.0}, lam=0.0)
    assert np.array_equal(off.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked), path)


def test_an_edge_never_takes_over_the_cue_or_another_roles_tokens(nlp):
    text = "\u201cWe will win,\u201d the governor said on Monday."
    doc, facts, frame, cue = _setup(nlp, text, "said")
    words = [t.text for t in doc]
    path = _with_span(np.zeros(len(doc), dtype=np.int64), words.index("We"), words.index("win") + 1)
    path[words.index("the")] = BS
    path[words.index("governor")] = IS
    lp = _confident(path)
    # evidence that spans end right after "said" or at the end of the sentence
    model = _model({"Ce|lw=said": 20.0, "Ce|lw=monday": 20.0, "Ce|rw=.": 20.0}, lam=0.01)
    blocked = np.isin(np.arange(len(doc)), cue)
    moved = model.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked)
    assert moved[words.index("the")] == BS and moved[words.index("governor")] == IS
    assert moved[words.index("said")] == O
    assert np.flatnonzero(moved >= BC).max() < words.index("the")


def test_training_learns_the_gold_gaps_and_the_file_round_trips(nlp, tmp_path):
    from onrecord.polnear.corpus import GoldAttribution, GoldDocument
    from onrecord.training.boundaries import Encoded, accuracy, document_examples, fit

    sentences = [
        ("The mayor told reporters on Friday that the bridge would reopen.", "told", "that the bridge would reopen"),
        ("A spokesman told the newspaper that talks had stalled.", "told", "that talks had stalled"),
        ("The minister told parliament that prices would fall.", "told", "that prices would fall"),
    ]
    text = " ".join(s for s, _, _ in sentences)
    atts, at = [], 0
    for sentence, cue, content in sentences:
        c = text.index(cue, at)
        k = text.index(content, at)
        atts.append(GoldAttribution(cue=((c, c + len(cue)),), source=(), content=((k, k + len(content)),)))
        at += len(sentence) + 1
    gold = GoldDocument("own", text, tuple(atts), None)
    doc = nlp(text)
    enc = Encoded()
    enc.add(document_examples(doc, gold, (56, 80), 4))
    assert "content-start" in enc.keys and "cue-end" in enc.keys
    enc.save(tmp_path / "edges.npz")
    again = Encoded.load(tmp_path / "edges.npz")
    for a, b in zip(enc.arrays(), again.arrays()):
        np.testing.assert_array_equal(a, b)
    assert again.table == enc.table and again.keys == enc.keys
    names, weights = fit(enc, min_count=1, l2=1e-4, iters=150, lr=0.05)
    by_id = np.zeros(len(enc.table), dtype=np.float32)
    for name, w in zip(names, weights):
        by_id[enc.table[name]] = w
    assert accuracy(by_id, enc)["content-start"] == 1.0
    model = BoundaryModel({"features": names, "radius": 4, "tagger_weight": {CONTENT: 1.0}}, weights)
    model.save(tmp_path / "b.npz")
    again = BoundaryModel.load(tmp_path / "b.npz")
    para = F.paragraph_ids(doc)
    view = F.DocView.of(doc, para)
    facts = DocFacts(doc, view, F.quote_state(doc, find_quotes(text)))
    frame = CueFrame.of(doc, [1 + [t.text for t in doc].index("told")], view)
    for gap in range(len(doc)):
        a = model.gap_score(facts, frame, gap, CONTENT, "s")
        assert a == pytest.approx(again.gap_score(facts, frame, gap, CONTENT, "s"))
        names_here = set(gap_features(facts, frame, gap, CONTENT, "s"))
        assert a == pytest.approx(sum(w for n, w in zip(names, weights) if n in names_here), abs=1e-5)


def test_a_missing_boundary_file_is_a_clear_model_error(tmp_path):
    from onrecord.errors import ModelError

    with pytest.raises(ModelError, match="rebuild it"):
        BoundaryModel.load(tmp_path / "nothing.npz")


def test_a_content_with_its_own_radius_reaches_an_end_beyond_the_default_radius(nlp):
    text = "The governor said that taxes would fall during a long campaign stop in the northern town of Flint."
    doc, facts, frame, cue = _setup(nlp, text, "said")
    words = [t.text for t in doc]
    path = _with_span(np.zeros(len(doc), dtype=np.int64), words.index("that"), words.index("."))
    lp = _confident(path)
    weights = {"Ce|rw=during": 30.0}
    blocked = np.isin(np.arange(len(doc)), cue)
    near = _model(weights, lam=0.05)  # "during" lies 10 tokens before the tagged end: out of the default radius
    assert words.index(".") - words.index("during") > near.radius
    assert np.array_equal(near.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked), path)
    far = BoundaryModel({**near.meta, "role_radius": {CONTENT: 12}}, near.weights)
    assert far.radius_of(CONTENT) == 12 and far.radius_of("S") == near.radius
    moved = far.refine(facts, frame, CONTENT, lp, path, 0, (0, len(doc)), blocked)
    content = [words[i] for i in np.flatnonzero(moved >= BC)]
    assert content[0] == "that" and content[-1] == "fall"


def test_a_content_run_the_tagger_doubts_is_dropped_on_the_bodys_side_of_the_cue():
    from onrecord.nlp.model import sure_runs

    probs = np.full((20, 5), 0.01)
    probs[0:3, 4] = 0.6  # a doubted run before the cue (tokens 4..5)
    probs[7:9, 4] = 0.6  # a doubted run right after the cue ("told his supporters | to ...")
    probs[10:16, 4] = 0.95  # the body
    lp = np.log(probs)
    runs = [(0, 3), (7, 9), (10, 16)]
    cue = (4, 6)
    # the doubted run on the body's side goes; the one across the cue (a fronted clause) stays
    assert sure_runs(lp, runs, 0.9, cue) == [(0, 3), (10, 16)]
    assert sure_runs(lp, runs, 0.5, cue) == runs  # sure enough: all stay
    # the body (the longest run) stays however doubted
    assert sure_runs(lp, [(7, 9), (10, 16)], 0.99, cue) == [(10, 16)]


def test_training_gives_the_content_its_own_radius(nlp):
    from onrecord.polnear.corpus import GoldAttribution, GoldDocument
    from onrecord.training.boundaries import document_examples

    text = "The governor said on Friday that taxes would fall sharply next year across the whole of the state."
    c, k = text.index("said"), text.index("that")
    gold = GoldDocument("own", text, (GoldAttribution(cue=((c, c + 4),), source=(),
                                                      content=((k, len(text) - 1),)),), None)
    doc = nlp(text)
    sizes = {}
    for radius in (None, 10):
        examples = document_examples(doc, gold, (56, 80), 3, {CONTENT: radius} if radius else None)
        sizes[radius] = {(role, side): len(gaps) for role, side, gaps, _, _ in examples}
    assert sizes[10][(CONTENT, "s")] > sizes[None][(CONTENT, "s")]
    assert sizes[10][(CONTENT, "e")] > sizes[None][(CONTENT, "e")]
    assert sizes[10][("Q", "e")] == sizes[None][("Q", "e")]  # the cue keeps the common radius


def test_every_gap_scores_exactly_the_sum_of_its_named_features_weights(nlp):
    """The decoder scores all of a document's gaps at once (numpy columns); training reads the same features
    by name.  Both must agree to the last bit, in every table, with every kind of feature present."""
    from onrecord.nlp.boundaries import CUE, SOURCE, prefixes

    text = ("\u201cWe will not pay 12 million dollars,\u201d the mayor said on Friday.\n"
            "She told reporters that the bridge, which opened in 1998, would reopen in May and that the\n"
            "council agreed. According to the city, 3.5 percent of the budget remains.")
    doc = nlp(text)
    para = F.paragraph_ids(doc)
    view = F.DocView.of(doc, para)
    facts = DocFacts(doc, view, F.quote_state(doc, find_quotes(text)))
    frames = [CueFrame.of(doc, [t.i], view, head_only=head) for t in doc if t.text in ("said", "told", "According")
              for head in (False, True)]
    names = sorted({name for frame in frames for gap in range(len(doc) + 1) for role in (CUE, SOURCE, CONTENT)
                    for side in "se" for name in gap_features(facts, frame, gap, role, side)})
    assert any("lw=<num>" in n for n in names) and any("|para" in n for n in names) and any("lq=3" in n for n in names)
    rng = np.random.default_rng(7)
    model = BoundaryModel({"features": names, "radius": 6}, rng.normal(size=len(names)).astype(np.float32))
    for frame in frames:
        for gap in range(len(doc) + 1):
            for role in (CUE, SOURCE, CONTENT):
                for side in "se":
                    get = model.tables[prefixes(frame, gap, role, side)].get
                    want = sum(get(f, 0.0) for f in facts.gap(gap)) + sum(get(f, 0.0) for f in frame.features(facts, gap))
                    assert model.gap_score(facts, frame, gap, role, side) == want
