"""Query latency on a store with a million attributions: quotes by speaker and full-text search.

    python bench/store_query_bench.py --db /tmp/onrecord-1m.db [--articles 50000 --per-article 20]
                                      [--queries 200] [--record bench/RESULTS.md]

The store is generated (once; reused while it has enough rows) through the
real ``store.Writer``, one transaction per article, from synthetic articles:
pseudo-words drawn from a Zipf distribution, statements by speakers drawn from
a Zipf distribution over 20,000 names, spans pointing into the text.  No real
article text is involved.  Then, with a read-only ``store.Reader``:

* quotes by speaker: ``Reader.quotes(by=NAME, limit=50)``, names drawn half by
  how often they speak (what users ask about) and half uniformly;
* full-text search: ``Reader.search(WORDS, limit=20)`` over articles and over
  statements, one or two words from the mid-frequency band (ranks 50–5,000);
* the single most prolific speaker and the most common word, reported apart
  as worst cases.

Each query runs once, in random order; median and 95th percentile are reported.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
try:
    from _record import record  # noqa: E402  (the benches' shared "append to RESULTS.md" helper)
except ImportError:  # a checkout without it: print only
    def record(path, title, body):  # noqa: E306
        print(f"### {title}\n\n{body}")

CONSONANTS, VOWELS = "bcdfghklmnprstvz", "aeiou"
FIRST = ["Ana", "Ben", "Clara", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luis", "Mira",
         "Nadia", "Omar", "Petra", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wim", "Xenia", "Yusuf",
         "Zofia", "Aiko", "Bruno", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana", "Karim",
         "Lena", "Marco", "Nora"]
CUES = ["said", "told reporters", "argued", "warned", "insisted", "added", "claimed", "wrote"]


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        syllables = rng.choice((2, 2, 3, 3, 4))
        words.add("".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(syllables)))
    return sorted(words, key=lambda w: (len(w), w))  # short words are the common ones, as in language


def zipf_weights(n: int, s: float = 1.05) -> list[float]:
    return [1 / (rank ** s) for rank in range(1, n + 1)]


class Generator:
    def __init__(self, seed: int, vocabulary: int = 30_000, speakers: int = 20_000) -> None:
        self.rng = random.Random(seed)
        self.words = pseudo_words(self.rng, vocabulary)
        self.word_cum = list(_cumulative(zipf_weights(vocabulary)))
        surnames = pseudo_words(random.Random(seed + 1), speakers)
        self.speakers = [f"{FIRST[i % len(FIRST)]} {surnames[i].capitalize()}" for i in range(speakers)]
        self.rng.shuffle(self.speakers)  # popularity must not follow name length
        self.speaker_cum = list(_cumulative(zipf_weights(speakers, 0.9)))

    def sentence(self, n: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.word_cum, k=n)
        return " ".join(words).capitalize()

    def article(self, number: int, statements: int):
        from onrecord.analysis import ArticleMeta, ProcessedArticle, content_id
        from onrecord.records import Attribution, AttributionKind, Span, Speaker

        rng = self.rng
        parts: list[str] = [self.sentence(rng.randint(8, 14)) + f" (item {number})."]
        atts = []
        pos = len(parts[0]) + 1
        kinds = (AttributionKind.DIRECT, AttributionKind.INDIRECT, AttributionKind.ACCORDING_TO)
        for speaker in rng.choices(self.speakers, cum_weights=self.speaker_cum, k=statements):
            filler = self.sentence(rng.randint(6, 12)) + ". "
            content = self.sentence(rng.randint(6, 16))
            cue = rng.choice(CUES)
            kind = rng.choice(kinds)
            piece = f"{filler}\u201c{content},\u201d {speaker} {cue}."
            c0 = pos + len(filler) + 1
            s0 = c0 + len(content) + 3
            q0 = s0 + len(speaker) + 1
            atts.append(Attribution(
                cue=(Span(q0, q0 + len(cue)),), content=(Span(c0, c0 + len(content)),),
                source=(Span(s0, s0 + len(speaker)),), kind=kind, speaker=Speaker(speaker, speaker, "PERSON"),
                confidence=round(rng.uniform(0.5, 1.0), 3), cue_text=cue, content_text=content, source_text=speaker,
            ))
            parts.append(piece)
            pos += len(piece) + 1
        text = " ".join(parts)
        day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        meta = ArticleMeta(origin=f"synthetic:{number}", outlet=f"Outlet {rng.randint(1, 40)}",
                           title=self.sentence(rng.randint(4, 9)), published=day)
        return ProcessedArticle(content_id(text), text, meta, tuple(atts), "bench-synthetic")


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def build(db: Path, articles: int, per_article: int, seed: int) -> float:
    from rich.progress import Progress

    from onrecord.store import Writer

    gen = Generator(seed)
    start = time.perf_counter()
    with Writer(db, enrichers=()) as writer, Progress(transient=True) as bar:
        task = bar.add_task("building the store", total=articles)
        for i in range(articles):
            writer.write(gen.article(i, per_article))
            bar.advance(task)
    return time.perf_counter() - start


def timed(fn, args_list):
    times = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"{statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/onrecord-1m.db")
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--record", default=None)
    args = ap.parse_args()

    from onrecord.store import Reader

    db = Path(args.db)
    wanted = args.articles * args.per_article
    build_note = "reused an existing store"
    have = 0
    if db.exists():
        with Reader(db) as r:
            have = r.counts()["attributions"]
    if have >= wanted:
        from onrecord.store import Writer

        start = time.perf_counter()
        Writer(db, enrichers=()).close()  # applies any migration newer than the stored file
        build_note += f" (opening it for writing, pending migrations included, took {time.perf_counter() - start:.1f} s)"
    if have < wanted:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        seconds = build(db, args.articles, args.per_article, args.seed)
        build_note = (f"built in {seconds:,.0f} s through Writer.write ({args.articles / seconds:,.0f} articles/s, "
                      f"{wanted / seconds:,.0f} attributions/s)")

    gen = Generator(args.seed)  # same seed: the same names and words the store was built from
    rng = random.Random(args.seed + 99)
    half = args.queries // 2
    popular = rng.choices(gen.speakers, cum_weights=gen.speaker_cum, k=half)
    anyone = rng.sample(gen.speakers, args.queries - half)
    names = popular + anyone
    band = gen.words[50:5000]
    searches = [" ".join(rng.sample(band, rng.choice((1, 2)))) for _ in range(args.queries)]
    rng.shuffle(names)

    with Reader(db) as reader:
        counts = reader.counts()
        size_mb = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 1e6
        reader.quotes(by=names[0], limit=50)  # warm the page cache once, as a running service would be
        by_speaker = timed(lambda n: reader.quotes(by=n, limit=50), [(n,) for n in names])
        fts_articles = timed(lambda q: reader.search(q, limit=20), [(q,) for q in searches])
        fts_quotes = timed(lambda q: reader.search(q, scope="quotes", limit=20), [(q,) for q in searches])
        about = timed(lambda q: reader.quotes(about=q, limit=50), [(q,) for q in searches])
        top_speaker = gen.speakers[0]
        top_count = reader.count_quotes(reader_filter(top_speaker))
        worst_speaker = timed(lambda n: reader.quotes(by=n, limit=50), [(top_speaker,)] * 5)
        common = gen.words[0]
        worst_word = timed(lambda q: reader.search(q, limit=20), [(common,)] * 5)

    lines = [
        f"store: {counts['articles']:,} articles, {counts['attributions']:,} attributions, "
        f"{counts['speakers']:,} speakers, {size_mb:,.0f} MB; {build_note}",
        f"{args.queries} queries of each kind, each run once (ms)",
        "",
        "| query | median | p95 | max |",
        "|---|---:|---:|---:|",
        f"| quotes --by NAME (limit 50) | {summary(by_speaker)} |",
        f"| search WORDS (articles, BM25, limit 20) | {summary(fts_articles)} |",
        f"| search WORDS --in quotes (limit 20) | {summary(fts_quotes)} |",
        f"| quotes --about WORDS (limit 50, newest first) | {summary(about)} |",
        f"| worst case: quotes --by the top speaker ({top_count:,} statements), 5 runs | {summary(worst_speaker)} |",
        f"| worst case: search the most common word, 5 runs | {summary(worst_word)} |",
        "",
        "target < 100 ms median: quotes by speaker "
        + ("met" if statistics.median(by_speaker) < 100 else "NOT met")
        + ", full-text search " + ("met" if statistics.median(fts_articles) < 100 else "NOT met"),
    ]
    record(args.record, f"Store queries with {counts['attributions']:,} attributions", "\n".join(lines))


def reader_filter(name):
    from onrecord.store import QuoteFilter

    return QuoteFilter.build(by=name)


if __name__ == "__main__":
    main()
