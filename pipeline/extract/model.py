"""What the extractor takes out of one notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..issues import Issue
from ..regions import Region


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
        counts: dict[str, int] = {}
        for item in self.institutions:
            counts[item.grade] = counts.get(item.grade, 0) + 1
        return counts


@dataclass
class Found:
    """What one reader (lists, tables, prose) found: items, stated counts and issues."""

    items: list[InstitutionItem] = field(default_factory=list)
    stated: list[tuple[str, int, str]] = field(default_factory=list)  # (grade, count, evidence)
    issues: list[Issue] = field(default_factory=list)
    totals: list[tuple[int, str]] = field(default_factory=list)  # (count, evidence): a 合计 row's
