"""The numpy tagger network and BIO decoding, against straightforward reference computations."""

import math

import numpy as np

from onrecord.nlp.model import ROLE_LABELS, _bio_constraints, _runs
from onrecord.nlp.network import LSTMDirection, pad, viterbi_bio, viterbi_bio_batch


def reference_lstm(x, w_ih, w_hh, bias):
    """One sequence, one direction, scalar loops: the textbook LSTM (gates i, f, g, o)."""
    H = w_hh.shape[1]
    h, c, out = [0.0] * H, [0.0] * H, []
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    for xt in x:
        g = [sum(w_ih[r][k] * xt[k] for k in range(len(xt))) + sum(w_hh[r][k] * h[k] for k in range(H)) + bias[r]
             for r in range(4 * H)]
        i = [sig(v) for v in g[:H]]
        f = [sig(v) for v in g[H:2 * H]]
        cand = [math.tanh(v) for v in g[2 * H:3 * H]]
        o = [sig(v) for v in g[3 * H:]]
        c = [f[k] * c[k] + i[k] * cand[k] for k in range(H)]
        h = [o[k] * math.tanh(c[k]) for k in range(H)]
        out.append(h)
    return np.array(out)


def test_lstm_matches_the_textbook_recurrence_with_padding_and_reverse():
    rng = np.random.default_rng(0)
    D, H = 3, 2
    lstm = LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32),
                         rng.normal(size=(4 * H, H)).astype(np.float32),
                         rng.normal(size=4 * H).astype(np.float32))
    a, b = rng.normal(size=(5, D)), rng.normal(size=(3, D))
    x = np.zeros((2, 5, D), dtype=np.float32)
    x[0], x[1, :3] = a, b
    lengths = np.array([5, 3])
    fwd = lstm.run(x, lengths, reverse=False)
    bwd = lstm.run(x, lengths, reverse=True)
    np.testing.assert_allclose(fwd[0], reference_lstm(a, lstm.w_ih, lstm.w_hh, lstm.bias), atol=1e-5)
    np.testing.assert_allclose(fwd[1, :3], reference_lstm(b, lstm.w_ih, lstm.w_hh, lstm.bias), atol=1e-5)
    # The backward direction of a padded sequence starts at its last real token, not at the padding.
    np.testing.assert_allclose(bwd[1, :3], reference_lstm(b[::-1], lstm.w_ih, lstm.w_hh, lstm.bias)[::-1], atol=1e-5)
    assert not bwd[1, 3:].any()


def test_tagger_scores_do_not_depend_on_batch_order_or_padding():
    from onrecord.nlp.network import Tagger

    rng = np.random.default_rng(1)
    D, H, L = 4, 3, 5
    lstm = lambda: LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32),  # noqa: E731
                                 rng.normal(size=(4 * H, H)).astype(np.float32), rng.normal(size=4 * H).astype(np.float32))
    tagger = Tagger([rng.normal(size=(10, 2)).astype(np.float32)], rng.normal(size=(D, 2)).astype(np.float32),
                    np.zeros(D, dtype=np.float32), [(lstm(), lstm())], rng.normal(size=(L, 2 * H)).astype(np.float32),
                    np.zeros(L, dtype=np.float32))
    short, long_ = rng.integers(1, 10, size=(3, 1)), rng.integers(1, 10, size=(6, 1))
    alone = tagger.log_probs(*pad([short]))[0, :3]
    ids, lengths = pad([short, long_])
    together = tagger.log_probs(ids, lengths)
    swapped = tagger.log_probs(*pad([long_, short]))
    np.testing.assert_allclose(together[0, :3], alone, atol=1e-5)
    np.testing.assert_allclose(swapped[1, :3], alone, atol=1e-5)
    np.testing.assert_allclose(np.exp(together[1]).sum(axis=-1), 1.0, atol=1e-5)


def test_viterbi_never_starts_inside_a_span_and_beats_greedy():
    allowed, start = _bio_constraints(ROLE_LABELS)
    O, BS, IS, BC, IC = range(5)
    # Greedy would say I-C first (illegal); the best legal path opens the span with B-C.
    lp = np.log(np.array([
        [0.05, 0.05, 0.05, 0.40, 0.45],
        [0.05, 0.05, 0.05, 0.05, 0.80],
        [0.80, 0.05, 0.05, 0.05, 0.05],
        [0.10, 0.10, 0.60, 0.10, 0.10],  # I-S after O is illegal
    ]))
    path = viterbi_bio(lp, allowed, start)
    assert list(path[:3]) == [BC, IC, O]
    assert path[3] != IS
    assert _runs(path, BC, IC) == [(0, 2)]


def test_pad_stacks_and_reports_lengths():
    ids, lengths = pad([np.ones((2, 3)), np.ones((4, 3))])
    assert ids.shape == (2, 4, 3) and list(lengths) == [2, 4]
    assert ids[0, 2:].sum() == 0


