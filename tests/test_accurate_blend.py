"""The accurate tier's blend (its taggers' log-probabilities averaged with the default model's), its own
boundary weights, and the tools that build and tune it (training.merge --blend, training.settings, training.tune)."""

import json
import shutil

import numpy as np
import pytest

from onrecord.errors import ModelError
from onrecord.nlp.boundaries import BoundaryModel
from onrecord.nlp.model import AttributionModel
from onrecord.nlp.modelfile import read_model_file, write_model_file
from onrecord.nlp.network import Blend, Tagger
from onrecord.settings import DEFAULT_MODEL_PATH
from onrecord.training import merge, settings, tune
from test_network import _random_tagger

ARTICLE = (
    "The mayor of Dunmore, Clara Osei, said on Monday that the bridge would reopen in March.\n\n"
    "\u201cWe have checked every cable twice,\u201d Osei told reporters.\n\n"
    "Residents complained that the closure had cut the town in two, and one shopkeeper accused the council "
    "of ignoring the warnings.\n"
)


def _log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def test_a_blend_averages_the_two_taggers_log_probabilities_and_the_other_reads_its_own_columns():
    from onrecord.nlp.model import CUE_LABELS, _bio_constraints
    from onrecord.nlp.network import WindowRequest, viterbi_bio

    rng = np.random.default_rng(3)
    main = _random_tagger(rng, [4, 2], 8, 5, L=3, dense_width=6)
    other = _random_tagger(rng, [4, 2], 7, 4, L=3, dense_width=2)  # reads the first 2 dense columns only
    constraints = _bio_constraints(CUE_LABELS)
    free = np.ones_like(constraints[0]), np.ones_like(constraints[1])
    n = 40
    feats = rng.integers(1, 12, size=(n, 2))
    dense = rng.normal(size=(n, 6)).astype(np.float32)
    windows = [(0, 30), (10, 12), (25, 40)]
    (a,) = main.tag_windows([WindowRequest(main.document_inputs(feats, dense), windows)], *free)
    (b,) = other.tag_windows([WindowRequest(other.document_inputs(feats, dense[:, :2]), windows)], *free)
    for weight in (0.0, 0.3, 1.0):
        blend = Blend(main, other, weight)
        (got,) = blend.tag_windows([WindowRequest(blend.document_inputs(feats, dense), windows)], *constraints)
        for (lp, path), (lp_a, _), (lp_b, _), (i, j) in zip(got, a, b, windows):
            assert lp.shape == (j - i, 3)
            np.testing.assert_allclose(lp, _log_softmax(weight * lp_a + (1 - weight) * lp_b), atol=1e-5)
            np.testing.assert_allclose(np.exp(lp).sum(axis=-1), 1.0, atol=1e-5)
            assert path.tolist() == viterbi_bio(lp, *constraints).tolist()  # decoded from the mix, constrained


def _grown_copy(tmp_path):
    """The default model as a warm-started trainer writes it: one more tag in its vocabulary, one more row
    in that feature's embedding tables (the trainer grows the tables it does not freeze)."""
    meta, arrays = read_model_file(DEFAULT_MODEL_PATH)
    meta = json.loads(json.dumps(meta))
    meta["vocab"]["tag"]["NEWTAG"] = len(meta["vocab"]["tag"]) + 2
    k = meta["doc_features"].index("tag")
    for prefix in ("cue", "role"):
        key = f"{prefix}.embs.{k}.weight"
        arrays[key] = np.concatenate([arrays[key], np.full((1, arrays[key].shape[1]), 0.5, arrays[key].dtype)])
    path = tmp_path / "grown.npz"
    write_model_file(path, meta, arrays)
    return path, k


def test_merge_blend_stores_the_other_taggers_with_rows_for_the_new_ids(tmp_path):
    grown, k = _grown_copy(tmp_path)
    out = tmp_path / "blended.npz"
    merge.main(["--cue", str(grown), "--role", str(grown), "--out", str(out), "--blend", str(DEFAULT_MODEL_PATH),
                "--blend-weight", "0.6", "0.25"])
    meta, arrays = read_model_file(out)
    _, default = read_model_file(DEFAULT_MODEL_PATH)
    assert meta["blend"]["cue"] == 0.6 and meta["blend"]["role"] == 0.25 and meta["blend"]["from"]
    table = arrays[f"blend.cue.embs.{k}.weight"]
    assert table.shape == arrays[f"cue.embs.{k}.weight"].shape
    np.testing.assert_array_equal(table[:-1], default[f"cue.embs.{k}.weight"])
    np.testing.assert_array_equal(table[-1], default[f"cue.embs.{k}.weight"][1])  # the new id reads as unknown
    np.testing.assert_array_equal(arrays["blend.role.out.weight"], default["role.out.weight"])
    merge.main(["--cue", str(grown), "--role", str(grown), "--out", str(out), "--blend", str(DEFAULT_MODEL_PATH),
                "--blend-weight", "0.6", "1"])  # a tagger at weight 1 is not blended: its partner is not stored
    _, arrays_cue_only = read_model_file(out)
    assert "blend.cue.out.weight" in arrays_cue_only and not any(k.startswith("blend.role.") for k in arrays_cue_only)
    model = AttributionModel(meta, arrays)
    assert isinstance(model.cue, Blend) and model.cue.weight == 0.6 and model.role.weight == 0.25
    meta["blend"] = {"cue": 1.0, "role": 1}
    plain = AttributionModel(meta, arrays)
    assert isinstance(plain.cue, Tagger) and isinstance(plain.role, Tagger)


