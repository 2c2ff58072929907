"""Counts of institutions the prose states: per grade (合格的39所, 12个被撤销) and in total."""

from __future__ import annotations

import re

from ..numerals import CN_DIGIT_CHARS, digit_counts
from ..vocabulary import GRADE_LABELS, SANCTION_GRADES
from .document import Document
from .items import grade_labels
from .lines import other_kind_lines

# N + a measure word for institutions, not for months, people, cities, measures or money.
COUNT_RE = re.compile(
    r"(?<![\d.])(?P<n>\d{1,5})\s*(?:个|所|家|站)(?!\s*(?:月|年(?!检|审|度检查)|工作日|小时|百分点|方面|小组|组|市|州|县|区|省|部门|工种|职业(?!技能)|项|条|次|人|国家|环节|阶段|批|类|等级|等次|档次|级))"
)
_SUBTOTAL_RE = re.compile(r"以上|以下|及其|累计|其余|分别|占|%|百分")
_OTHER_KINDS_RE = re.compile(
    r"培训机构|培训学校|技工院校|技工学校(?!职业技能鉴定)|民办|学校(?!.{0,8}鉴定)|考试站"
)
_INSTITUTION_CONTEXT_RE = re.compile(r"机构|鉴定所|鉴定站|鉴定中心|单位|评价机构|所|站|家")
_TOTAL_VERB_RE = re.compile(
    r"共有|共设立|共设|设有|共计|总数|参加|参与|对[^,，。]{0,8}\d|全省有|全市有|全区有|现有|^在\s*\d+[^,，。]{0,20}中$"
)
_TOTAL_NOUN_RE = re.compile(r"鉴定机构|鉴定所|鉴定站|鉴定中心|评价机构")
_NOT_TOTAL_RE = re.compile(r"抽查|抽样|抽取|实地|其中|新增|新批|超额|完成")
_ASIDE_RE = re.compile(r"\((?:以下简称|简称|下称)[^)]*\)")
_CLAUSE_RE = re.compile(r"[^,，;；。:：、]+")
_ENDS_WITH_DENG_RE = re.compile(r"等\s*$")
_CONJOINED_RE = re.compile(r"[和及与]\s*\d{1,5}\s*(?:个|所|家)")
# a count needs a digit before its measure word: sentences without one are skipped cheaply
_COUNT_HINT_RE = re.compile(r"\d\s*[个所家站]")
_ANY_COUNT_HINT_RE = re.compile(rf"[\d{CN_DIGIT_CHARS}]\s*[个所家站]")  # in digits or in words


def clauses(text: str) -> list[str]:
    return _CLAUSE_RE.findall(text)


def find_stated_counts(doc: Document) -> tuple[list[tuple[str, int, str]], list[tuple[int, str]]]:
    """(per-grade counts, total counts) the prose states, each with its sentence as evidence."""
    graded: list[tuple[str, int, str]] = []
    totals: list[tuple[int, str]] = []
    other = other_kind_lines(doc)  # sections about another kind of institution
    for sentence in doc.sentences:
        text = sentence.text
        if sentence.line in other or not _ANY_COUNT_HINT_RE.search(text):
            continue  # no count in digits or in Chinese numerals
        bare = digit_counts(_ASIDE_RE.sub("", text) if "称" in text else text)  # 三个 -> 3个
        if not _COUNT_HINT_RE.search(bare):
            continue
        for clause in clauses(bare):
            read = _clause_count(clause)
            if read is None:
                continue
            grade, n = read
            if grade is None:
                totals.append((n, text))
            else:
                graded.append((grade, n, text))
    return graded, totals


def _clause_count(clause: str) -> tuple[str | None, int] | None:
    """(grade, n) when a clause states one grade's count, (None, n) when it states the total."""
    counts = list(COUNT_RE.finditer(clause))
    if len(counts) != 1 or _OTHER_KINDS_RE.search(clause):
        return None
    n = int(counts[0].group("n"))
    grades = {GRADE_LABELS[m.group()] for m in grade_labels(clause)}
    sanctions = grades & set(SANCTION_GRADES)
    if len(grades) > 1 and len(sanctions) == 1:
        grades = sanctions  # '4个不合格…机构被撤销': the sanction, not its reason
    if len(grades) == 1:
        if _SUBTOTAL_RE.search(clause) or _ENDS_WITH_DENG_RE.search(clause[: counts[0].start()]):
            return None  # 42个…基本合格等次及以上 is a subtotal; X等N个 is read by prose.named_of_n
        return grades.pop(), n
    if not grades and _is_total(clause):
        return None, n
    return None


def _is_total(clause: str) -> bool:
    return bool(
        _TOTAL_NOUN_RE.search(clause)
        and _TOTAL_VERB_RE.search(clause)
        and not _NOT_TOTAL_RE.search(clause)
        and not _SUBTOTAL_RE.search(clause)
        and not _conjoined_count(clause)
    )


def _conjoined_count(clause: str) -> bool:
    """'43家鉴定所和10家考试站' inspects two kinds: no single total."""
    return len(COUNT_RE.findall(clause)) > 1 or bool(_CONJOINED_RE.search(clause))