def test_batched_viterbi_equals_one_sequence_at_a_time():
    allowed, start = _bio_constraints(ROLE_LABELS)
    rng = np.random.default_rng(3)
    seqs = [np.log(rng.dirichlet(np.ones(5), size=n)) for n in (7, 1, 4, 7)]
    lengths = np.array([len(s) for s in seqs])
    batch = np.zeros((4, 7, 5))
    for b, s in enumerate(seqs):
        batch[b, : len(s)] = s
    paths = viterbi_bio_batch(batch, lengths, allowed, start)
    for b, s in enumerate(seqs):
        assert list(paths[b, : len(s)]) == list(viterbi_bio(s, allowed, start))


def test_joint_bidirectional_loop_equals_the_two_directions_run_apart():
    from onrecord.nlp.network import bilstm

    rng = np.random.default_rng(5)
    D, H = 4, 3
    make = lambda: LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32),  # noqa: E731
                                 rng.normal(size=(4 * H, H)).astype(np.float32), rng.normal(size=4 * H).astype(np.float32))
    fwd, bwd = make(), make()
    lengths = np.array([6, 4, 1])
    x = rng.normal(size=(3, 6, D)).astype(np.float32)
    for b, n in enumerate(lengths):
        x[b, n:] = 0
    expected = np.concatenate([fwd.run(x, lengths, False), bwd.run(x, lengths, True)], axis=-1)
    np.testing.assert_allclose(bilstm(x, lengths, fwd, bwd), expected, atol=1e-5)


def _random_tagger(rng, widths, D, H, L, dense_width=0):
    from onrecord.nlp.network import Tagger

    make = lambda: LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32) * 0.3,  # noqa: E731
                                 rng.normal(size=(4 * H, H)).astype(np.float32) * 0.3,
                                 rng.normal(size=4 * H).astype(np.float32) * 0.1)
    tables = [rng.normal(size=(12, w)).astype(np.float32) for w in widths]
    proj = rng.normal(size=(D, sum(widths) + dense_width)).astype(np.float32) * 0.3
    return Tagger(tables, proj, rng.normal(size=D).astype(np.float32) * 0.1, [(make(), make())],
                  rng.normal(size=(L, 2 * H)).astype(np.float32), np.zeros(L, dtype=np.float32))


def test_windows_of_several_documents_score_like_padded_batches_of_their_features(monkeypatch):
    """The taggers embed a document's tokens once and cut windows from it (the role tagger's windows overlap),
    and tag the windows of several documents together, longest first, in bounded batches; every window's
    scores must be those of its own features padded into a batch, and its path the Viterbi path of them."""
    from onrecord.nlp import network
    from onrecord.nlp.network import WindowRequest

    monkeypatch.setattr(network, "BATCH_ROWS", 3)  # several batches, windows of both documents in each
    rng = np.random.default_rng(7)
    D = H = 16
    tagger = _random_tagger(rng, [4, 4, 2], D, H, L=5, dense_width=6)
    allowed, start = _bio_constraints(ROLE_LABELS)
    docs, requests = [], []
    for n, windows in ((300, [(0, 90), (30, 100), (200, 203), (150, 151)]), (12, [(5, 8), (0, 12), (3, 4)])):
        feats = rng.integers(1, 12, size=(n, 2))
        dense = rng.normal(size=(n, 6)).astype(np.float32)
        extra = [rng.integers(1, 12, size=(b - a, 1)) for a, b in windows]
        docs.append((feats, dense, windows, extra))
        requests.append(WindowRequest(tagger.document_inputs(feats, dense), windows, extra.__getitem__))
    got = tagger.tag_windows(requests, allowed, start)
    for (feats, dense, windows, extra), answers in zip(docs, got):
        ids, lengths = pad([np.concatenate([feats[a:b], e], axis=1) for (a, b), e in zip(windows, extra)])
        vec = pad([dense[a:b] for a, b in windows], np.float32)[0]
        expected = tagger.log_probs(ids, lengths, vec)
        assert len(answers) == len(windows)
        for b, (m, (lp, path)) in enumerate(zip(lengths, answers)):
            assert lp.shape == (m, 5) and np.isfinite(lp).all()
            np.testing.assert_allclose(lp, expected[b, :m], atol=1e-5)
            assert list(path) == list(viterbi_bio(lp, allowed, start))


def test_batches_hold_at_most_their_rows_and_tokens(monkeypatch):
    from onrecord.nlp import network

    monkeypatch.setattr(network, "BATCH_ROWS", 3)
    monkeypatch.setattr(network, "BATCH_TOKENS", 100)
    lengths = [120, 60, 30, 20, 10, 5, 5, 5, 1]
    batches = network._batches(lengths)
    assert [list(b) for b in batches] == [[0], [1, 2], [3, 4, 5], [6, 7, 8]]  # a window over the limit alone