def test_merge_refuses_a_blend_whose_vocabulary_the_trained_one_does_not_extend(tmp_path):
    grown, _ = _grown_copy(tmp_path)
    with pytest.raises(SystemExit, match="vocabulary is not part of the trained one's"):
        merge.main(["--cue", str(DEFAULT_MODEL_PATH), "--role", str(DEFAULT_MODEL_PATH), "--out",
                    str(tmp_path / "x.npz"), "--blend", str(grown)])
    with pytest.raises(SystemExit, match="between 0 and 1"):
        merge.main(["--cue", str(grown), "--role", str(grown), "--out", str(tmp_path / "x.npz"),
                    "--blend", str(DEFAULT_MODEL_PATH), "--blend-weight", "1.5", "0.5"])


def test_a_header_that_blends_without_the_weights_is_a_clear_model_error():
    meta, arrays = read_model_file(DEFAULT_MODEL_PATH)
    meta["blend"] = {"cue": 0.5, "role": 1.0}
    with pytest.raises(ModelError, match="no blend.cue weights"):
        AttributionModel(meta, arrays)


def test_blending_a_tagger_with_itself_changes_no_attribution_and_another_tagger_does(tmp_path, extractor):
    from onrecord import Extractor

    same = tmp_path / "same" / "attribution.npz"
    same.parent.mkdir()
    shutil.copy(DEFAULT_MODEL_PATH.with_name("boundaries.npz"), same.parent)  # the boundary model goes beside
    merge.main(["--cue", str(DEFAULT_MODEL_PATH), "--role", str(DEFAULT_MODEL_PATH), "--out", str(same),
                "--blend", str(DEFAULT_MODEL_PATH), "--blend-weight", "0.5", "0.5"])
    expected = [a.to_dict() for a in extractor.extract(ARTICLE)]
    assert expected and [a.to_dict() for a in Extractor(model_path=str(same)).extract(ARTICLE)] == expected
    # a blended role tagger that leans to "O": at weight 0 the model reads as if it were its role tagger,
    # at 0.5 the two mix
    meta, arrays = read_model_file(same)
    arrays["blend.role.out.bias"] = arrays["blend.role.out.bias"] + np.array([4.0, 0, 0, 0, 0], dtype=np.float32)
    outputs = {}
    for weight in (0.0, 0.5):
        meta["blend"] = {"cue": 1.0, "role": weight}
        write_model_file(same, meta, arrays)
        outputs[weight] = [a.to_dict() for a in Extractor(model_path=str(same)).extract(ARTICLE)]
    arrays["role.out.bias"] = arrays.pop("blend.role.out.bias")
    write_model_file(same, {k: v for k, v in meta.items() if k != "blend"}, arrays)
    alone = [a.to_dict() for a in Extractor(model_path=str(same)).extract(ARTICLE)]
    assert outputs[0.0] == alone != expected
    assert outputs[0.5] not in (alone, expected)


def test_a_model_s_own_boundary_weights_leave_the_shared_boundary_model_alone():
    meta, arrays = read_model_file(DEFAULT_MODEL_PATH)
    shared = BoundaryModel.load()
    before = dict(shared.tagger_weight)
    model = AttributionModel({**meta, "boundary_tagger_weight": {"C": 2.0, "Qs": 0.5}}, arrays)
    model.use_boundaries(shared)
    assert model.boundaries.tagger_weight == {**before, "C": 2.0, "Qs": 0.5}
    assert shared.tagger_weight == before and model.boundaries.weights is shared.weights
    plain = AttributionModel(meta, arrays)
    plain.use_boundaries(shared)
    assert plain.boundaries is shared


def test_settings_reads_tables_as_json(tmp_path, capsys):
    path = tmp_path / "m.npz"
    write_model_file(path, {"version": "x"}, {"w": np.zeros(2, dtype=np.float32)})
    settings.main([str(path), 'boundary_tagger_weight={"C": 1.0, "S": 0.25}', "rule_backoff=0.5", "keep_nominal=true"])
    meta, _ = read_model_file(path)
    assert meta["boundary_tagger_weight"] == {"C": 1.0, "S": 0.25}
    assert meta["rule_backoff"] == 0.5 and meta["keep_nominal"] is True
    with pytest.raises(SystemExit, match="cannot update"):
        settings.main([str(path), "blend={not json"])


