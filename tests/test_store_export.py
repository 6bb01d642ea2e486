"""Exports: JSONL, CSV and Parquet carry the same rows as queries; brat standoff round-trips through the PolNeAR reader."""

from __future__ import annotations

import csv
import io
import json

import pytest

from onrecord.analysis import ArticleMeta, ProcessedArticle, content_id
from onrecord.errors import ConfigError
from onrecord.polnear.corpus import parse_ann, read_split
from onrecord.records import Attribution, AttributionKind, Span, Speaker
from onrecord.store import QuoteFilter, Reader, Writer, export

# Windows line ends and a content span that runs across a line break: offsets must survive both.
TEXT_A = ("The council approved the plan on Monday.\r\n"
          "\u201cIt is the right call,\u201d Mayor Helen Okafor said, adding that work would start\r\nin June.")
TEXT_B = "According to the ministry, exports rose by a tenth. Trade minister Ivo Petrov said he was pleased."


def span(text, part):
    start = text.index(part)
    return Span(start, start + len(part))


def att(text, source, cue, content, kind, name):
    return Attribution(cue=(span(text, cue),), content=tuple(span(text, c) for c in content),
                       source=(span(text, source),) if source else (), kind=kind,
                       speaker=Speaker(source or name, name, "PERSON") if name else None,
                       cue_text=cue, content_text=" ".join(content), source_text=source or "")


ARTICLES = [
    ProcessedArticle(content_id(TEXT_A), TEXT_A, ArticleMeta(origin="a", outlet="Courier", published="2024-03-01"), (
        att(TEXT_A, "Mayor Helen Okafor", "said", ["It is the right call"], AttributionKind.DIRECT, "Helen Okafor"),
        att(TEXT_A, "Mayor Helen Okafor", "adding", ["that work would start\r\nin June"], AttributionKind.INDIRECT,
            "Helen Okafor"),
    ), "v"),
    ProcessedArticle(content_id(TEXT_B), TEXT_B, ArticleMeta(origin="b", outlet="Wire", published="2024-03-02"), (
        att(TEXT_B, "the ministry", "According to", ["exports rose by a tenth"], AttributionKind.ACCORDING_TO,
            "the ministry"),
        att(TEXT_B, "Trade minister Ivo Petrov", "said", ["he was pleased"], AttributionKind.INDIRECT, "Ivo Petrov"),
    ), "v"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "e.db"
    with Writer(path) as w:
        for a in ARTICLES:
            w.write(a)
    return path


def expected(db, **filters):
    with Reader(db) as r:
        return [q.to_dict() for q in r.quotes(limit=None, **filters)]


def test_jsonl_rows_are_the_query_rows(db):
    sink = io.StringIO()
    summary = export(db, sink, format="jsonl")
    got = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert got == expected(db)
    assert (summary.rows, summary.articles) == (4, 2)


def test_csv_keeps_spans_as_json_and_honours_filters(db, tmp_path):
    out = tmp_path / "q.csv"
    summary = export(db, out, format="csv", filter=QuoteFilter.build(by="okafor"))
    with open(out, newline="", encoding="utf-8") as handle:
        got = list(csv.DictReader(handle))
    want = expected(db, by="okafor")
    assert summary.rows == len(got) == 2
    for row, q in zip(got, want):
        assert json.loads(row["content"]) == q["content"]
        assert row["content_text"] == q["content_text"]  # the \r\n inside survives CSV quoting
        assert row["speaker"] == "Helen Okafor"


def test_parquet_has_typed_columns_and_every_row(db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "q.parquet"
    summary = export(db, out, format="parquet")
    table = pq.read_table(out)
    assert summary.rows == table.num_rows == 4
    assert table.to_pylist() == expected(db)
    assert str(table.schema.field("content").type) == "list<element: list<element: int64>>"
    empty = tmp_path / "none.parquet"
    assert export(db, empty, format="parquet", filter=QuoteFilter.build(by="nobody")).rows == 0
    assert pq.read_table(empty).num_rows == 0


def test_polnear_layout_reads_back_with_the_same_spans(db, tmp_path):
    out = tmp_path / "split"
    export(db, out, format="brat", layout="polnear")
    docs = {d.id: d for d in read_split(out)}
    assert set(docs) == {a.id for a in ARTICLES}
    for article in ARTICLES:
        doc = docs[article.id]
        assert doc.text == article.text  # byte for byte, \r\n included
        assert doc.annotator == "onrc"
        got = {(g.cue, g.source): g.content for g in doc.attributions}
        for a in article.attributions:
            pairs = lambda spans: tuple((s.start, s.end) for s in spans)  # noqa: E731
            content = got[(pairs(a.cue), pairs(a.source))]
            # A span across a line break comes back as its two lines' fragments.
            assert " ".join(doc.text[s:e] for s, e in content).split() == a.content_text.split()


def test_brat_layout_is_what_the_brat_tool_opens(db, tmp_path):
    out = tmp_path / "brat"
    export(db, out, format="brat", filter=QuoteFilter.build(outlet="courier"))
    article = ARTICLES[0]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{article.id}.txt", f"{article.id}.ann", "annotation.conf", "articles.jsonl"])
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Attribution\tSource?:Source, Cue:Cue, Content?:Content" in conf and "according_to" in conf
    ann = (out / f"{article.id}.ann").read_text(encoding="utf-8")
    text = (out / f"{article.id}.txt").read_bytes().decode("utf-8")
    ids = set()
    for line in ann.splitlines():
        rid, body = line.split("\t", 1)
        if rid.startswith("T"):
            label_offsets, shown = body.split("\t")
            frags = [tuple(map(int, p.split())) for p in label_offsets.split(" ", 1)[1].split(";")]
            assert shown == " ".join(text[s:e] for s, e in frags)
            assert all("\n" not in text[s:e] for s, e in frags)  # brat cannot draw across lines
            ids.add(rid)
        elif rid.startswith("E"):
            assert {arg.split(":")[1] for arg in body.split()} <= ids
    assert "A1\tKind E1 direct" in ann and "speaker: Helen Okafor" in ann
    assert len(parse_ann(ann)) == 2


def test_exports_that_need_a_path_or_a_proper_annotator_say_so(db, tmp_path):
    with pytest.raises(ConfigError, match="needs a path"):
        export(db, io.StringIO(), format="parquet")
    with pytest.raises(ConfigError, match="4 letters"):
        export(db, tmp_path / "x", format="brat", annotator="me")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        export(db, tmp_path / "file", format="brat")
