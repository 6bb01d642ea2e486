import json

import pytest

from onrecord import Attribution, AttributionKind, Span, Speaker
from onrecord.records import DocumentResult


def make():
    return Attribution(
        cue=(Span(20, 24),),
        content=(Span(30, 40), Span(0, 10)),
        source=(Span(12, 19),),
        kind=AttributionKind.DIRECT,
        speaker=Speaker("he", "Clara Hendricks", "PERSON", Span(100, 115)),
        confidence=0.8125,
        cue_text="said",
        content_text="a b",
        source_text="he",
        said_on="2025-12-02",
    )


def test_attribution_round_trips_through_json_without_loss():
    a = make()
    back = Attribution.from_dict(json.loads(json.dumps(a.to_dict())))
    assert back == a
    assert back.content == (Span(0, 10), Span(30, 40))  # stored sorted


def test_attribution_is_frozen_and_validated():
    a = make()
    with pytest.raises(AttributeError):
        a.kind = AttributionKind.INDIRECT  # type: ignore[misc]
    with pytest.raises(ValueError):
        Attribution(cue=(), content=(Span(0, 1),))
    with pytest.raises(ValueError):
        Attribution(cue=(Span(0, 1),), content=(), confidence=1.5)
    with pytest.raises(ValueError):
        Span(5, 2)


def test_spans_dict_is_exactly_the_scorer_format():
    d = DocumentResult("doc-1", "text", (make(),)).to_spans_dict()
    assert d == {"id": "doc-1", "attributions": [{"source": [[12, 19]], "cue": [[20, 24]],
                                                  "content": [[0, 10], [30, 40]]}]}



def test_spans_dict_keeps_polnear_convention_outermost_only():
    text = "Ines Valdez said Director Okafor said the bridge was safe, and Okafor agreed."
    outer = Attribution(cue=(Span(11, 15),), source=(Span(0, 10),), content=(Span(16, 57),))
    inner = Attribution(cue=(Span(32, 36),), source=(Span(16, 31),), content=(Span(37, 57),))
    beside = Attribution(cue=(Span(70, 76),), source=(Span(63, 69),), content=(Span(0, 57),))
    # a cue only partly inside the content (straddling its end) is not nested
    straddling = Attribution(cue=(Span(55, 60),), content=(Span(63, 69),))
    result = DocumentResult("doc-1", text, (outer, inner, beside, straddling))
    kept = result.outermost()
    assert inner not in kept and outer not in kept  # both cues lie inside "beside"'s content
    assert kept == (beside, straddling)
    alone = DocumentResult("doc-2", text, (outer, inner))
    assert alone.outermost() == (outer,)
    assert alone.to_spans_dict()["attributions"] == [outer.to_spans_dict()]
    assert len(alone.to_dict()["attributions"]) == 2  # the record keeps the nested statement


def test_public_api_is_pinned():
    import onrecord

    assert onrecord.__all__ == sorted(onrecord.__all__)
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name