def test_tune_reads_its_steps_and_sets_entries_of_tables():
    steps = tune.parse_steps(["blend.cue=0.5,1", "rule_source=true,false", "boundary_tagger_weight.C=0.25"])
    assert steps == [("blend.cue", [0.5, 1.0]), ("rule_source", [True, False]), ("boundary_tagger_weight.C", [0.25])]
    meta = {"blend": {"cue": 0.6, "role": 0.4}, "rule_source": True}
    changed = tune.with_setting(meta, "blend.cue", 0.8)
    assert changed["blend"] == {"cue": 0.8, "role": 0.4} and meta["blend"]["cue"] == 0.6
    assert tune.with_setting(meta, "boundary_tagger_weight.C", 1.0)["boundary_tagger_weight"] == {"C": 1.0}
    assert tune.setting_of(meta, "blend.role") == 0.4 and tune.setting_of(meta, "min_run_prob") is None
    with pytest.raises(SystemExit, match="not a setting to search"):
        tune.parse_steps(["rule_backoff"])


def test_merge_of_several_runs_keeps_the_mean_of_their_weights(tmp_path):
    meta, arrays = read_model_file(DEFAULT_MODEL_PATH)
    runs = []
    for k, shift in enumerate((0.5, -0.25, 1.0)):
        changed = {**arrays, "cue.out.bias": arrays["cue.out.bias"] + shift, "role.out.bias": arrays["role.out.bias"] - shift}
        write_model_file(tmp_path / f"run{k}.npz", {**meta, "args": {"seed": k}}, changed)
        runs.append(str(tmp_path / f"run{k}.npz"))
    out = tmp_path / "mean.npz"
    merge.main(["--cue", *runs, "--role", runs[0], runs[1], "--out", str(out)])
    merged_meta, merged = read_model_file(out)
    np.testing.assert_allclose(merged["cue.out.bias"], arrays["cue.out.bias"] + 1.25 / 3, atol=1e-6)
    np.testing.assert_allclose(merged["role.out.bias"], arrays["role.out.bias"] - 0.125, atol=1e-6)
    np.testing.assert_array_equal(merged["cue.embs.0.weight"], arrays["cue.embs.0.weight"])
    assert merged_meta["args"]["cue"] == [{"seed": 0}, {"seed": 1}, {"seed": 2}]
    write_model_file(tmp_path / "other.npz", {**meta, "window_reach": [1, 2]}, arrays)
    with pytest.raises(SystemExit, match="differ in window_reach"):
        merge.merge(runs + [str(tmp_path / "other.npz")], runs[0], str(tmp_path / "x.npz"))


def test_settings_sets_one_entry_of_a_table_with_a_dotted_key(tmp_path):
    path = tmp_path / "m.npz"
    shutil.copy(DEFAULT_MODEL_PATH, path)
    before, _ = read_model_file(path)
    settings.main([str(path), "cue_filter.threshold=0.45"])
    meta, _ = read_model_file(path)
    assert "cue_filter.threshold" not in meta
    assert meta["cue_filter"]["threshold"] == 0.45
    assert meta["cue_filter"]["weights"] == before["cue_filter"]["weights"]


def test_merge_and_soup_say_in_one_line_what_is_wrong_with_their_files(tmp_path):
    from onrecord.training import soup

    with pytest.raises(SystemExit, match="cannot merge: .*nope.npz"):
        merge.main(["--cue", str(tmp_path / "nope.npz"), "--role", str(DEFAULT_MODEL_PATH), "--out", str(tmp_path / "o.npz")])
    with pytest.raises(SystemExit, match="is not a fine-tuning bundle"):
        soup.main([str(DEFAULT_MODEL_PATH), str(tmp_path / "run1"), str(tmp_path / "run2"), "--out", str(tmp_path / "s")])


def test_a_model_file_copied_without_its_boundary_model_keeps_the_bundled_one(tmp_path):
    meta, arrays = read_model_file(DEFAULT_MODEL_PATH)
    alone = tmp_path / "copied.npz"
    write_model_file(alone, meta, arrays)
    assert AttributionModel.load(alone).boundaries is not None  # not the taggers' raw edges, silently
    bundled = BoundaryModel.load()
    tagger_weight = {**bundled.meta.get("tagger_weight", {}), "C": 7.0}
    BoundaryModel({**bundled.meta, "tagger_weight": tagger_weight}, bundled.weights).save(tmp_path / "boundaries.npz")
    assert AttributionModel.load(alone).boundaries.tagger_weight["C"] == 7.0  # the one beside it comes first
