"""Running the extractor over a PolNeAR split and scoring it."""

from __future__ import annotations

import json
from pathlib import Path

from ..documents import InputDocument
from ..errors import InputError
from .corpus import read_split
from .score import format_table, score


def load_predictions(path: Path) -> dict[str, list[dict]]:
    preds: dict[str, list[dict]] = {}
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                preds[str(obj["id"])] = list(obj.get("attributions") or [])
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"line {n} is not a prediction object: {e}", source=str(path)) from None
    return preds


def predict_split(split: Path, *, base: str | None = None, strategy: str | None = None,
                  model_path: str | Path | None = None, extractor=None) -> dict[str, list[dict]]:
    from ..extractor import Extractor

    gold = read_split(split)
    if extractor is None:
        options = {"strategy": strategy} if strategy else {}
        extractor = Extractor(base, model_path=str(model_path) if model_path else None, **options)
    docs = (InputDocument(d.id, d.id, d.text) for d in gold)
    return {r.id: r.to_spans_dict()["attributions"] for r in extractor.extract_documents(docs)}


def evaluate_split(split: Path, *, pred: Path | None = None, write_pred: Path | None = None,
                   base: str | None = None, strategy: str | None = None, model_path: str | Path | None = None,
                   extractor=None) -> tuple[dict, str]:
    gold = read_split(split)
    if pred is not None:
        predictions = load_predictions(pred)
    else:
        predictions = predict_split(split, base=base, strategy=strategy, model_path=model_path, extractor=extractor)
    if write_pred is not None:
        with open(write_pred, "w", encoding="utf-8") as handle:
            for doc in gold:
                handle.write(json.dumps({"id": doc.id, "attributions": predictions.get(doc.id, [])}) + "\n")
    result = score(gold, predictions)
    return result, format_table(result, str(split), str(pred or write_pred or "(onrecord extract)"))
