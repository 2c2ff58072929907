"""Counts of institutions the prose states: per grade (合格的39所, 12个被撤销) and in total."""

from __future__ import annotations

import re

from ..numerals import CN_DIGIT_CHARS, digit_counts
from ..vocabulary import GRADE_LABELS, SANCTION_GRADES, UNION_LABELS, words_re
from .document import Document
from .items import grade_labels
from .lines import other_kind_lines

# N + a measure word for institutions, not for months, people, cities, measures or money.
COUNT_RE = re.compile(
    r"(?<![\d.])(?P<n>\d{1,5})\s*(?:个|所|家|站)(?!\s*(?:月|年(?!检|审|度检查)|工作日|小时|百分点|方面|小组|组|市(?!级|直|属)|州|县(?!级)|区|省(?!级|直|属)|部门|工种|职业(?!技能)|项|条|次|人|国家|环节|阶段|批|类|等级|等次|档次|级))"
)
# (以下N家 is 'the following N', a count, not a subtotal)
_SUBTOTAL_RE = re.compile(r"以上|以下(?!\s*\d)|及其|累计|其余|占|%|百分")
_OTHER_KINDS_RE = re.compile(
    r"培训机构|培训学校|技工院校|技工学校(?!职业技能鉴定)|民办|学校(?!.{0,8}鉴定)|考试站"
)
_INSTITUTION_CONTEXT_RE = re.compile(r"机构|鉴定所|鉴定站|鉴定中心|单位|评价机构|所|站|家")
_TOTAL_VERB_RE = re.compile(
    r"共有|共设立|共设|设有|共计|总数|参加|参与|参检|接受|对[^,，。]{0,8}\d|全省有|全市有|全区有|现有"
    r"|共(?:督导|检查|评估|涉及|年检)|(?<!\d)\d++[^,，。]{0,20}中$"
)
_TOTAL_NOUN_RE = re.compile(r"鉴定机构|鉴定所|鉴定站|鉴定中心|评价机构|评价组织|机构|参检单位|参评单位")
# a total of institutions evaluated in this inspection, not a stock figure of how many exist
# (全省共设立鉴定机构60个): a stock figure is the total only when the text states no other
_EVALUATED_RE = re.compile(
    r"参加|参与|参检|参评|接受|本次|共对|对[^,，。]{0,8}\d|开展了|进行了|评估了|检查了|督导了"
    r"|共(?:督导|检查|评估|涉及|年检)|(?<!\d)\d++[^,，。]{0,20}中$"
)
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


# a count under a label that covers several final outcomes, and the outcomes it splits into
_UNION_RE = words_re(UNION_LABELS)
_JOINED_RE = re.compile(r"(?<=[)）])\s*[和及与]|(?<=[个家所站])\s*[和及与]")
_SPLIT_MARK_RE = re.compile(r"其中|分别")
_FAILED_OUTCOMES = frozenset({"rectify", "suspended", "revoked", "deregistered"})


def find_stated_counts(doc: Document) -> tuple[list[tuple[str, int, str]], list[tuple[int, str]]]:
    """(per-grade counts, total counts) the prose states, each with its sentence as evidence; the
    stock figures (共设立…60个) count as the total only when the text states no evaluated one."""
    graded: list[tuple[str, int, str, bool]] = []  # (grade, n, evidence, a 不合格 count)
    totals: list[tuple[int, str]] = []
    stock: list[tuple[int, str]] = []
    other = other_kind_lines(doc)  # sections about another kind of institution
    for sentence in doc.sentences:
        text = sentence.text
        if sentence.line in other or not _ANY_COUNT_HINT_RE.search(text):
            continue  # no count in digits or in Chinese numerals
        bare = digit_counts(_ASIDE_RE.sub("", text) if "称" in text else text)  # 三个 -> 3个
        if not _COUNT_HINT_RE.search(bare):
            continue
        for clause in _split_joined(clauses(bare)):
            read = _clause_count(clause)
            if read is None:
                continue
            grade, n = read
            if grade is None:
                (totals if _EVALUATED_RE.search(clause) else stock).append((n, text))
            else:
                graded.append((grade, n, text, _only_union(clause)))
    return _without_unions(graded), totals or stock


def is_stock_figure(evidence: str) -> bool:
    """Whether a total's sentence counts what exists (共设立…60个), not what was evaluated."""
    return not any(_EVALUATED_RE.search(clause) for clause in clauses(digit_counts(evidence)))


def _only_union(clause: str) -> bool:
    """A clause graded only by a label that may cover several outcomes (不合格的8家, not
    1个年检不合格被责令限期整改, whose final outcome is said)."""
    labels = [m.group() for m in grade_labels(clause)]
    return bool(labels) and all(label in UNION_LABELS for label in labels)


def _without_unions(graded: list[tuple[str, int, str, bool]]) -> list[tuple[str, int, str]]:
    """Drop a 不合格 count that the counts after it split into final outcomes (不合格17个 … 限期整改9个，
    暂停3个，撤销5个): it covers several grades, so it is no grade's count (domain.md)."""
    out = []
    for index, (grade, n, text, union) in enumerate(graded):
        if union and _split_after(graded[index + 1 :], n, text):
            continue
        out.append((grade, n, text))
    return out


def _split_after(later: list[tuple[str, int, str, bool]], n: int, sentence: str) -> bool:
    """Whether the first counts in `later` of the outcomes a 不合格 can end in add up to `n`, said
    after it (in a later sentence, or after 其中/分别 in its own): 达标的6家、不合格的1家、撤销的1家
    lists three outcomes side by side and splits nothing."""
    union_at = m.start() if (m := _UNION_RE.search(sentence)) else 0
    marker = _SPLIT_MARK_RE.search(sentence, union_at)
    total = 0
    for grade, count, text, union in later:
        if union or grade not in _FAILED_OUTCOMES or (text == sentence and marker is None):
            break
        total += count
        if total >= n:
            return total == n
    return False


def _split_joined(parts: list[str]) -> list[str]:
    """Clauses joined by 和/及 that each state a grade's count (暂停(2家)和终止备案(2家)) are read apart."""
    out: list[str] = []
    for part in parts:
        pieces = _JOINED_RE.split(part) if len(COUNT_RE.findall(part)) > 1 else [part]
        # (only grade counts: '43家鉴定所和10家考试站' inspects two kinds and states no single total)
        out += pieces if all(len(COUNT_RE.findall(p)) == 1 and grade_labels(p) for p in pieces) else [part]
    return out


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
