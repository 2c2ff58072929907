"""Shared fixtures: the hand-labelled corpus (shared/corpus when present, else the copy in fixtures)."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SHARED = ROOT.parent / "shared"
SEEDS = ("000_3dbae8d17e1ab243", "003_81f32f06dd791a64")


def corpus_dir() -> Path:
    env = os.environ.get("JIANDING_CORPUS")
    if env:
        return Path(env)
    return SHARED / "corpus" if (SHARED / "corpus").is_dir() else FIXTURE_CORPUS


def load_corpus(root: Path | None = None) -> dict[str, tuple[Path, dict]]:
    root = root or corpus_dir()
    out = {}
    for gold in sorted(root.glob("*/gold.json")):
        notice = next(iter(sorted(gold.parent.glob("notice.*"))), None)
        if notice:
            out[gold.parent.name] = (notice, json.loads(gold.read_text(encoding="utf-8")))
    return out


def norm_name(text: str | None) -> str:
    """The scorer's comparison: NFKC, brackets unified, no whitespace."""
    if text is None:
        return ""
    table = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]"})
    return "".join(unicodedata.normalize("NFKC", text).translate(table).split()).strip("。；;，,、.:：")


def stage(notices: dict[str, tuple[Path, dict]], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for nid, (notice, _) in notices.items():
        (raw / f"{nid}{notice.suffix}").write_bytes(notice.read_bytes())


@pytest.fixture(scope="session")
def corpus() -> dict[str, tuple[Path, dict]]:
    return load_corpus()


@pytest.fixture(autouse=True)
def _dagster_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path_factory.getbasetemp() / "dagster_home"))
