"""Score bands a notice defines (得分90分(含)以上的为优秀；75分(含)以上、90分以下的为合格；60分以下的为
不合格): a table that gives each institution only its score (序号 | 名称 | 承建单位 | 评估得分) is graded
by them. A score no band covers, or a notice that defines fewer than two bands, grades nothing."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .document import Document
from .items import grade_labels

_NUMBER = r"(?P<n>\d{1,3}(?:\.\d{1,2})?)\s*分?\s*(?:[(（][^()（）]{0,6}[)）])?\s*"
# a lower bound: 90分(含)以上, 90分及以上, 不低于90分, 80-89分, 80分至89分
_LOWER_RE = re.compile(
    r"(?:不低于|不少于|达到)\s*"
    + _NUMBER
    + r"|"
    + _NUMBER.replace("?P<n>", "?P<m>")
    + r"(?:及以上|以上|[-—–~～－至到])"
)
# an upper bound only: 60分以下, 低于60分, 不足60分
_BELOW_RE = re.compile(
    r"(?:低于|不足|不满|未达到?|未满)\s*\d|\d\s*分?\s*(?:[(（][^()（）]{0,6}[)）])?\s*以下"
)
_SCORE_SENTENCE_RE = re.compile(r"\d\s*分")
_SCORE_CELL_RE = re.compile(r"(?P<n>\d{1,3}(?:\.\d{1,2})?)\s*分?")


@dataclass(frozen=True, slots=True)
class Band:
    lowest: float  # the band's lowest score (-inf for 'below N'); the next band up bounds it
    label: str  # the grade word it is given (优秀, 合格, 五星级 …)


def score_bands(doc: Document, stating: frozenset[int]) -> tuple[Band, ...]:
    """The bands one sentence of the `stating` lines (prose) defines, highest first; () unless at
    least two, of distinct lowest scores, each clause naming one grade word after its bound."""
    for sentence in doc.sentences_matching(_SCORE_SENTENCE_RE):
        if sentence.line not in stating:
            continue
        bands = [b for clause in re.split(r"[;；,，。]", sentence.text) if (b := _band(clause))]
        if len(bands) >= 2 and len({b.lowest for b in bands}) == len(bands):
            return tuple(sorted(bands, key=lambda b: -b.lowest))
    return ()


def _band(clause: str) -> Band | None:
    """The band one clause defines: its lower bound (or 'below N'), then the one grade word."""
    labels = {m.group() for m in grade_labels(clause)}
    if len(labels) != 1:
        return None
    label = labels.pop()
    word_at = clause.find(label)
    if lower := _LOWER_RE.search(clause, 0, word_at):
        return Band(float(lower.group("n") or lower.group("m")), label)
    if _BELOW_RE.search(clause, 0, word_at):
        return Band(-math.inf, label)
    return None


def score_of(cell: str) -> float | None:
    """The score a table cell holds (93.5, 88分), else None."""
    m = _SCORE_CELL_RE.fullmatch(cell.strip())
    return float(m.group("n")) if m else None


def banded(score: float, bands: tuple[Band, ...]) -> str | None:
    """The grade word of the highest band whose lowest score the score reaches."""
    return next((b.label for b in bands if score >= b.lowest), None)
