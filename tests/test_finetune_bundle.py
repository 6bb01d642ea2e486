"""The fine-tuning bundle (what a GPU machine without spaCy trains from) and the join back into a model file.

The trainer itself (``onrecord.training.finetune``) needs PyTorch, which CI does not install; its agreement with
the run-time numpy encoder and taggers is checked by ``python -m onrecord.training.finetune_check``.
"""

import numpy as np
import pytest

from onrecord.errors import ModelError
from onrecord.nlp import features as F
from onrecord.nlp.encoder import CLS_ID, SEP_ID, MiniLMEncoder
from onrecord.nlp.modelfile import read_model_file, write_model_file
from onrecord.training import finetune_bundle

from conftest import write_polnear_split

TEXT = (
    "Harbour officials said on Monday that the ferry would resume service in May.\n\n"
    "The union disputed the timetable, arguing that two of the three boats still lacked crews. "
    "A spokeswoman for the operator declined to comment."
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("finetune")
    said = TEXT.index("said")
    content = TEXT.index("the ferry")
    split = write_polnear_split(root / "split", TEXT, [
        f"T1\tSource 0 {said - 1}\tHarbour officials", f"T2\tCue {said} {said + 4}\tsaid",
        f"T3\tContent {content} {TEXT.index('.')}\tthe ferry would resume service in May",
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3"])
    out = root / "bundle.npz"
    frozen = root / "frozen.npz"  # the shipped file without its tuned layers: what fine-tuning starts from
    meta, arrays = read_model_file(finetune_bundle.ACCURATE)
    meta["encoder"] = {k: v for k, v in meta["encoder"].items() if k != "tuned_layers"}
    write_model_file(frozen, meta, {k: v for k, v in arrays.items() if not k.startswith("encoder.")})
    finetune_bundle.pack(str(split), str(split), str(root / "cache"), str(out), str(frozen))
    meta, arrays = read_model_file(out)
    return root, meta, arrays


def test_every_token_is_in_one_cue_chunk_in_order(bundle):
    _, meta, a = bundle
    n = int(a["train.doc_tokens"].sum())
    assert a["train.feats"].shape == (n, len(F.DOC_FEATURES))
    starts, lengths = a["train.chunks"][:, 0], a["train.chunks"][:, 1]
    assert starts[0] == 0 and (starts[1:] == starts[:-1] + lengths[:-1]).all() and starts[-1] + lengths[-1] == n
    assert a["train.cue_labels"].tolist().count(1) == 1 and a["train.cue_labels"].max() == 1  # one gold cue, "said"


def test_role_windows_hold_the_gold_content_inside_the_document(bundle):
    _, _, a = bundle
    n = int(a["train.doc_tokens"].sum())
    assert ((a["train.role_start"] >= 0) & (a["train.role_start"] + a["train.role_len"] <= n)).all()
    assert len(a["train.role_labels"]) == a["train.role_len"].sum() == len(a["train.role_feats"])
    first = a["train.role_labels"][: a["train.role_len"][0]]
    assert {1, 3}.issubset(set(first.tolist()))  # B-S and B-C of the one gold attribution


def test_each_piece_lies_in_its_window_and_belongs_to_a_token(bundle):
    _, _, a = bundle
    n = int(a["train.doc_tokens"].sum())
    owner, win, p = a["train.piece_owner"], a["train.piece_win"], np.arange(len(a["train.pieces"]))
    assert ((owner >= 0) & (owner < n)).all() and (np.diff(owner) >= 0).all()
    start = a["train.win_start"][win]
    assert ((start <= p) & (p < start + a["train.win_len"][win])).all()
    assert (a["train.win_len"] <= 126).all()


def test_the_compact_embedding_rows_are_the_published_ones(bundle):
    _, meta, a = bundle
    enc = MiniLMEncoder.load()
    rows = a["enc.embeddings.word_embeddings.weight"]
    assert np.array_equal(rows[0], enc.word_emb[CLS_ID].astype(np.float16))
    assert np.array_equal(rows[1], enc.word_emb[SEP_ID].astype(np.float16))
    assert rows.shape[0] == a["train.pieces"].max() + 1 == len(np.unique(np.r_[0, 1, a["train.pieces"]]))
    assert meta["encoder_layers"] == 4 and "enc.encoder.layer.3.output.dense.weight" in a
    assert "enc.encoder.layer.4.output.dense.weight" not in a  # layers the accurate tier never runs stay behind


def _trained(bundle, tuned_layers=(3, 4)):
    """What the trainer writes, made of the bundle's starting weights: taggers without their tok2vec
    columns, and the published encoder layers."""
    root, meta, a = bundle
    width = {"cue": sum(meta["doc_dims"]), "role": sum(meta["doc_dims"]) + sum(meta["role_dims"])}
    taggers = {}
    for key, value in a.items():
        if key.startswith("init."):
            name = key[len("init."):]
            if name.endswith("proj.weight"):
                first = width[name.split(".")[0]]
                value = np.concatenate([value[:, :first], value[:, first + meta["tok2vec_width"]:]], axis=1)
            taggers[name] = value
    write_model_file(root / "t.npz", {"version": "test-finetuned", "vocab": meta["vocab"], "embedded_width": width,
                                      "dev_token_f1": {"cue": 1.0, "role": 2.0}, "args": {},
                                      "init_version": "frozen-start"}, taggers)
    layers = {k[len("enc."):]: v for k, v in a.items()
              if k.startswith("enc.encoder.layer.") and int(k.split(".")[3]) + 1 in tuned_layers}
    write_model_file(root / "l.npz", {"tuned_layers": list(tuned_layers)}, layers)
    return root


def test_join_puts_zero_tok2vec_columns_back_and_carries_the_layers(bundle):
    root = _trained(bundle)
    meta = finetune_bundle.join(str(root / "t.npz"), str(root / "l.npz"), str(root / "joined.npz"))
    joined_meta, joined = read_model_file(root / "joined.npz")
    _, template = read_model_file(finetune_bundle.ACCURATE)
    first = sum(bundle[1]["doc_dims"])
    proj = joined["cue.proj.weight"]
    assert proj.shape == template["cue.proj.weight"].shape
    assert not proj[:, first : first + 96].any()
    assert np.array_equal(proj[:, first + 96 :], template["cue.proj.weight"][:, first + 96 :])
    assert joined_meta["encoder"]["tuned_layers"] == [3, 4] and meta["version"] == "test-finetuned"
    assert joined_meta["args"]["from"] == "frozen-start"  # provenance: the model the trainer started from
    assert {k.split(".")[2] for k in joined if k.startswith("encoder.")} == {"2", "3"}
    assert "blend.cue.proj.weight" in joined  # the blend partner (it reads the tok2vec columns) stays


def test_tuned_layers_replace_only_their_own(bundle):
    enc = MiniLMEncoder.load()
    words = TEXT.split()
    before = enc.encode_words(words, (1, 2, 3, 4))
    arrays = {f"encoder.layer.2.{k}": v for k, v in _layer_arrays(enc, 2).items()}
    H = enc.hidden
    same = MiniLMEncoder.load()
    same.tune(arrays)  # the published weights, read back: the same states
    assert np.abs(same.encode_words(words, (1, 2, 3, 4)) - before).max() < 1e-5
    # A shift that varies across features (a constant one would vanish in the LayerNorm after it).
    arrays["encoder.layer.2.output.dense.bias"] = arrays["encoder.layer.2.output.dense.bias"] + np.linspace(-1, 1, H)
    enc.tune(arrays)
    after = enc.encode_words(words, (1, 2, 3, 4))
    assert np.array_equal(before[:, : 2 * H], after[:, : 2 * H])  # layers 1 and 2 untouched
    assert np.abs(before[:, 2 * H :] - after[:, 2 * H :]).max() > 1e-2


def _layer_arrays(enc, k):
    """Layer ``k``'s weights under their published names (the run-time layout turned back)."""
    layer = enc.layers[k]
    q, kk, v = np.split(layer.qkv_w.T, 3)
    qb, kb, vb = np.split(layer.qkv_b, 3)
    return {
        "attention.self.query.weight": q, "attention.self.key.weight": kk, "attention.self.value.weight": v,
        "attention.self.query.bias": qb, "attention.self.key.bias": kb, "attention.self.value.bias": vb,
        "attention.output.dense.weight": layer.attn_out_w.T, "attention.output.dense.bias": layer.attn_out_b,
        "attention.output.LayerNorm.weight": layer.ln1[0], "attention.output.LayerNorm.bias": layer.ln1[1],
        "intermediate.dense.weight": layer.inter_w.T, "intermediate.dense.bias": layer.inter_b,
        "output.dense.weight": layer.out_w.T, "output.dense.bias": layer.out_b,
        "output.LayerNorm.weight": layer.ln2[0], "output.LayerNorm.bias": layer.ln2[1],
    }


def test_a_tuned_layer_with_missing_weights_is_a_clear_error():
    enc = MiniLMEncoder.load()
    with pytest.raises(ModelError, match="layer 2 lacks"):
        enc.tune({"encoder.layer.1.output.dense.bias": np.zeros(enc.hidden, np.float32)})
    with pytest.raises(ModelError, match="layer 9 is not one of the 6"):
        enc.tune({"encoder.layer.8.output.dense.bias": np.zeros(enc.hidden, np.float32)})


def test_tuned_layers_travel_as_int8_differences_and_come_back_within_a_step():
    from safetensors.numpy import load_file

    from onrecord.nlp.encoder import bundled_model_dir, decode_tuned, encode_tuned

    published = load_file(str(bundled_model_dir() / "model.safetensors"))
    name = "encoder.layer.1.intermediate.dense.weight"
    rng = np.random.default_rng(3)
    tuned = {name: published[name] + rng.normal(0, 0.005, published[name].shape).astype(np.float32),
             "encoder.layer.1.output.dense.bias": published["encoder.layer.1.output.dense.bias"] + 0.01}
    stored = encode_tuned(tuned, published)
    assert stored[f"{name}.delta"].dtype == np.int8 and stored[f"{name}.scale"].shape == (tuned[name].shape[0],)
    back = decode_tuned(stored, published)
    step = stored[f"{name}.scale"][:, None]
    assert (np.abs(back[name] - tuned[name]) <= step / 2 + 1e-6).all()
    assert np.abs(back["encoder.layer.1.output.dense.bias"] - tuned["encoder.layer.1.output.dense.bias"]).max() < 1e-3
    unchanged = encode_tuned({name: published[name]}, published)
    assert not unchanged[f"{name}.delta"].any()  # a layer fine-tuning left alone decodes to the published one
    enc, same = MiniLMEncoder.load(), MiniLMEncoder.load(tuned={**unchanged, **{
        f"encoder.layer.1.{k}": v for k, v in _layer_arrays(MiniLMEncoder.load(), 1).items()
        if f"encoder.layer.1.{k}" != name}})
    words = TEXT.split()
    assert np.abs(enc.encode_words(words, (2,)) - same.encode_words(words, (2,))).max() < 1e-5


def test_pack_refuses_to_start_from_a_fine_tuned_model(tmp_path):
    with pytest.raises(SystemExit, match="not a frozen-encoder accurate model"):
        finetune_bundle.pack("unused", "unused", str(tmp_path), str(tmp_path / "b.npz"), str(finetune_bundle.ACCURATE))


def test_a_tuned_layer_of_another_shape_is_refused():
    enc = MiniLMEncoder.load()
    arrays = {f"encoder.layer.0.{k}": v for k, v in _layer_arrays(enc, 0).items()}
    arrays["encoder.layer.0.intermediate.dense.bias"] = np.zeros(7, np.float32)
    with pytest.raises(ModelError, match="layer 1 does not have all-MiniLM-L6-v2's shapes"):
        enc.tune(arrays)


def test_join_refuses_taggers_whose_vocabulary_outgrows_the_blend_partner(bundle):
    root = _trained(bundle)
    meta, taggers = read_model_file(root / "t.npz")
    grown = taggers["cue.embs.0.weight"]
    taggers["cue.embs.0.weight"] = np.concatenate([grown, grown[:3]])
    write_model_file(root / "t-grown.npz", meta, taggers)
    with pytest.raises(SystemExit, match="outgrow"):
        finetune_bundle.join(str(root / "t-grown.npz"), str(root / "l.npz"), str(root / "joined-grown.npz"))


def test_a_header_naming_tuned_layers_the_file_lacks_is_refused(bundle):
    import spacy

    from onrecord.nlp.contextual import EncoderVectors

    meta, _ = read_model_file(finetune_bundle.ACCURATE)
    header = {**meta["encoder"], "tuned_layers": [1, 2, 3, 4]}
    with pytest.raises(ModelError, match="fine-tuned encoder layers its file lacks"):
        EncoderVectors(spacy.blank("en"), header, meta["dense_width"], {})


def test_join_keeps_the_trainers_int8_differences_and_the_run_time_adds_them_to_its_float16_start(bundle):
    from safetensors.numpy import load_file

    from onrecord.nlp.encoder import bundled_model_dir, decode_tuned, encode_tuned, tuned_base

    root = _trained(bundle)
    published = load_file(str(bundled_model_dir() / "model.safetensors"))
    start = tuned_base(published, "float16")  # the bundle's copies: what the trainer's differences are from
    _, plain = read_model_file(root / "l.npz")
    rng = np.random.default_rng(5)
    moved = {k: v.astype(np.float32) + (rng.normal(0, 0.004, v.shape).astype(np.float32) if v.ndim == 2 else 0.0)
             for k, v in plain.items()}
    written = encode_tuned(moved, start)
    write_model_file(root / "l-int8.npz", {"tuned_layers": [3, 4]}, written)
    finetune_bundle.join(str(root / "t.npz"), str(root / "l-int8.npz"), str(root / "joined-int8.npz"))
    meta, joined = read_model_file(root / "joined-int8.npz")
    assert meta["encoder"]["tuned_base"] == "float16"
    assert all(np.array_equal(joined[k], v) for k, v in written.items())  # no second rounding
    trained = decode_tuned(written, start)
    enc = MiniLMEncoder.load(tuned={k: v for k, v in joined.items() if k.startswith("encoder.")}, base="float16")
    for name, value in _layer_arrays(enc, 3).items():
        assert np.allclose(value, trained[f"encoder.layer.3.{name}"], rtol=0, atol=1e-7), name
    with pytest.raises(ModelError, match="unknown base"):
        MiniLMEncoder.load(tuned=written, base="bfloat16")


def test_join_takes_the_read_layers_from_the_trainer_and_its_int8_layer_file(bundle):
    from onrecord.nlp.encoder import encode_tuned

    root = _trained(bundle)
    meta, taggers = read_model_file(root / "t.npz")
    write_model_file(root / "t-45.npz", {**meta, "read_layers": [4, 5]}, taggers)
    _, plain = read_model_file(root / "l.npz")
    moved = {k: v.astype(np.float32) + (0.01 if v.ndim == 2 else 0.0) for k, v in plain.items()}
    # The trainer writes differences from the bundle's float16 weights; join keeps them.
    write_model_file(root / "l8.npz", {"tuned_layers": [3, 4]}, encode_tuned(moved, plain))
    finetune_bundle.join(str(root / "t-45.npz"), str(root / "l8.npz"), str(root / "joined-45.npz"))
    joined_meta, joined = read_model_file(root / "joined-45.npz")
    assert joined_meta["encoder"]["layers"] == [4, 5]
    name = "encoder.layer.3.output.dense.weight"
    step = joined[f"{name}.scale"][:, None]
    assert np.abs(joined[f"{name}.delta"] * step - 0.01).max() < 1e-3  # the trainer's move survives
    write_model_file(root / "t-3.npz", {**meta, "read_layers": [3, 4, 5]}, taggers)
    with pytest.raises(SystemExit, match="room for 2"):
        finetune_bundle.join(str(root / "t-3.npz"), str(root / "l8.npz"), str(root / "joined-3.npz"))


def test_pack_can_carry_more_encoder_layers():
    from safetensors.numpy import load_file

    from onrecord.nlp.encoder import bundled_model_dir

    weights = load_file(str(bundled_model_dir() / "model.safetensors"))
    five = finetune_bundle._encoder_arrays(weights, [0, 1, 2], 5)
    assert "enc.encoder.layer.4.output.dense.weight" in five and "enc.encoder.layer.5.output.dense.weight" not in five
    assert five["enc.embeddings.word_embeddings.weight"].shape == (3, weights["embeddings.word_embeddings.weight"].shape[1])


def _run(root, name, taggers, layers, meta, **changes):
    """A trainer's output under prefix ``name``: its taggers' header and arrays, its layers."""
    write_model_file(root / f"{name}-taggers.npz", {**meta, **changes}, taggers)
    write_model_file(root / f"{name}-layers.npz", {"tuned_layers": [3, 4]}, layers)
    return str(root / name)


def test_a_soup_is_the_mean_of_its_runs_and_refuses_runs_of_another_start(bundle):
    from onrecord.nlp.encoder import decode_tuned, encode_tuned
    from onrecord.training import soup

    root = _trained(bundle)
    meta, taggers = read_model_file(root / "t.npz")
    _, plain = read_model_file(root / "l.npz")
    name = "encoder.layer.3.output.dense.weight"
    moved = {k: v.astype(np.float32) for k, v in plain.items()}
    moved[name] = moved[name] + 0.02
    a = _run(root, "A", taggers, plain, meta, epoch=3)  # a plain layer file, as the first trainer wrote
    b = _run(root, "B", {**taggers, "cue.out.bias": taggers["cue.out.bias"] + 1.0}, encode_tuned(moved, plain),
             meta, epoch=5)
    header = soup.soup(str(root / "bundle.npz"), [a, b], str(root / "AB"))
    _, mixed = read_model_file(root / "AB-taggers.npz")
    assert np.allclose(mixed["cue.out.bias"], taggers["cue.out.bias"] + 0.5)
    assert np.array_equal(mixed["cue.embs.0.weight"], taggers["cue.embs.0.weight"])
    _, stored = read_model_file(root / "AB-layers.npz")
    base = soup.bundle_layers(bundle[2])
    back = decode_tuned(stored, base)
    assert np.abs(back[name] - (plain[name].astype(np.float32) + 0.01)).max() < 2e-4
    assert header["read_layers"] == bundle[1]["read_layers"] and header["args"]["soup_of"][1]["epoch"] == 5
    other = _run(root, "C", taggers, plain, meta, init_version="another-start")
    with pytest.raises(SystemExit, match="differs from .* in its init_version"):
        soup.soup(str(root / "bundle.npz"), [a, other], str(root / "AC"))
    with pytest.raises(SystemExit, match="at least two"):
        soup.soup(str(root / "bundle.npz"), [a], str(root / "A1"))


def test_a_soup_of_a_missing_run_stops_with_one_line(bundle):
    from onrecord.training import soup

    root = bundle[0]
    with pytest.raises(SystemExit, match="cannot average the runs: .*missing-taggers.npz"):
        soup.main([str(root / "bundle.npz"), str(root / "missing"), str(root / "missing2"), "--out", str(root / "S")])


def test_the_bundles_layers_are_the_base_join_records(bundle):
    """join writes ``tuned_base: float16`` because the trainer starts from the bundle's copies: they must be the
    published layers rounded to float16, which the run time rebuilds from the published file."""
    from safetensors.numpy import load_file

    from onrecord.nlp.encoder import bundled_model_dir, tuned_base
    from onrecord.training import soup

    start = soup.bundle_layers(bundle[2])
    base = tuned_base(load_file(str(bundled_model_dir() / "model.safetensors")), "float16")
    assert start and all(np.array_equal(value, base[name]) for name, value in start.items())
