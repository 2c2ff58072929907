"""Counts of institutions the prose states: per grade (合格的39所, 12个被撤销) and in total."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import NamedTuple

from ..numerals import CN_DIGIT_CHARS, digit_counts
from ..vocabulary import (
    FAILED_OUTCOMES,
    GRADE_LABEL_RE,
    GRADE_LABELS,
    RATING_LABEL_RE,
    RATING_LABELS,
    RATING_TIERS,
    SANCTION_GRADES,
    SUM_ROW_WORDS,
    UNION_LABELS,
    words_re,
)
from .document import Document
from .items import grade_labels, split_outside_brackets
from .lines import other_kind_lines, prose_lines
from .model import InstitutionItem

# N + a measure word for institutions, not for months, people, cities, measures or money.
COUNT_RE = re.compile(
    r"(?<![\d.第])(?P<n>\d{1,5})\s*(?:个|所|家|站)(?!\s*(?:月|年(?!检|审|度检查)|工作日|小时|百分点|方面|小组|组|市(?!级|直|属)|盟|地(?:市|区)|州|县(?!级)|区|省(?!级|直|属)|部门|工种|职业(?!技能)|项|条|次|人|国家(?!职业)|环节|阶段|批|类|等级|等次|档次|级|行业))"
)
# (以下N家 is "the following N", 以上N家 "the N above": counts, not subtotals)
_SUBTOTAL_RE = re.compile(r"以上(?!\s*\d)|以下(?!\s*\d)|及其|累计|其余|占|%|百分")
_REST_RE = re.compile(r"^\s*其余(?=\s*\d)")  # 其余142家…合格: the rest's grade, a count
_OTHER_KINDS_RE = re.compile(
    r"培训机构|培训学校|技工院校|技工学校(?!职业技能鉴定)|民办|学校(?!.{0,8}鉴定)|考试站"
)
_INSTITUTION_CONTEXT_RE = re.compile(r"机构|鉴定所|鉴定站|鉴定中心|单位|评价机构|所|站|家")
_TOTAL_VERB_RE = re.compile(
    r"共有|共设立|共设|设有|共计|总数|纳入|参加|参与|参检|接受|覆盖|对(?!下列|以下|如下)[^,，。]{0,8}\d|全省有|全市有|全区有|现有|进行了|开展了"
    r"|共(?:督导|检查|评估|涉及|年检)|实际(?:检查|督导|评估|参加|参检)|(?<!\d)\d++[^,，。]{0,20}中$"
)
_SUM_TOTAL_RE = re.compile("^(?:" + "|".join(SUM_ROW_WORDS) + r")\s*[:：]?\s*共?\s*\d")
_TOTAL_NOUN_RE = re.compile(r"鉴定机构|鉴定所|鉴定站|鉴定中心|评价机构|评价组织|机构|参检单位|参评单位")
# a total of institutions evaluated in this inspection, not a stock figure of how many exist
# (全省共设立鉴定机构60个): a stock figure is the total only when the text states no other
_EVALUATED_RE = re.compile(
    # (not one left out: …等5家机构…,不参加本次年检)
    r"(?<![不未])(?:参加|参与|参检|参评|接受)|覆盖|(?<![加与检])本次|共对|对(?!下列|以下|如下)[^,，。]{0,8}\d"
    r"|开展了|进行了|评估了|检查了|督导了|^(?:" + "|".join(SUM_ROW_WORDS) + ")"  # (a sum row's 共N家)
    r"|共(?:督导|检查|评估|涉及|年检)|(?<!\d)\d++[^,，。]{0,20}中$"
)
# a count right before what was done to them (…24家评价机构开展了质量督导, 16个考核站点进行了…评估)
_EVALUATION_WORDS = "督导|检查|评估|年检|复核|评审|考核"
_EVALUATION = f"(?:{_EVALUATION_WORDS})"
_EVALUATION_HINT_RE = re.compile(_EVALUATION + "|对象|范围")
_EVALUATED_SET_RE = re.compile(
    r"(?<!\d)(?P<n>\d{1,5})\s*(?P<unit>[家个所站])(?P<kind>[^,，。;；:：\d]{0,14}?)(?:开展|进行|接受|参加|实施|纳入)了?"
    r"[^,，。;；:：\d]{0,8}?"
    + _EVALUATION
    # the count after the evaluation or the sample drawn (共抽取评价机构184家, 本次督导评价机构共14家,
    # 实际评估31家; not a part described: 检查中发现问题较多的以下4家)
    + r"|(?:抽取|抽查|抽检|"
    + _EVALUATION_WORDS
    + r")(?P<kind_before>[^,，。;；:：\d的]{0,10}?)(?:共|计)?\s*"
    + r"(?P<n_after>\d{1,5})\s*(?P<unit_after>[家个所站])"
)
_NOT_EVALUATED_RE = re.compile(r"[不未](?:纳入|参加|参与|参检|列入)")
_OBJECT_RE = re.compile(_EVALUATION + r"(?:对象|范围)")
_WHOLE_CLAUSE_COUNT_RE = re.compile(r"共\s*(?P<n>\d{1,5})\s*[家个所站]")
# the object said with its count (本次年检对象为经省厅批准设立的30个省级职业技能鉴定所)
_OBJECT_COUNT_RE = re.compile(
    _EVALUATION + r"?(?:对象|范围)(?:为|是)[^,，。;；\d]{0,20}?(?<![\d.])"
    r"(?P<n>\d{1,5})\s*[家个所站](?![\d个])"
)
# among the N of one grade (在通过年检的41家单位中): the set a later count of another grade lies in
_AMONG_RE = re.compile(
    r"在[^,，。;；\d]{0,12}?(?P<label>" + GRADE_LABEL_RE.pattern + r")[^,，。;；\d]{0,6}?(?P<n>\d{1,5})"
    r"[家个所站][^,，。;；\d]{0,10}?中"
)
# a segment about institutions left out of this inspection (其中12个因…正在停业整顿，不在本次年检范围):
# what it counts was graded by nobody, whatever words it gives the reason in
_OUT_OF_SCOPE_RE = re.compile(r"(?:不在|不属于|未纳入|不纳入|未列入|不列入)[^,，。;；]{0,10}范围")
# (…对1家评价机构予以通报批评: a measure on some, no total)
_NOT_TOTAL_RE = re.compile(
    r"抽查|抽样|抽取|实地|新增|新批|超额|完成|[不未](?:参加|参与|参检|纳入|在)|予以|给予|责令|约谈|批评"
)
# after a stock figure, the part of it that took part is the total: 其余27个参加了本次年检,
# 其中参加本次年检的39个, 本次年检实际检查45个 (其中 otherwise opens a breakdown, no total)
_ACTUAL_RE = re.compile(r"实际(?:参加|参检|参与|检查|督导|评估|年检)")
_PART_OPENING_RE = re.compile(r"^\s*(?:其余|其中|本次|实际|参加)")
_TOOK_PART_RE = re.compile(r"参加|参检|参与|接受|实际检查|实际督导|实际评估")
# an aside that restates a grade in other words, no figure in it: 优秀(四星级及以上)18家 (not one
# that joins another grade in: 合格(含基本合格)30家)
_GRADE_ASIDE_RE = re.compile(r"[(（](?![含包])[^()（）\d]{1,20}[)）]")
_ASIDE_RE = re.compile(r"\((?:以下简称|简称|下称)[^)]*\)")
_CLAUSE_RE = re.compile(r"[^,，;；。:：]+")
_SEGMENT_RE = re.compile(r"[^;；。]+")
_ENUMERATION_RE = re.compile(r"、")
_ALTERNATIVES_RE = re.compile(r"或")
_INSTITUTION_MEASURE_RE = re.compile(r"\d\s*[家所站]")  # (个 counts anything)
# a count opening its clause, its grade said after it (其中3个限期整改; 对下列3个单位,…为基本合格)
_OPENING_COUNT_RE = re.compile(r"^\s*(?:其中|另有|另|还有|对(?:下列|以下|如下)?)?\s*\d{1,5}\s*个")
# an aside in brackets that states a count of its own (其中2个为主动申请撤销), not a bare (1家)
_ASIDE_COUNT_RE = re.compile(r"[(（](?![共计]?\s*\d{1,5}\s*[个所家站]\s*[)）])([^()（）]*\d[^()（）]*)[)）]")
# X等N个 (names before it), not a letter rating's 等 (A等5家, B等九家)
_ENDS_WITH_DENG_RE = re.compile(rf"(?<![{RATING_TIERS}])等\s*$")
_CONJOINED_RE = re.compile(r"[和及与]\s*\d{1,5}\s*(?:个|所|家)")
# a count needs a digit before its measure word: sentences without one are skipped cheaply
_COUNT_HINT_RE = re.compile(r"\d\s*[个所家站]")
_ANY_COUNT_HINT_RE = re.compile(rf"[\d{CN_DIGIT_CHARS}]\s*[个所家站]")  # in digits or in words


def clauses(text: str) -> list[str]:
    """The clauses of a text: split at commas, colons and sentence ends, and at a 、 only where the
    next part states a count of its own (合格38个、基本合格5个), so that 被整改、撤销或注销 and
    因改制、撤并等原因予以注销 stay one clause with their count."""
    out: list[str] = []
    for clause in _CLAUSE_RE.findall(text):
        if "、" not in clause:
            out.append(clause)
            continue
        # (a 、 inside brackets lists glosses: 优秀(五星级、四星级)13家 is one count)
        out += _enumerated(split_outside_brackets(clause, _ENUMERATION_RE, "、"))
    return out


def _enumerated(parts: list[str]) -> list[str]:
    """Parts of a clause split at 、 regrouped by their counts: a part without a count joins the next
    part when that one names its grade before its count (不予通过、限期整改的8个), else the one before
    when it names no grade or alternatives (12家机构被整改、撤销或注销); else it stands alone."""
    merged: list[str] = []
    pending = ""  # count-less parts waiting for the next part
    for index, part in enumerate(parts):
        part = pending + part
        pending = ""
        if COUNT_RE.search(part) or not merged:
            merged.append(part)
        elif index + 1 < len(parts) and _grade_before_count(parts[index + 1]):
            pending = part + "、"
        elif not grade_labels(part) or _ALTERNATIVES_RE.search(part):
            merged[-1] += "、" + part  # a reason (因改制、撤并), or alternatives (整改、撤销或注销)
        else:
            merged.append(part)  # its own outcome: 5所基本合格、须限期整改
    if pending:
        merged[-1] += "、" + pending.removesuffix("、")
    return merged


def _grade_before_count(part: str) -> bool:
    count = COUNT_RE.search(part)
    return bool(count) and bool(grade_labels(part[: count.start()]))  # type: ignore[union-attr]


# a count under a label that covers several final outcomes, and the outcomes it splits into
_UNION_RE = words_re(UNION_LABELS)
_JOINED_RE = re.compile(r"(?<=[)）])\s*[和及与]|(?<=[个家所站])\s*[和及与]")


def find_stated_counts(
    doc: Document, years: frozenset[int] = frozenset()
) -> tuple[list[tuple[str, int, str]], list[tuple[int, str]]]:
    """(per-grade counts, total counts) the prose states, each with its sentence as evidence; the
    stock figures (共设立…60个) count as the total only when the text states no evaluated one. A
    segment about an inspection of a year not in `years` (the notice's: 2012年度年检中被限期整改的
    11个…, in a notice on 2013) counts nothing of this one."""
    graded: list[_Graded] = []
    totals: list[tuple[int, str]] = []
    stock: list[tuple[int, str]] = []
    sampled: list[tuple[int, str]] = []
    tallies = _tallies(doc)  # (read after the prose's counts: the first statement wins)
    skipped = other_kind_lines(doc) | tallies.keys()  # (sections about another kind of institution)
    stating = prose_lines(doc)
    for sentence in doc.sentences:
        text = sentence.text
        if sentence.line in skipped or sentence.line not in stating or not _ANY_COUNT_HINT_RE.search(text):
            continue  # no count in digits or in Chinese numerals
        if text.startswith(SUM_ROW_WORDS):
            text = text.replace("\t", "")  # (a sum row's cells: 合计 | 共28家：优秀6家，…)
        bare = digit_counts(_ASIDE_RE.sub("", text) if "称" in text else text)  # 三个 -> 3个
        if not _COUNT_HINT_RE.search(bare):
            continue
        for segment in _this_years(segments(bare), years):
            out_of_scope = _OUT_OF_SCOPE_RE.search(segment) is not None  # (once: a segment's reads
            for read in _respective_counts(segment) or _segment_counts(segment):  # may be thousands)
                if read.grade is None and _ACTUAL_RE.search(read.clause):
                    totals.insert(0, (read.n, text))  # (应参加118个,实际参加116个: the actual one)
                elif read.grade is None:
                    (totals if _EVALUATED_RE.search(read.clause) else stock).append((read.n, text))
                elif not out_of_scope:
                    word = _grade_word(read)
                    graded.append(
                        _Graded(read.grade, read.n, text, read.union, read.additional, read.split, word)
                    )
            sampled += [(n, text) for n in _evaluated_sets(segment)]
    tallied = [read for reads in tallies.values() for read in reads]
    return _without_wider_sets(
        _without_unions(_alike_summed(graded)), doc
    ) + tallied, totals or sampled or stock


# the year of an inspection named as such (2012年度年检中, 2019年质量督导时)
_INSPECTION_YEAR_RE = re.compile(
    r"((?:19|20)\d{2})\s*年度?(?:[^,，。;；\d]{0,3}?)(?:年检|年度检查|检查评估|质量评估|质量督导|评估|督导)"
)


# A tally: grade words each with its count and nothing else, on one line (优秀 3  合格 2  不合格 0;
# 优秀:3家,合格:2家) or as a header of grade words over a row of their counts (优秀 | 合格 / 3 | 2)
_TALLY_PAIR_RE = re.compile(
    r"(?P<label>" + GRADE_LABEL_RE.pattern + r")[^\S\n]*[:：]?[^\S\n]*(?P<n>\d{1,5})[^\S\n]*[个家所站]?"
)
_TALLY_GAP_RE = re.compile(r"[\s,，;；、]*")
# (a line opening with a grade word and a count, or a grade word and a tab: cheap, one scan)
_TALLY_START_RE = re.compile(
    r"^[^\S\n]*" + GRADE_LABEL_RE.pattern + r"(?:[^\S\n]*[:：]?[^\S\n]*\d|\t)", re.MULTILINE
)
_TALLY_COUNT_RE = re.compile(r"\d{1,5}\s*[个家所站]?")


def _tallies(doc: Document) -> dict[int, list[tuple[str, int, str]]]:
    """Line number -> (grade, count, line) of each grade the tally on that line states."""
    starts = doc.lines_matching(_TALLY_START_RE)
    if not starts:
        return {}
    other = other_kind_lines(doc)
    out: dict[int, list[tuple[str, int, str]]] = {}
    lines = doc.nonblank()
    for index, (number, line) in enumerate(lines):
        if number in starts and number not in other:
            below = lines[index + 1][1] if index + 1 < len(lines) else ""
            if pairs := _tally_pairs(line) or _tally_rows(line, below):
                out[number] = [(GRADE_LABELS[label], n, line) for label, n in pairs]
    return out


def _tally_pairs(line: str) -> list[tuple[str, int]]:
    """The (grade word, count) pairs of a one-line tally, [] when anything else is on the line."""
    pairs, end = [], 0
    for m in _TALLY_PAIR_RE.finditer(line):
        if not _TALLY_GAP_RE.fullmatch(line, end, m.start()):
            return []
        pairs.append((m.group("label"), int(m.group("n"))))
        end = m.end()
    return pairs if len(pairs) >= 2 and _TALLY_GAP_RE.fullmatch(line, end) else []


def _tally_rows(header: str, row: str) -> list[tuple[str, int]]:
    """The (grade word, count) pairs of a header of grade words over a row of their counts."""
    labels, counts = header.strip().split("\t"), row.strip().split("\t")
    if len(labels) < 2 or len(labels) != len(counts):
        return []
    if not all(GRADE_LABEL_RE.fullmatch(c.strip()) for c in labels):
        return []
    if not all(_TALLY_COUNT_RE.fullmatch(c.strip()) for c in counts):
        return []
    return [
        (label.strip(), int(re.match(r"\d+", c.strip()).group()))
        for label, c in zip(labels, counts, strict=True)
    ]


def _this_years(segments: list[str], years: frozenset[int]) -> list[str]:
    """The segments that name no inspection of a year other than `years` (all, when none is known)."""
    if not years:
        return segments
    return [
        s for s in segments if "年" not in s or all(int(y) in years for y in _INSPECTION_YEAR_RE.findall(s))
    ]


def _without_wider_sets(graded: list[tuple[str, int, str]], doc: Document) -> list[tuple[str, int, str]]:
    """Drop a grade's count that a later sentence shows to hold another grade (41家通过年检 … 在通过
    年检的41家单位中，X等5家…被评为优秀): it counts both, so it is no grade's count."""
    wider = set()
    for sentence in doc.sentences_matching(_AMONG_RE):
        text = digit_counts(sentence.text)
        labels = grade_labels(text)
        starts = [m.start() for m in labels]
        after: list[frozenset[str]] = [frozenset()] * (len(labels) + 1)  # the grades named from i on
        for i in range(len(labels) - 1, -1, -1):
            after[i] = after[i + 1] | {GRADE_LABELS[labels[i].group()]}
        for m in _AMONG_RE.finditer(text):
            grade = GRADE_LABELS[m.group("label")]
            if after[bisect.bisect_left(starts, m.end())] - {grade}:
                wider.add((grade, int(m.group("n"))))
    return [c for c in graded if (c[0], c[1]) not in wider] if wider else graded


