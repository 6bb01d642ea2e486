"""Write decoding settings (tuned on dev) into a trained model file's header.

    python -m onrecord.training.settings MODEL.npz rule_backoff=0.75 rule_source=true cue_filter.threshold=0.4

A dotted key sets one entry of a table in the header and keeps the others (as ``training.tune`` reads it).
The settings live in the model's JSON header next to its weights, so a model and the way it was tuned
travel together.
"""

from __future__ import annotations

import json
import sys

from ..nlp.modelfile import read_model_file, write_model_file


def set_meta(path: str, **values) -> dict:
    meta, arrays = read_model_file(path)
    for key, value in values.items():
        meta = with_setting(meta, key, value)
    write_model_file(path, meta, arrays)
    return meta


def with_setting(meta: dict, key: str, value) -> dict:
    """A copy of the header with ``key`` (dotted: an entry of a table) set to ``value``."""
    out = dict(meta)
    table, dot, entry = key.partition(".")
    if dot:
        out[table] = {**(out.get(table) or {}), entry: value}
    else:
        out[key] = value
    return out


def parse_value(text: str):
    if text.startswith("{"):  # a table: boundary_tagger_weight={"C": 1.0, "S": 0.5}, blend={"cue": 0.6, ...}
        return json.loads(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or any("=" not in a for a in args[1:]):
        raise SystemExit(__doc__)
    try:
        meta = set_meta(args[0], **{k: parse_value(v) for k, v in (a.split("=", 1) for a in args[1:])})
    except (OSError, ValueError, KeyError) as err:
        raise SystemExit(f"cannot update {args[0]}: {err} (expected a model file written by onrecord.training.train)")
    print({k: v for k, v in meta.items() if k not in ("vocab",)})


if __name__ == "__main__":
    main()
