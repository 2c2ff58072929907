"""What the extractor takes out of one notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..issues import Issue
from ..names import canonical_name
from ..regions import Region
from ..vocabulary import SEVERITY

_SEVERITY_RANK = {grade: rank for rank, grade in enumerate(SEVERITY)}


def _rank(grade: str) -> int:
    return _SEVERITY_RANK.get(grade, len(SEVERITY))


@dataclass
class InstitutionItem:
    name: str
    grade: str
    grade_label: str
    line: int
    host: str | None = None
    note: str | None = None
    number: int | None = None
    source: str = "list"  # list / table / inline / named_of_n


@dataclass
class VolumeFigure:
    region: Region | None
    year: int | None
    metric: str  # appraised / certified / other
    persons: int
    qualifier: str  # exact / approx / at_least
    evidence: str
    line: int


@dataclass
class Extraction:
    status: str = "ok"
    status_reason: str | None = None
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    publish_date: dt.date | None = None
    region: Region | None = None
    sector: str | None = None
    evaluation_year: int | None = None
    stated: dict[str, int] = field(default_factory=dict)  # grade or "total" -> count
    stock_total: bool = False  # the stated total only counts what exists (共设立…60个)
    institutions: list[InstitutionItem] = field(default_factory=list)
    volumes: list[VolumeFigure] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The issues' messages, in order (notices.parquet's `warnings`)."""
        return [issue.message for issue in self.issues]

    def listed(self) -> dict[str, int]:
        """grade -> institutions listed: the one definition of the listed counts (the counts_disagree
        check and notices.parquet's listed_*). An institution is counted once, by its canonical name
        (without the province rule: 北京职业技术学院… and 北京市职业技术学院… graded apart here are
        two), under its most severe grade: listed under 限期整改 and 被暂停 in the prose, it is
        suspended (institutions.parquet keeps both statements with their lines)."""
        worst: dict[str, str] = {}
        for item in self.institutions:
            key = canonical_name(item.name)
            if key not in worst or _rank(item.grade) < _rank(worst[key]):
                worst[key] = item.grade
        counts: dict[str, int] = {}
        for grade in worst.values():
            counts[grade] = counts.get(grade, 0) + 1
        return counts


@dataclass
class Found:
    """What one reader (lists, tables, prose) found: items, stated counts and issues."""

    items: list[InstitutionItem] = field(default_factory=list)
    stated: list[tuple[str, int, str]] = field(default_factory=list)  # (grade, count, evidence)
    issues: list[Issue] = field(default_factory=list)
    totals: list[tuple[int, str]] = field(default_factory=list)  # (count, evidence): a 合计 row's