def _evaluated_sets(segment: str) -> list[int]:
    """The institutions an evaluation was carried out on, said of its object rather than as a
    total: 随机抽取24家评价机构开展了质量督导, 对…的16个考核站点进行了质量督导评估, 24个鉴定机构
    参加本次复核, 本次评估对象为…,共20家. Read when the text states no total (before a stock
    figure): in a 年检 notice a sample is a part of the total, but then the total is stated."""
    if not _EVALUATION_HINT_RE.search(segment):
        return []
    found = []
    for clause in clauses(segment):
        n = _evaluated_set(clause, segment)
        # (43家鉴定所和10家考试站: two kinds, no one total)
        # (an aside in brackets on one left out, …已主动申请终止备案，未纳入本次督导, grades none of them)
        graded = grade_labels(_ASIDE_BRACKET_RE.sub("", clause))
        if n is not None and not graded and not _CONJOINED_RE.search(clause):
            found.append(n)
    return found


_ASIDE_BRACKET_RE = re.compile(r"[(（][^()（）]*(?:[)）]|$)")


def _evaluated_set(clause: str, segment: str) -> int | None:
    """The count of one clause's evaluated set, before or after the evaluation (5个方面进行评估
    counts no institutions: 个 needs an institution noun beside it)."""
    sets = (m for m in _EVALUATED_SET_RE.finditer(clause) if not _NOT_EVALUATED_RE.search(m.group()))
    m = next(sets, None)  # (not 24家不纳入本次评估: a set left out)
    if m is None:
        whole = _OBJECT_RE.search(segment) and (
            _WHOLE_CLAUSE_COUNT_RE.fullmatch(clause.strip()) or _OBJECT_COUNT_RE.search(clause)
        )
        return int(whole.group("n")) if whole else None
    groups = ("n", "unit", "kind") if m.group("n") is not None else ("n_after", "unit_after", "kind_before")
    n, unit, kind = m.group(*groups)
    return int(n) if unit != "个" or _INSTITUTION_CONTEXT_RE.search(kind) else None


