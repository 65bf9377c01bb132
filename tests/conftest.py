"""Shared test fixtures: where ../shared is, and the sample fics in it (tests skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples" / "fics"
PDNC = SHARED / "data" / "pdnc"
LITBANK = SHARED / "data" / "litbank"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples/fics is not beside the project")
    return SAMPLES


@pytest.fixture(scope="session")
def sample_paths(samples_dir) -> dict[str, Path]:
    """The five sample fics by their number: {"000": Path, ...}."""
    return {p.name[:3]: p for p in sorted(samples_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def pdnc_dir() -> Path:
    if not PDNC.is_dir():
        pytest.skip("../shared/data/pdnc is not beside the project")
    return PDNC


@pytest.fixture(scope="session")
def litbank_dir() -> Path:
    if not LITBANK.is_dir():
        pytest.skip("../shared/data/litbank is not beside the project")
    return LITBANK
