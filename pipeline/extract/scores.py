"""Score bands a notice defines (得分90分(含)以上的为优秀；75分(含)以上、90分以下的为合格；60分以下的为
不合格): a table that gives each institution only its score (序号 | 名称 | 承建单位 | 评估得分) is graded
by them. A score no band covers, or a notice that defines fewer than two bands, grades nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import GRADE_LABELS
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
    r"(?:低于|不足|不满|未达到?|未满)\s*(?P<n>\d{1,3}(?:\.\d{1,2})?)"
    r"|(?P<m>\d{1,3}(?:\.\d{1,2})?)\s*分?\s*(?:[(（][^()（）]{0,6}[)）])?\s*以下"
)
_SCORE_SENTENCE_RE = re.compile(r"\d\s*分")
_SCORE_CELL_RE = re.compile(r"(?P<n>\d{1,3}(?:\.\d{1,2})?)\s*分?")


@dataclass(frozen=True, slots=True)
class Band:
    bound: float  # the band's lowest score, or (`below`) the score it stays under
    label: str  # the grade word it is given (优秀, 合格, 五星级 …)
    below: bool = False  # 'below N' (低于60分的, 60分以下): under `bound`, down to the next band


def score_bands(doc: Document, stating: frozenset[int]) -> tuple[Band, ...]:
    """The bands one sentence of the `stating` lines (prose) defines; () unless at least two, each a
    clause naming a bound then one grade word (a bound whose clause names none takes the next
    clause's: 得分低于80分的，限期整改)."""
    for sentence in doc.sentences_matching(_SCORE_SENTENCE_RE):
        if sentence.line not in stating:
            continue
        bands: list[Band] = []
        carried = ""
        for clause in re.split(r"[;；,，。]", sentence.text):
            band = _band(carried + clause)
            carried = carried + clause if band is None and _has_bound(clause) and not carried else ""
            if band is not None:
                bands.append(band)
        if len(bands) >= 2 and len({(b.bound, b.below) for b in bands}) == len(bands):
            return tuple(bands)
    return ()


def _has_bound(clause: str) -> bool:
    return bool(_LOWER_RE.search(clause) or _BELOW_RE.search(clause))


def _band(clause: str) -> Band | None:
    """The band one clause defines: its lower bound (or 'below N'), then the one grade word."""
    labels = grade_labels(clause)
    if len({GRADE_LABELS[m.group()] for m in labels}) != 1:
        return None  # (one grade, maybe in two words: 终止备案并移出评价机构目录)
    label = labels[0].group()
    word_at = labels[0].start()
    if lower := _LOWER_RE.search(clause, 0, word_at):
        return Band(float(lower.group("n") or lower.group("m")), label)
    if below := _BELOW_RE.search(clause, 0, word_at):
        return Band(float(below.group("n") or below.group("m")), label, below=True)
    return None


def score_of(cell: str) -> float | None:
    """The score a table cell holds (93.5, 88分), else None."""
    m = _SCORE_CELL_RE.fullmatch(cell.strip())
    return float(m.group("n")) if m else None


def banded(score: float, bands: tuple[Band, ...]) -> str | None:
    """The grade word of the band a score falls in: the highest lower bound it reaches, else the
    lowest 'below' bound it stays under."""
    reached = [b for b in bands if not b.below and score >= b.bound]
    if reached:
        return max(reached, key=lambda b: b.bound).label
    under = [b for b in bands if b.below and score < b.bound]
    return min(under, key=lambda b: b.bound).label if under else None