def segments(text: str) -> list[str]:
    """A sentence's segments, split at ；."""
    return _SEGMENT_RE.findall(text)


class _Read(NamedTuple):
    clause: str
    grade: str | None  # None: a total
    n: int
    union: bool = False  # counted under a label that covers several outcomes (不合格)
    additional: bool = False  # 另有3个…: counted beside what came before, not out of it
    split: bool = False  # a 不合格 count the text says is split (分别作出撤销、暂停和限期整改)


# a count introduced as one more group (另有3个…), and an aside that breaks down a count (其中2个…)
_ADDITIONAL_RE = re.compile(r"^\s*(?:另有|另|此外|还有)")
_BREAKDOWN_RE = re.compile(r"^\s*(?:其中|含|包括)")
_ASIDE_MARK = "\ue000"  # where an aside stood in its clause (a private-use character)
_SPLIT_MARK_RE = re.compile(r"其中|分别")


def _union_of(grade: str | None, clause: str) -> bool:
    return grade is not None and _only_union(clause)


_EACH_RE = re.compile(r"各\s*(\d{1,4})\s*([家个所站])")
_EACH_BOUNDARY = frozenset(",，;；:：()（）")


def _each_spelled_out(text: str) -> str:
    """'限期整改、暂停鉴定业务、撤销鉴定资格各1家' -> '限期整改1家、暂停鉴定业务1家、撤销鉴定资格1家': a
    count said once for several outcomes (各) is each one's (the names run back to the clause start)."""
    out, pos = [], 0
    for m in _EACH_RE.finditer(text):
        start = m.start()
        while start > pos and text[start - 1] not in _EACH_BOUNDARY:
            start -= 1
        parts = text[start : m.start()].split("、")
        if len(parts) < 2 or not all(grade_labels(p) for p in parts):
            continue
        count = m.group(1) + m.group(2)
        out += [text[pos:start], "、".join(p + count for p in parts)]
        pos = m.end()
    return "".join(out) + text[pos:] if out else text


