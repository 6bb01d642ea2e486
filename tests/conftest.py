"""Shared fixtures: the real English pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev"
SEED = SHARED / "data" / "seed"
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="session")
def extractor():
    from onrecord import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def rules_extractor():
    from onrecord import Extractor

    return Extractor(strategy="rules")


def stock_and_indexed(index):
    """Two copies of the base pipeline, the second with one component replaced by ``index`` (the parity
    tests of nlp/lemmas.py and nlp/attributes.py): each copy has its own vocab."""
    from onrecord.nlp.pipeline import load_base

    stock, indexed = load_base(), load_base()
    index(indexed)
    return stock, indexed


def parsed_without(nlp, texts, disabled: list[str]):
    """The texts run through ``nlp`` with the ``disabled`` components left out."""
    with nlp.select_pipes(disable=disabled):
        return list(nlp.pipe(texts))


def requires_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not available (../shared is absent)")


def write_polnear_split(root: Path, text: str, ann_lines: list[str]) -> Path:
    """A one-document PolNeAR split written for a test (``root``/text/d1.txt, one annotator's d1_a.ann):
    the layout ``onrecord.polnear.corpus.read_split`` reads."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "d1.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / "d1_a.ann").write_text("\n".join(ann_lines) + "\n", encoding="utf-8")
    return root
