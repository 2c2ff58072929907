"""The catalogue of issues a notice can carry: one code per kind of problem, one home for all.

An `Issue` is what a reader could not resolve or had to infer. notices.parquet keeps the codes
(`issue_codes`) beside the messages (`warnings`); checks count codes and never match message text.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (severity, what it means). severity: "warning" (data may be incomplete) or "info".
CATALOGUE: dict[str, tuple[str, str]] = {
    "unknown_outcome": (
        "warning",
        "an outcome word that no rule maps to a grade (待定); the row is not graded",
    ),
    "row_without_outcome": (
        "warning",
        "a table row naming an institution with no outcome and no graded list",
    ),
    "item_not_read": (
        "warning",
        "a list item under a heading whose grade is unknown or mixed (合格和基本合格)",
    ),
    "unknown_heading": ("warning", "a list heading with a count but no grade word a rule knows"),
    "list_cut_off": ("warning", "a list ends before the count its heading states (the text was truncated)"),
    "counts_disagree": ("warning", "the count the text states differs from the institutions it lists"),
    "counts_conflict": ("warning", "the text states one count twice with different values"),
    "region_inferred": ("info", "the region was inferred from place names in the text"),
    "region_unresolved": ("warning", "no issuer, title, doc number or place names give the region"),
    "year_unresolved": ("warning", "no evaluation year, inspection year or year of issue was found"),
    "decode": ("warning", "the file's bytes could not all be decoded"),
    "duplicate": ("info", "the same content was already read from another file"),
    "attachment_missing": ("warning", "the page links an attachment that was not saved in the notice folder"),
    "attachment_unlinked": ("info", "a file in the notice folder that the page does not link (read anyway)"),
    "attachment_rejected": ("warning", "a file of the notice could not be read (its raw_files row says why)"),
    "sidecar_unreadable": ("warning", "the folder's notice.json is not a readable JSON object"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    detail: str
    line: int | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown issue code {self.code!r}: add it to issues.CATALOGUE")

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def message(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.detail}{where}"