def _segment_counts(segment: str) -> list[_Read]:
    """The counts of a segment's clauses. A count whose clause names no grade, or only a 不合格,
    takes the outcome of the count-less clauses after it: 另有2个鉴定站因…不具备鉴定条件,予以撤销;
    5个…年检不合格,予以限期整改. Asides in brackets that state a count are read with their clause."""
    if "各" in segment:
        segment = _each_spelled_out(segment)
    asides = [m.group(1) for m in _ASIDE_COUNT_RE.finditer(segment)]
    parts = _split_joined(clauses(_ASIDE_COUNT_RE.sub(_ASIDE_MARK, segment) if asides else segment))
    out: list[_Read] = []
    for index, marked in enumerate(parts):
        clause = marked.replace(_ASIDE_MARK, "")
        read = _clause_count(clause)
        carried = _carried_grade(parts[index + 1 :]) if _may_carry(clause, read) else None
        additional = bool(_ADDITIONAL_RE.match(clause))
        if carried is not None:
            found = _Read(clause, carried, int(COUNT_RE.search(clause).group("n")), False, additional)  # type: ignore[union-attr]
        elif read is not None:
            union = _union_of(read[0], clause)
            split = union and _said_split(parts[index + 1 :])
            found = _Read(clause, read[0], read[1], union, additional, split)
        else:
            found = _sum_of_kinds(parts, index) or _broken_down(parts, index)
        if found is not None and _holds_the_excellent(found, parts[index + 1 : index + 2]):
            found = None  # 38家通过年检，其中9家被评为优秀: the passed and the excellent, no pass count
        out += _with_aside(found, asides.pop(0) if _ASIDE_MARK in marked and asides else None)
    return out


