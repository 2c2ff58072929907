"""What a reader returns: the file's format and its content as parts (a sheet, a page, the body),
each a list of lines; a table row is one line of tab-separated cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Part:
    label: str | None  # sheet name or "第N页"; None for a document body
    lines: list[str] = field(default_factory=list)


@dataclass
class Reading:
    format: str
    parts: list[Part] = field(default_factory=list)
    units: int | None = None  # pages or sheets
    reject_reason: str | None = None
    html: str | None = None  # an MHTML page's HTML, for the HTML path

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "parts": [[p.label, p.lines] for p in self.parts],
            "units": self.units,
            "reject_reason": self.reject_reason,
            "html": self.html,
        }

    @classmethod
    def from_json(cls, data: dict) -> Reading:
        parts = [Part(label, list(lines)) for label, lines in data.get("parts") or []]
        return cls(data["format"], parts, data.get("units"), data.get("reject_reason"), data.get("html"))


def cell_text(value: object) -> str:
    """A cell as text: whole numbers as integers (3.0 -> 3), dates as ISO dates, newlines and tabs
    inside a cell as spaces (a tab separates cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def row_line(cells: list[str]) -> str:
    """One table row as a line: cells joined by tabs, trailing empty cells dropped."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return "\t".join(cells)
