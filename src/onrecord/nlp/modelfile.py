"""The file format of every trained artifact (the taggers, the boundary model): a numpy ``.npz`` whose array
``__meta__`` holds a JSON header (vocabularies, settings, how the file was built) next to the weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def read_model_file(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """A trained model file's JSON header and its arrays (the header's own array removed)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    return json.loads(bytes(arrays.pop("__meta__")).decode("utf-8")), arrays


def write_model_file(path: str | Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays with ``meta`` as the JSON header, in the form :func:`read_model_file` reads."""
    header = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, **arrays, __meta__=header)