def _holds_the_excellent(read: _Read, after: list[str]) -> bool:
    """Whether a pass count is a subtotal that the next clause breaks down into the excellent
    (通过年检的108家，其中…等16家被评为优秀)."""
    if read.grade != "pass" or not after or not after[0].lstrip().startswith("其中"):
        return False
    count = COUNT_RE.search(after[0])  # (its count, also of names: 其中A、B等16家被评为优秀)
    return count is not None and _clause_grades(after[0]) == {"excellent"} and int(count.group("n")) < read.n


def _respective_counts(segment: str) -> list[_Read]:
    """'评为优秀、合格、基本合格、不合格的分别为4家、10家、2家、2家': grades, then as many counts after
    分别, paired in order."""
    at = segment.find("分别")
    if at < 0:
        return []
    start = max(segment.rfind(mark, 0, at) for mark in ",，;；:：") + 1  # the clause of 分别
    labels = [m.group() for m in grade_labels(segment[start:at])]
    counts = [int(m.group("n")) for m in COUNT_RE.finditer(segment, at)]
    if len(labels) < 2 or len(labels) != len(counts) or len({GRADE_LABELS[w] for w in labels}) != len(labels):
        return []
    paired = [_Read(segment, GRADE_LABELS[w], n) for w, n in zip(labels, counts, strict=True)]
    return _segment_counts(segment[:start]) + paired if start else paired


