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


def test_windows_of_one_document_score_like_padded_batches_of_their_features():
    """The taggers embed a document's tokens once and cut windows from it (the role tagger's windows overlap);
    the scores must be those of the windows' features padded into a batch, for short and long batches."""
    from onrecord.nlp.network import SMALL_PRODUCT

    rng = np.random.default_rng(7)
    D = H = 64
    tagger = _random_tagger(rng, [4, 4, 2], D, H, L=5, dense_width=6)
    n = 300
    feats = rng.integers(1, 12, size=(n, 2))
    dense = rng.normal(size=(n, 6)).astype(np.float32)
    inputs = tagger.document_inputs(feats, dense)
    for windows in ([(0, 90), (30, 100), (200, 203), (150, 151)], [(5, 8), (9, 11), (40, 41)], [(3, 4), (7, 8)]):
        T = max(b - a for a, b in windows)
        assert (T * 4 * H * D >= SMALL_PRODUCT) == (T >= 64)
        extra = [rng.integers(1, 12, size=(b - a, 1)) for a, b in windows]
        got, lengths = tagger.log_probs_windows(inputs, windows, extra)
        ids, lengths2 = pad([np.concatenate([feats[a:b], e], axis=1) for (a, b), e in zip(windows, extra)])
        vec = pad([dense[a:b] for a, b in windows], np.float32)[0]
        expected = tagger.log_probs(ids, lengths2, vec)
        assert list(lengths) == list(lengths2)
        for b, m in enumerate(lengths):
            np.testing.assert_allclose(got[b, :m], expected[b, :m], atol=1e-6)
            assert np.isfinite(got[b, :m]).all()


def test_packed_bilstm_equals_the_two_directions_run_apart_on_long_batches():
    """Long batches take the packed input product (short ones the padded one): both give the textbook numbers."""
    from onrecord.nlp.network import SMALL_PRODUCT, bilstm

    rng = np.random.default_rng(11)
    D, H = 64, 64
    make = lambda: LSTMDirection(rng.normal(size=(4 * H, D)).astype(np.float32) * 0.2,  # noqa: E731
                                 rng.normal(size=(4 * H, H)).astype(np.float32) * 0.2,
                                 rng.normal(size=4 * H).astype(np.float32) * 0.1)
    fwd, bwd = make(), make()
    lengths = np.array([70, 66, 40, 1])
    assert 70 * 4 * H * D >= SMALL_PRODUCT
    x = rng.normal(size=(4, 70, D)).astype(np.float32)
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
