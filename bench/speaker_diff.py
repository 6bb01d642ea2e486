"""What a change to speaker resolution does on real text with no speaker gold: the speakers two runs give.

    onrecord extract ../shared/data/polnear/train/text ../shared/data/polnear/dev/text --format jsonl -o old.jsonl
    # ... change the resolver ...
    onrecord extract ../shared/data/polnear/train/text ../shared/data/polnear/dev/text --format jsonl -o new.jsonl
    python bench/speaker_diff.py old.jsonl new.jsonl [--list names|types|none] [--sample 30] [--seed 0]

PolNeAR gives every attribution's source span but no canonical speaker; the development set's 517 speakers are
too few to show a rule that fires once in a hundred articles.  This pairs the two runs' attributions (same
document, same cue start), counts those whose speaker name changed and those whose type alone changed (with the
type pairs), and lists the name changes (or a seeded sample of the type changes) with the source as written, so
each can be judged by reading it.  Attributions found by one run only are counted apart: a resolver change should
leave them at zero.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

Key = tuple[str, int]


def load(path: Path) -> dict[Key, dict]:
    """Each attribution of an ``--format jsonl`` file by (document id, cue start)."""
    out: dict[Key, dict] = {}
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            try:
                doc = json.loads(line)
                for att in doc["attributions"]:
                    out[(doc["id"], att["cue"][0][0] if att["cue"] else -1)] = att
            except (ValueError, KeyError, IndexError, TypeError) as err:
                raise SystemExit(f"{path}:{n}: not an `onrecord extract --format jsonl` line ({err})") from None
    return out


def compare(old: dict[Key, dict], new: dict[Key, dict]) -> dict:
    both = sorted(set(old) & set(new))
    names = [k for k in both if old[k]["speaker"] != new[k]["speaker"]]
    types = [k for k in both if old[k]["speaker"] == new[k]["speaker"]
             and old[k]["speaker_type"] != new[k]["speaker_type"]]
    pairs = Counter((old[k]["speaker_type"], new[k]["speaker_type"]) for k in types)
    return {"paired": len(both), "only_old": len(set(old) - set(new)), "only_new": len(set(new) - set(old)),
            "names": names, "types": types, "type_pairs": pairs}


def _line(key: Key, a: dict, b: dict) -> str:
    source = (a.get("source_text") or "")[:60]
    return f"{key[0][:40]:40} {source!r:62} {a['speaker']} [{a['speaker_type']}] -> {b['speaker']} [{b['speaker_type']}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path, help="the run before the change (--format jsonl)")
    parser.add_argument("new", type=Path, help="the run after it")
    parser.add_argument("--list", choices=("names", "types", "none"), default="names",
                        help="list every name change (default), a sample of the type-only changes, or nothing")
    parser.add_argument("--sample", type=int, default=30, help="type-only changes listed with --list types")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for path in (args.old, args.new):
        if not path.is_file():
            print(f"error: {path} is not a file", file=sys.stderr)
            return 2
    old, new = load(args.old), load(args.new)
    result = compare(old, new)
    print(f"attributions paired {result['paired']}; only in old {result['only_old']}, only in new "
          f"{result['only_new']}")
    print(f"speaker name changed {len(result['names'])}; type alone changed {len(result['types'])}")
    print("type changes: " + ", ".join(f"{a} -> {b} {n}" for (a, b), n in result["type_pairs"].most_common()))
    if args.list == "names":
        keys = result["names"]
    elif args.list == "types":
        keys = random.Random(args.seed).sample(result["types"], min(args.sample, len(result["types"])))
    else:
        keys = []
    for key in keys:
        print(_line(key, old[key], new[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