_KIND_COUNT_RE = re.compile(r"\d{1,5}\s*[家个所站]")
_SUM_RE = re.compile(r"^\s*(?:共|共计|合计|总计)\s*(?P<n>\d{1,5})\s*[家个所站]\s*$")


def _broken_down(parts: list[str], index: int) -> _Read | None:
    """A count of institutions that the grade counts after its 其中 add up to (本次实地复核的鉴定所
    共29个,其中:优秀6个,合格18个,限期整改3个,撤销鉴定资格2个): the total, whatever its verb."""
    clause = parts[index].replace(_ASIDE_MARK, "")
    counts = COUNT_RE.findall(clause)
    if len(counts) != 1 or grade_labels(clause) or index + 1 >= len(parts):
        return None
    after = parts[index + 1 :]
    if not after[0].lstrip().startswith("其中"):
        return None
    graded = [_clause_count(p.replace(_ASIDE_MARK, "")) for p in after]
    breakdown = [r[1] for r in graded if r is not None and r[0] is not None]
    n = int(COUNT_RE.search(clause).group("n"))  # type: ignore[union-attr]
    return _Read(clause, None, n) if len(breakdown) >= 2 and sum(breakdown) == n else None


def _sum_of_kinds(parts: list[str], index: int) -> _Read | None:
    """A bare sum after a clause that counts kinds of institutions and no grade (本次参加年检的为11个
    市鉴定中心和18个省直鉴定所,共29个): the total, read with that clause (what it counts, 参加)."""
    m = _SUM_RE.match(parts[index])
    if m is None or index == 0:
        return None
    before = parts[index - 1].replace(_ASIDE_MARK, "")
    # (11个市鉴定中心: 个市 counts cities to COUNT_RE, here the kinds' counts are any N个)
    if len(_KIND_COUNT_RE.findall(before)) < 2 or grade_labels(before) or not _TOTAL_NOUN_RE.search(before):
        return None
    return _Read(before + "," + parts[index], None, int(m.group("n")))


def _with_aside(outer: _Read | None, aside: str | None) -> list[_Read]:
    """A count and the aside in brackets after it. An aside that breaks the count down by another
    grade (合格47家(其中8家被评为优秀), 不合格4个(其中撤销2个、限期整改2个)) is stated and the outer
    count is not (it covers two grades); one that breaks it down within its grade, or by no grade
    (撤销3个(其中2个为主动申请)), is a part of it, not a count. Any other aside, and any aside of a
    total, is read as a segment of its own."""
    if aside is None:
        return [outer] if outer else []
    inner = _segment_counts(aside)
    # (不合格3家(限期整改、暂停、撤销各1家): a 不合格 count broken down by the outcomes that add up to it)
    adds_up = bool(outer and outer.union and len(inner) > 1 and sum(r.n for r in inner if r.grade) == outer.n)
    if outer is None or outer.grade is None or not (_BREAKDOWN_RE.match(aside) or adds_up):
        return [r for r in (outer, *inner) if r]  # (a total's breakdown by grade is a grade's count)
    if _by_rating(inner) and not RATING_LABEL_RE.search(outer.clause):
        return [outer]  # a grade broken down by rating (优秀等次的11家(其中五星级4家、四星级7家))
    if any(r.grade not in (None, outer.grade) for r in inner):
        return [r for r in inner if r.grade is not None]
    return [outer]


def _by_rating(reads: list[_Read]) -> bool:
    return bool(reads) and all(RATING_LABEL_RE.search(r.clause) for r in reads)


