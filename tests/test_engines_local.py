"""The local engine with forked workers gives exactly what one process gives, in order, reading lazily."""

import pytest

from onrecord.analysis import ArticleMeta
from onrecord.engines.local import LocalEngine

pytestmark = pytest.mark.slow

TEXTS = [
    f"Mayor Ana Ruiz said on day {i} that the bridge {'would' if i % 2 else 'would not'} reopen. "
    f"“We are doing our best,” she added." for i in range(13)
]


def items():
    return [(t, ArticleMeta(origin=f"item-{i}", name=str(i))) for i, t in enumerate(TEXTS)]


def test_two_workers_equal_one_process_in_order(extractor):
    one = list(LocalEngine(extractor, n_process=1).process(items()))
    engine = LocalEngine(extractor, n_process=2, batch_size=2)
    try:
        two = list(engine.process(items()))
    finally:
        engine.close()
    assert [p.meta.name for p in two] == [str(i) for i in range(len(TEXTS))]
    assert [p.to_dict() for p in two] == [p.to_dict() for p in one]
    assert all(p.attributions for p in two)


def test_inputs_are_read_lazily(extractor):
    read = []

    def stream():
        for item in items():
            read.append(item[1].name)
            yield item

    engine = LocalEngine(extractor, n_process=2, batch_size=1)
    try:
        out = engine.process(stream())
        first = next(out)
        assert first.meta.name == "0"
        # At most 2 x n_process batches of 1 are in flight when the first result comes back.
        assert len(read) <= 5
        rest = list(out)
    finally:
        engine.close()
    assert len(rest) == len(TEXTS) - 1