def test_packed_bilstm_equals_the_two_directions_run_apart_on_long_batches():
    """Rows of many lengths (some ending while others run on, one of a single token): the fused time-major
    loop gives the textbook numbers in both directions."""
    from onrecord.nlp.network import bilstm

    rng = np.random.default_rng(11)
    D, H = 24, 16
    make = lambda: LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32) * 0.2,  # noqa: E731
                                 rng.normal(size=(4 * H, H)).astype(np.float32) * 0.2,
                                 rng.normal(size=4 * H).astype(np.float32) * 0.1)
    fwd, bwd = make(), make()
    lengths = np.array([70, 66, 66, 40, 3, 1])
    x = rng.normal(size=(len(lengths), 70, D)).astype(np.float32)
    for b, n in enumerate(lengths):
        x[b, n:] = 0
    expected = np.concatenate([fwd.run(x, lengths, False), bwd.run(x, lengths, True)], axis=-1)
    np.testing.assert_allclose(bilstm(x, lengths, fwd, bwd), expected, atol=1e-5)


def test_branches_of_a_window_are_those_of_the_walk_token_by_token(extractor):
    """features._Branches remembers each token's walk up the tree; it must name every token's branch exactly
    as walking from that token does."""
    from onrecord.nlp import features as F

    doc = extractor.parse("The minister, who had flown in from Kyiv on Monday, told reporters that the talks "
                          "had failed, but aides said later that a new round could begin soon.\nNo one commented.")
    view = F.DocView.of(doc, F.paragraph_ids(doc))
    seen = set()
    for head in range(len(doc)):
        ancestors, cur, depth = {}, head, 0
        while view.heads[cur] != cur and depth < 60:
            cur = view.heads[cur]
            depth += 1
            ancestors[cur] = depth
        branches = F._Branches(head, ancestors, view)
        for i in range(len(doc)):
            name = branches.of(i)
            assert name == F._branch(i, head, ancestors, view)
            seen.add(name.split(":")[0])
    assert {"cue", "child", "anc1", "sib1", "sib2"} <= seen


def test_document_features_read_the_same_with_and_without_growing_the_tables(extractor):
    """Training grows the id tables in reading order, inference looks each distinct value up once: on known
    values both give the same ids."""
    import copy

    from onrecord.nlp import features as F
    from onrecord.nlp.quotes import find_quotes

    text = "“We will not back down,” Senator Ann Lee told CNN on Tuesday in Washington.\nThe White House declined."
    doc = extractor.parse(text)
    vocab = F.Vocab.empty()
    grown = F.doc_features(doc, find_quotes(text), [], vocab, grow=True)
    frozen = copy.deepcopy(vocab)
    assert (F.doc_features(doc, find_quotes(text), [], frozen) == grown).all()
    assert len(set(grown[:, 7].tolist())) >= 4  # B-/I- PERSON, ORG, DATE, GPE and outside all got ids


def test_windows_of_all_cues_at_once_are_those_of_each_cue():
    """``windows_for`` (every cue of a document in one pass) gives each cue the window ``window_for`` does:
    paragraphs either side, the reach, and the cap on long windows centred on the cue."""
    from onrecord.nlp import features as F

    rng = np.random.default_rng(13)
    para = np.repeat(np.arange(12), rng.integers(1, 150, size=12)).astype(np.int32)
    n = len(para)
    cues = [sorted({int(a), int(min(n - 1, a + k))}) for a, k in zip(rng.integers(0, n, size=300), rng.integers(0, 4, size=300))]
    cues = [list(range(c[0], c[-1] + 1)) for c in cues]
    for reach in (None, (56, 80), (5, 3)):
        assert F.windows_for(cues, para, reach) == [F.window_for(None, cue, para, reach) for cue in cues]
    assert F.windows_for([], para) == []


def test_role_features_are_those_of_the_token_by_token_reading(extractor):
    """role_features walks only the cue's own sentence and marks the rest "othersent" at once: the columns,
    and the branch ids a growing table hands out (training), must be those of reading every token in order."""
    import copy

    from onrecord.nlp import features as F

    text = ("Rain fell all night.\nThe minister, who had flown in from Kyiv, told reporters that the talks had "
            "failed. Aides said later that a new round could begin soon, and that nobody had walked out.\n"
            "“We will see,” one of them added. Nothing else was said.")
    doc = extractor.parse(text)
    para = F.paragraph_ids(doc, text)
    view = F.DocView.of(doc, para)
    cues = [[t.i] for t in doc if t.lemma_ in ("tell", "say", "add")]
    assert len(cues) >= 3
    for grow in (False, True):
        vocab = F.Vocab.empty()
        reference = copy.deepcopy(vocab)
        for cue in cues:
            lo, hi = F.window_for(doc, cue, para)
            got = F.role_features(doc, cue, (lo, hi), None, view, vocab, grow=grow)
            head = F.cue_head(doc, cue).i
            ancestors = F.head_ancestors(view, head)
            names = [F._branch(i, head, ancestors, view) if view.sents[i] == view.sents[head] else "othersent"
                     for i in range(lo, hi)]
            expected = [reference.id("branch", name, grow=grow) for name in names]
            assert got[:, 1].tolist() == expected
            assert "othersent" in names and len(set(names)) > 3
        assert vocab.tables["branch"] == reference.tables["branch"]