def _may_carry(clause: str, read: tuple[str | None, int] | None) -> bool:
    """A clause counting institutions with no grade of its own (not a total) or only a 不合格; not
    one that opens a set (不合格的4个机构中,A…,B…): what follows grades its members."""
    if clause.rstrip().endswith("中"):
        return False
    if read is not None and read[0] is not None:
        return _only_union(clause)
    return (
        read is None
        and len(COUNT_RE.findall(clause)) == 1
        and not grade_labels(clause)
        and bool(
            _TOTAL_NOUN_RE.search(clause)
            or _INSTITUTION_MEASURE_RE.search(clause)
            or _OPENING_COUNT_RE.match(clause)  # 其中3个限期整改; 2个存在违规发证…
        )
        and not _TOTAL_VERB_RE.search(clause)
        and not _NOT_TOTAL_RE.search(clause)
        and not _SUBTOTAL_RE.search(clause)
        and not _OTHER_KINDS_RE.search(clause)
        and not _ENDS_WITH_DENG_RE.search(clause[: COUNT_RE.search(clause).start()])  # type: ignore[union-attr]
    )


def _said_split(rest: list[str]) -> bool:
    """Whether the clauses after a 不合格 count say it splits: 分别 and two outcomes or more."""
    after = "，".join(rest)
    return "分别" in after and len(_clause_grades(after.split("分别", 1)[1])) >= 2


def _carried_grade(rest: list[str]) -> str | None:
    """The one final outcome the next count-less clauses name, if they name one before a count."""
    for clause in rest:
        if COUNT_RE.search(clause) or "分别" in clause or clause.lstrip().startswith("其中"):
            return None  # (分别作出撤销、暂停和限期整改的处理: several outcomes; 其中X…注销: one of them)
        if _only_union(clause):
            continue  # (…连续两年年检不达标: a reason, no final outcome)
        grades = _clause_grades(clause)
        if grades:
            return next(iter(grades)) if len(grades) == 1 else None
    return None


def without_split_headings(
    heading_counts: list[tuple[str, int, str]], graded: list[tuple[str, int, str]]
) -> list[tuple[str, int, str]]:
    """Heading counts (不合格(5家)) without those under a 不合格 label that the prose splits into
    final outcomes (3家责令限期整改, 2家终止备案): like a prose 不合格 count, no grade's count."""
    failed: dict[str, int] = {}
    for grade, n, _ in graded:
        if grade in FAILED_OUTCOMES:
            failed.setdefault(grade, n)
    split = sum(failed.values()) if len(failed) >= 2 else None
    return [c for c in heading_counts if not (_only_union(c[2]) and c[1] == split)]


def without_listed_splits(
    stated: list[tuple[str, int, str]], institutions: list[InstitutionItem]
) -> list[tuple[str, int, str]]:
    """A 不合格 count that the list shows to end in several final outcomes (不合格4家, listed as two
    限期整改, one 暂停, one 撤销) is no grade's count; when the list gives all of them one outcome (对
    不合格的四个鉴定站，暂停…), it is that outcome's count."""
    failed = Counter(i.grade for i in institutions if i.grade in FAILED_OUTCOMES)
    n_failed = sum(failed.values())
    if not n_failed:
        return stated
    out = []
    for grade, n, evidence in stated:
        if grade == _UNION_GRADE and n == n_failed and failed[grade] != n and _is_union_count(n, evidence):
            if len(failed) > 1:
                continue
            grade = next(iter(failed))
        out.append((grade, n, evidence))
    return out


_UNION_GRADE = GRADE_LABELS[UNION_LABELS[0]]


def _is_union_count(n: int, evidence: str) -> bool:
    """Whether `evidence` counts `n` under a label that covers several outcomes (不合格)."""
    if _only_union(evidence):
        return True  # a heading: 不合格单位(4个)
    bare = digit_counts(evidence)
    return any(read.union and read.n == n for segment in segments(bare) for read in _segment_counts(segment))


def is_stock_figure(evidence: str) -> bool:
    """Whether a total's sentence counts what exists (共设立…60个), not what was evaluated."""
    return not any(_EVALUATED_RE.search(clause) for clause in clauses(digit_counts(evidence)))


def _only_union(clause: str) -> bool:
    """A clause graded only by a label that may cover several outcomes (不合格的8家, not
    1个年检不合格被责令限期整改, whose final outcome is said)."""
    labels = [m.group() for m in grade_labels(clause)]
    return bool(labels) and all(label in UNION_LABELS for label in labels)


class _Graded(NamedTuple):
    grade: str
    n: int
    sentence: str
    union: bool
    additional: bool
    split: bool = False
    word: str | None = None  # its plain grade word, when counts of two such words may be summed


def _grade_word(read: _Read) -> str | None:
    """The plain grade word a count is of: none for a rating (ratings.apply_ratings sums those), a
    sanction (撤销11家…取消备案11家 may say one thing twice), a union or an additional group."""
    if read.grade in SANCTION_GRADES or read.union or read.additional:
        return None
    labels = grade_labels(read.clause)
    word = labels[0].group() if labels else None
    return word if word not in RATING_LABELS else None


