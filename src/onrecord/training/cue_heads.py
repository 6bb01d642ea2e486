"""Count the words that head PolNeAR train's gold cues, for ``nlp/data/cue_heads.txt``.

    python -m onrecord.training.cue_heads --train ../shared/data/polnear/train \\
        --out src/onrecord/nlp/data/cue_heads.txt [--cache .cache/parsed] [--min-heads 1] [--min-rate 0.2]

For every (lemma, coarse POS) of the train texts: how often a token of it heads a gold cue (the cue's token
whose head lies outside the cue) and how often it occurs. The pairs that head at least ``--min-heads`` cues
and at least ``--min-rate`` of their occurrences are written, most frequent first, with both counts: the
trained model keeps an unsure cue headed by one of them (``min_unlisted_confidence``, nlp/model.py), as it does
a cue with a word of the lexicon. A derived count, not a copy of the annotations.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from .parse_cache import parsed_split

HEADER = """# Words that head PolNeAR train's gold cues: lemma, coarse POS, cues headed, occurrences in train.
# Written by `python -m onrecord.training.cue_heads` (kept: at least {min_heads} cues and {min_rate:.0%} of the
# occurrences). Read by onrecord.nlp.model (min_unlisted_confidence): the taggers' features do not change with it.
"""


def count_heads(train: str | Path, cache: str | Path) -> tuple[Counter, Counter]:
    """(cues headed, occurrences) per (lemma, POS) over a split."""
    gold, docs = parsed_split(train, cache)
    heads: Counter = Counter()
    seen: Counter = Counter()
    for g, doc in zip(gold, docs):
        head_tokens = set()
        for att in g.attributions:
            if not att.cue:
                continue
            span = doc.char_span(att.cue[0][0], att.cue[-1][1], alignment_mode="expand")
            if span is None or not len(span):
                continue
            inside = range(span.start, span.end)
            head_tokens.add(next((t.i for t in span if t.head.i not in inside or t.head.i == t.i), span.end - 1))
        for tok in doc:
            key = (tok.lemma_.lower(), tok.pos_)
            seen[key] += 1
            if tok.i in head_tokens:
                heads[key] += 1
    return heads, seen


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default=".cache/parsed")
    ap.add_argument("--min-heads", type=int, default=1)
    ap.add_argument("--min-rate", type=float, default=0.2)
    args = ap.parse_args(argv)
    heads, seen = count_heads(args.train, args.cache)
    kept = [(k, n) for k, n in heads.most_common() if n >= args.min_heads and n / seen[k] >= args.min_rate
            and k[0].strip()]
    lines = [f"{lemma}\t{pos}\t{n}\t{seen[(lemma, pos)]}" for (lemma, pos), n in kept]
    Path(args.out).write_text(HEADER.format(min_heads=args.min_heads, min_rate=args.min_rate)
                              + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} cue heads written to {args.out}")


if __name__ == "__main__":
    main()
