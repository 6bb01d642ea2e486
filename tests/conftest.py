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


def requires_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not available (../shared is absent)")