def _alike_summed(graded: list[_Graded]) -> list[_Graded]:
    """A sentence's counts of two plain grade words of one grade summed (…3个鉴定站基本合格；…2个
    鉴定站暂缓通过: 5 conditional; 优秀3家、良好5家: 8 excellent); the same word twice is a repeat."""
    out: list[_Graded] = []
    first: dict[tuple[str, str], tuple[int, str]] = {}  # (sentence, grade) -> (index in out, word)
    for count in graded:
        key = (count.sentence, count.grade)
        at = first.get(key) if count.word else None
        if at is not None and at[1] != count.word:
            out[at[0]] = out[at[0]]._replace(n=out[at[0]].n + count.n)
            continue
        if count.word and key not in first:
            first[key] = (len(out), count.word)
        out.append(count)
    return out


def _without_unions(graded: list[_Graded]) -> list[tuple[str, int, str]]:
    """Drop a 不合格 count that the counts after it split into final outcomes (不合格17个 … 限期整改9个，
    暂停3个，撤销5个): it covers several grades, so it is no grade's count (domain.md)."""
    out = []
    split = {g.n for g in graded if g.split}  # (不合格3个 … 对不合格的3个…分别作出…: the same 3)
    for index, g in enumerate(graded):
        if g.union and (g.n in split or _split_after(graded[index + 1 :], g.n, g.sentence)):
            continue
        out.append((g.grade, g.n, g.sentence))
    return out


def _split_after(later: list[_Graded], n: int, sentence: str) -> bool:
    """Whether the first counts in `later` of the outcomes a 不合格 can end in add up to `n`, said
    after it (in a later sentence, or after 其中/分别 in its own): 达标的6家、不合格的1家、撤销的1家
    lists three outcomes side by side and splits nothing, nor does a count 另有 adds beside it; a
    later sentence may restate it (对督导不合格的14家…) or state another grade first."""
    union_at = m.start() if (m := _UNION_RE.search(sentence)) else 0
    marker = _SPLIT_MARK_RE.search(sentence, union_at)
    total = 0
    for g in later:
        if (g.sentence == sentence and marker is None) or g.additional:
            break  # side by side, or counted beside it
        if g.union or g.grade not in FAILED_OUTCOMES:
            if g.sentence != sentence and (not g.union or g.n == n):
                continue  # a later sentence restating it (对不合格的14家…) or another grade's count
            break
        total += g.n
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
    if len(counts) != 1:
        return None
    named = bool(_ENDS_WITH_DENG_RE.search(clause[: counts[0].start()]))  # X等N个: names before it
    if _OTHER_KINDS_RE.search(clause[counts[0].start() :] if named else clause):
        return None  # (a name such as 某技工学校鉴定站 does not make it another kind's count)
    n = int(counts[0].group("n"))
    clause = _GRADE_ASIDE_RE.sub("", clause) if "(" in clause or "（" in clause else clause
    grades = _clause_grades(clause)
    if len(grades) == 1:
        if _SUBTOTAL_RE.search(_REST_RE.sub("", clause)):
            return None  # 42个…基本合格等次及以上 is a subtotal (其余20家合格 is a count)
        if named and not _only_union(clause):
            return None  # X等N个 is read by prose.named_of_n, but for a 不合格 (it may split)
        return grades.pop(), n
    if not grades and _is_total(clause):
        return None, n
    return None


def _clause_grades(clause: str) -> set[str]:
    grades = {GRADE_LABELS[m.group()] for m in grade_labels(clause)}
    sanctions = grades & set(SANCTION_GRADES)
    if len(grades) > 1 and len(sanctions) == 1:
        return sanctions  # '4个不合格…机构被撤销': the sanction, not its reason
    return grades


def _is_total(clause: str) -> bool:
    if _SUM_TOTAL_RE.match(clause):
        return True  # a sum row's words: 合计 | 共28家：优秀6家，…
    took_part = bool(_PART_OPENING_RE.match(clause) and _TOOK_PART_RE.search(clause))
    # (an aside in brackets on those left out, (…未纳入), says nothing of the count before it)
    core = _ASIDE_BRACKET_RE.sub("", clause) if "(" in clause or "（" in clause else clause
    return bool(
        (_TOTAL_NOUN_RE.search(clause) or took_part)
        and _TOTAL_VERB_RE.search(clause)
        and not _NOT_TOTAL_RE.search(core)
        and ("其中" not in clause or took_part)
        and not _SUBTOTAL_RE.search(_REST_RE.sub("", clause) if took_part else clause)
        and not _conjoined_count(clause)
    )


def _conjoined_count(clause: str) -> bool:
    """'43家鉴定所和10家考试站' inspects two kinds: no single total."""
    return len(COUNT_RE.findall(clause)) > 1 or bool(_CONJOINED_RE.search(clause))
