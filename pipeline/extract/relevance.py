"""Is this text a results notice (domain.md, 'Which texts count')? If not, say why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..vocabulary import (
    ACTIVITY_WORDS,
    AWARD_LABELS,
    AWARD_WORDS,
    CONFERENCE_WORDS,
    INSTITUTION_NOUN_RE,
    OTHER_KIND_WORDS,
    PEOPLE_WORDS,
    RESULT_PHRASES,
    SANCTION_WORDS,
    SELF_REFERENCES,
    words_re,
)
from .document import Document
from .model import Extraction

_RESULTS_RE = words_re(RESULT_PHRASES)
_ANNOUNCE_TITLE_RE = re.compile(
    r"关于(?:组织|开展|做好|进行|部署|启动|印发)[^,，。]{0,40}(?:评估|年检|检查|督导|审核|年审)[^,，。]{0,12}(?:通知|方案|办法)"
)
_AWARD_RE = words_re(AWARD_WORDS)
_CONFERENCE_RE = words_re(CONFERENCE_WORDS)
_ANNUAL_RE = re.compile(r"年检|年度检查|检查评估|质量评估|质量督导|年审|年度评估")
# an admission review: of new applicants, or a catalogue's next batch (第三批…评价组织评审结果)
_ADMISSION_RE = re.compile(
    r"现场评估|备案评估|新批准|新设立|拟设立|同意设立|批准设立|筹建|申报|资质评审|准入|遴选"
    r"|第[一二三四五六七八九十\d]{1,3}批"
)
_OTHER_KINDS_TITLE_RE = words_re(OTHER_KIND_WORDS)
# an inspection, evaluation or sanction of institutions: without one, volumes alone are a work report
_INSPECTION_RE = re.compile(words_re((*ACTIVITY_WORDS, *SANCTION_WORDS)).pattern + r"|取消[^,，。]{0,8}资格")
_SELF_RE = words_re(SELF_REFERENCES)
_PEOPLE_RE = words_re(PEOPLE_WORDS)


@dataclass(frozen=True)
class _Facts:
    """What the relevance rules read: the notice's text and what the extractor found in it."""

    doc: Document
    x: Extraction
    title: str
    head: str  # the first sentences (a title the extractor did not recognise is there)
    graded: bool  # an institution or a grade count (not only a total)


def judge(doc: Document, x: Extraction) -> tuple[str, str | None]:
    """('ok', None) or ('irrelevant', reason), after the extractor has run: the first rule of
    _RULES that fires gives the reason."""
    facts = _Facts(
        doc,
        x,
        x.title or "",
        "\n".join(s.text for s in doc.sentences[:4]),
        bool(x.institutions) or any(key != "total" for key in x.stated),
    )
    for rule in _RULES:
        if reason := rule(facts):
            return "irrelevant", reason
    return "ok", None


def _no_institutions(f: _Facts) -> str | None:
    if not INSTITUTION_NOUN_RE.search(f.doc.body):
        return "does not mention vocational skill appraisal institutions (鉴定所/站/机构, 评价机构)"
    return None


def _announcement(f: _Facts) -> str | None:
    if _ANNOUNCE_TITLE_RE.search(f.title or f.head) and not (f.graded and _RESULTS_RE.search(f.doc.body)):
        return "announces an inspection or its rules (关于开展…的通知); states no results"
    return None


def _other_kind(f: _Facts) -> str | None:
    kind = _OTHER_KINDS_TITLE_RE.search(f.title)
    if not kind or INSTITUTION_NOUN_RE.search(f.title):
        return None
    # what such a notice lists is of its kind, unless a listed name is an appraisal institution's
    if not any(INSTITUTION_NOUN_RE.search(i.name) for i in f.x.institutions):
        return f"results for another kind of institution ({kind.group()}) only"
    return None


def _people(f: _Facts) -> str | None:
    """A title about people: their list (考评员…名单), or their own review (考评员年审结果)."""
    m = _PEOPLE_RE.search(f.title)
    if m and INSTITUTION_NOUN_RE.search(f.title, 0, m.start()) and _ANNUAL_RE.search(f.title, 0, m.start()):
        return None  # (鉴定所(站)年检和考评人员注册审核结果: the institutions' inspection too)
    listed = "名单" in f.title and not _ANNUAL_RE.search(f.title)
    if m and (listed or _PEOPLE_REVIEW_RE.match(f.title, m.end())):
        return f"results for people ({m.group()}), not institutions"
    return None


# what is done to the people a title names, right after them (考评员年审结果, 督导员考核)
_PEOPLE_REVIEW_RE = re.compile(r"[^,，。]{0,2}?(?:年审|年检|考核|审核|注册|资格审查)")


def _award(f: _Facts) -> str | None:
    # (a count of the praised alone, 20个单位获评年度先进, is the award's, no inspection's result)
    beyond_praise = any(key not in ("total", "excellent") for key in f.x.stated)
    listed = sum(i.grade_label not in AWARD_LABELS for i in f.x.institutions)
    inspected = _ANNUAL_RE.search(f.doc.body) and (beyond_praise or listed > 1)
    if _AWARD_RE.search(f.title or f.head) and not inspected:
        return "an award at a work conference (表彰), not an inspection result"
    if _CONFERENCE_RE.search(f.title) and not _ANNUAL_RE.search(f.title) and not inspected:
        return "news of a work conference (工作会议), not an inspection result"
    # names graded only by an award (…等30个单位被授予先进单位) in a text whose title is no inspection
    awarded = f.x.institutions and all(i.grade_label in AWARD_LABELS for i in f.x.institutions)
    if awarded and _AWARD_RE.search(f.doc.body) and not _ANNUAL_RE.search(f.title):
        return "names graded only by an award (表彰), not an inspection result"
    return None


def _admission(f: _Facts) -> str | None:
    title = f.title or f.head  # (a title the extractor did not recognise is in the head)
    if _ADMISSION_RE.search(title) and not _ANNUAL_RE.search(title):
        return "an admission review of new institutions (拟新设立/备案), not an inspection"
    body = f.doc.body
    if (
        _ADMISSION_RE.search(body)
        and not _ANNUAL_RE.search(body)
        and not f.x.stated
        and len(f.x.institutions) <= 1
    ):
        return "an admission or registration review of a new institution (现场评估/备案), not an inspection"
    return None


def _self_report(f: _Facts) -> str | None:
    if _SELF_RE.search(f.doc.body) and not f.x.stated and len(f.x.institutions) <= 1:
        return "one unnamed institution (我院/我校…) reporting on itself"
    return None


def _statistics(f: _Facts) -> str | None:
    if f.x.stock_total and not f.graded:
        return "statistics of how many institutions exist (a stock figure), no inspection result"
    return None


def _no_figures(f: _Facts) -> str | None:
    x = f.x
    if not (f.graded or x.volumes):  # (a total alone says how many took part, not how they fared)
        return "no grade count, graded institution or appraisal volume in the text"
    if not (x.stated or x.institutions) and not _INSPECTION_RE.search(f.doc.body):
        return "appraisal volumes only, with no inspection or evaluation of institutions"
    return None


# The relevance rules, in order (domain.md, 'Which texts count').
_RULES: tuple[Callable[[_Facts], str | None], ...] = (
    _no_institutions,
    _announcement,
    _other_kind,
    _people,
    _award,
    _admission,
    _self_report,
    _statistics,
    _no_figures,
)
