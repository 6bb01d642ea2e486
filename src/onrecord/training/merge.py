"""Join the cue tagger of one trained model file and the role tagger of another (trained in two processes
with ``--taggers cue`` and ``--taggers role`` from the same ``--init``, vocabularies and dense inputs).

    python -m onrecord.training.merge --cue CUE.npz --role ROLE.npz --out MODEL.npz
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..nlp.modelfile import read_model_file, write_model_file

SAME = ("vocab", "dense_width", "encoder", "layers", "window_reach", "doc_features", "role_features")


def merge(cue_path: str, role_path: str, out: str) -> dict:
    cue_meta, cue = read_model_file(cue_path)
    role_meta, role = read_model_file(role_path)
    differ = [k for k in SAME if cue_meta.get(k) != role_meta.get(k)]
    if differ:
        raise SystemExit(f"{cue_path} and {role_path} differ in {', '.join(differ)}: train both from the same --init")
    arrays = {k: v for k, v in cue.items() if k.startswith("cue.")}
    arrays.update({k: v for k, v in role.items() if k.startswith("role.")})
    meta = dict(role_meta)
    meta["dev_token_f1"] = {"cue": cue_meta["dev_token_f1"]["cue"], "role": role_meta["dev_token_f1"]["role"]}
    meta["args"] = {"cue": cue_meta["args"], "role": role_meta["args"]}
    write_model_file(out, meta, arrays)
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cue", required=True)
    ap.add_argument("--role", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    meta = merge(args.cue, args.role, args.out)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB); dev token F1 {meta['dev_token_f1']}")


if __name__ == "__main__":
    main()
