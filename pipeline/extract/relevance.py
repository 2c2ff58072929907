"""Is this text a results notice (domain.md, 'Which texts count')? If not, say why."""

from __future__ import annotations

import re

from ..vocabulary import (
    ACTIVITY_WORDS,
    AWARD_WORDS,
    INSTITUTION_NOUN_RE,
    RESULT_PHRASES,
    SANCTION_WORDS,
    words_re,
)
from .document import Document
from .model import Extraction

_RESULTS_RE = words_re(RESULT_PHRASES)
_ANNOUNCE_TITLE_RE = re.compile(
    r"关于(?:组织|开展|做好|进行|部署|启动|印发)[^,，。]{0,40}(?:评估|年检|检查|督导|审核|年审)[^,，。]{0,12}(?:通知|方案|办法)"
)
_AWARD_RE = words_re(AWARD_WORDS)
_ANNUAL_RE = re.compile(r"年检|年度检查|检查评估|质量评估|质量督导|年审|年度评估")
_ADMISSION_RE = re.compile(r"现场评估|备案评估|新批准|新设立|拟设立|筹建|申报|资质评审|准入")
_OTHER_KINDS_TITLE_RE = re.compile(r"培训机构|培训学校|技工院校|职业院校|民办|技工学校")
# an inspection, evaluation or sanction of institutions: without one, volumes alone are a work report
_INSPECTION_RE = re.compile(words_re((*ACTIVITY_WORDS, *SANCTION_WORDS)).pattern + r"|取消[^,，。]{0,8}资格")
_SELF_RE = re.compile(r"我院|我校|我公司|我单位|我站|我所|我中心")


def judge(doc: Document, x: Extraction) -> tuple[str, str | None]:
    """('ok', None) or ('irrelevant', reason), after the extractor has run."""
    title = x.title or ""
    head = "\n".join(s.text for s in doc.sentences[:4])
    has_figures = bool(x.stated or x.institutions or x.volumes)
    if not INSTITUTION_NOUN_RE.search(doc.body):
        return (
            "irrelevant",
            "does not mention vocational skill appraisal institutions (鉴定所/站/机构, 评价机构)",
        )
    graded = bool(x.institutions) or any(key != "total" for key in x.stated)
    if _ANNOUNCE_TITLE_RE.search(title or head) and not (graded and _RESULTS_RE.search(doc.body)):
        return "irrelevant", "announces an inspection or its rules (关于开展…的通知); states no results"
    if (
        _OTHER_KINDS_TITLE_RE.search(title)
        and not INSTITUTION_NOUN_RE.search(title)
        and not (x.stated or x.institutions)
    ):
        kind = _OTHER_KINDS_TITLE_RE.search(title).group()
        return "irrelevant", f"results for another kind of institution ({kind}) only"
    if _AWARD_RE.search(title or head) and not (
        _ANNUAL_RE.search(doc.body) and (x.stated or len(x.institutions) > 1)
    ):
        return "irrelevant", "an award at a work conference (表彰), not an inspection result"
    if _ADMISSION_RE.search(title) and not _ANNUAL_RE.search(title):
        return "irrelevant", "an admission review of new institutions (拟新设立/备案), not an inspection"
    if (
        _ADMISSION_RE.search(doc.body)
        and not _ANNUAL_RE.search(doc.body)
        and not x.stated
        and len(x.institutions) <= 1
    ):
        return (
            "irrelevant",
            "an admission or registration review of a new institution (现场评估/备案), not an inspection",
        )
    if _SELF_RE.search(doc.body) and not x.stated and len(x.institutions) <= 1:
        return "irrelevant", "one unnamed institution (我院/我校…) reporting on itself"
    if not has_figures:
        return "irrelevant", "no grade count, graded institution or appraisal volume in the text"
    if not (x.stated or x.institutions) and not _INSPECTION_RE.search(doc.body):
        return "irrelevant", "appraisal volumes only, with no inspection or evaluation of institutions"
    return "ok", None
