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


def test_public_api_is_pinned():
    import onrecord

    assert onrecord.__all__ == sorted(onrecord.__all__)
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name
