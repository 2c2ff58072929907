"""Ratings a notice defines for itself: 分为五星级、四星级、三星级，分别对应优秀、合格、基本合格;
C等次机构须限期3个月整改. Each defined rating takes the grade the notice gives it, over the
vocabulary's default (vocabulary.RATING_LABELS)."""

from __future__ import annotations

import re

from ..vocabulary import GRADE_LABELS, RATING_LABEL_RE, RATING_LABELS
from .document import Document
from .items import grade_labels
from .model import InstitutionItem

_CLAUSE_RE = re.compile(r"[^,，;；。]+")


def rating_definitions(doc: Document) -> dict[str, str]:
    """rating word -> grade, for the ratings the text defines ('分别对应' pairs, or a clause that
    names one rating and one plain grade word)."""
    found: dict[str, str] = {}
    for sentence in doc.sentences_matching(RATING_LABEL_RE):
        ratings = [m.group() for m in RATING_LABEL_RE.finditer(sentence.text)]
        plain = [m.group() for m in grade_labels(sentence.text) if m.group() not in RATING_LABELS]
        if "分别" in sentence.text and len(set(ratings)) == len(plain) >= 2:
            found.update({r: GRADE_LABELS[g] for r, g in zip(dict.fromkeys(ratings), plain, strict=True)})
            continue
        # a clause, or else the sentence, that names one rating and one plain grade defines it
        # ('C等次机构须限期3个月整改', '对D等次的12家评价机构，取消其…备案')
        for text in [*_CLAUSE_RE.findall(sentence.text), sentence.text]:
            rated = set(RATING_LABEL_RE.findall(text))
            words = {m.group() for m in grade_labels(text + "。") if m.group() not in RATING_LABELS}
            if len(rated) == 1 and len({GRADE_LABELS[w] for w in words}) == 1:
                found.setdefault(rated.pop(), GRADE_LABELS[words.pop()])
                break
    return found


def _rating_in(text: str) -> str | None:
    ratings = set(RATING_LABEL_RE.findall(text))
    return ratings.pop() if len(ratings) == 1 else None


def apply_ratings(
    definitions: dict[str, str], items: list[InstitutionItem], stated: list[tuple[str, int, str]]
) -> list[tuple[str, int, str]]:
    """Regrade the items (in place) and the stated counts whose label or evidence is one defined
    rating; the stated counts are returned."""
    if not definitions:
        return stated
    for item in items:
        rating = _rating_in(item.grade_label) if item.grade_label in RATING_LABELS else None
        if rating in definitions:
            item.grade = definitions[rating]
    out = []
    for grade, n, evidence in stated:
        rating = _rating_in(evidence)
        same = rating is not None and GRADE_LABELS[rating] == grade
        out.append((definitions[rating] if same and rating in definitions else grade, n, evidence))
    return out
