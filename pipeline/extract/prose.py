"""Institutions graded in prose: 'A、B、C被要求限期整改', 'X等10家单位被评为优秀', '对A予以撤销'.

Each sentence is read clause by clause (split at ；); the words that decide how a clause grades
its names (grading verbs, ruling words, conditions, words about other institutions) come from the
vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from ..numerals import digit_counts
from ..regions import REGIONS
from ..vocabulary import (
    ABOUT_OTHERS_RE,
    ACTIVITY_WORDS,
    APPRAISAL_OBJECTS,
    APPRAISAL_SANCTION_RE,
    CONDITION_CLAUSE_RE,
    CONDITION_WORDS,
    COUNTED_KIND,
    GRADE_LABEL_RE,
    GRADE_LABELS,
    GRADING_VERBS,
    HOST_WORDS_RE,
    ISSUER_NOUNS,
    NAME_LEAD_WORDS,
    PROMOTING_VERBS,
    RULING_WORDS,
    SANCTION_GRADES,
    SPLIT_SANCTION_RE,
    SUBJECT_PREDICATE_WORDS,
    UNION_LABELS,
    VERDICT_LABELS,
    words_re,
)
from .document import Document
from .items import (
    AND_RE,
    BRACKETED_RE,
    FATED_HOST,
    HOST_CLAUSE,
    LEAD_HOST_BEFORE_RE,
    ORDINAL_TAIL_RE,
    SHORT_ORDINAL_RE,
    and_split,
    before_condition,
    enumeration_end,
    fills_name_position,
    final_label,
    grade_labels,
    item_text,
    looks_like_name,
    may_hold_former,
    opens_bracket,
    ordinal,
    outcome_labels,
    reads_as_clause,
    split_outside_brackets,
    split_parenthetical,
    strip_numbering,
    was_former,
)
from .lines import other_kind_lines, own_grade_item, parse_heading
from .model import Found, InstitutionItem

_NAME_STOP_CHARS = frozenset("的对和及与将在")  # _INLINE_NAME_RE's stops that occur inside place names
# the suffixes an inline name ends with (a station's number too: …鉴定第18站, …等级认定第27站)
_INLINE_SUFFIXES = (
    *("鉴定所", "鉴定站", "鉴定总站", "鉴定分站", "鉴定指导中心", "鉴定中心"),
    *("评价机构", "考试站", "考核站", "认定站", "认定中心"),
)
_NUMBERED_STATION = r"(?:鉴定|认定)第\d{1,4}[站所]"
_INLINE_NAME_RE = re.compile(
    r"(?:^|(?<=[、,，;；:：的对和及与将在如即为])|(?<=其中)|(?<=检中)|(?<=估中)|(?<=查中))"
    r"(?P<name>(?:[^、,，;；:：。的对和及与将在由第\s\d]|第\d{0,4}){2,40}?"  # (a digit only in 第18站)
    rf"(?:{'|'.join(_INLINE_SUFFIXES)}|{_NUMBERED_STATION})(?:\((?:站|所)\))?)"
)
_NAMED_OF_N_RE = re.compile(
    r"(?P<name>[^、,，;；:：。的对和及与将在\s]{2,40}?)等\s*(?P<n>\d{1,4})\s*(?:个|所|家|站)"
)
# 'A、B、C被取消职业技能鉴定资格': the sanction itself says these are appraisal institutions, so the
# names need no 鉴定所/站 suffix (they are often the host organisations' names).
_APPRAISAL_SANCTION_RE = re.compile(
    r"(?P<names>[^,，;；:：。]{2,300}?)(?:被|予以|已被)?(?P<label>" + APPRAISAL_SANCTION_RE.pattern + ")"
)
_ENUM_SPLIT_RE = re.compile(r"[、,，]")
_COLON_RE = re.compile(r"[:：]")
_COUNTED_ENUM_RE = re.compile(
    r"(?:^|(?<=[,，;；:：]))(?P<names>[^,，;；:：。]{8,400}?)(?P<n>\d{1,2})\s*[家个所]" + COUNTED_KIND
)
# a ruling verb (or a clause start; 同意注销 grants a body's own request), a sanction, then the names it
# rules on, up to the clause's end
_SANCTION_FIRST_RE = re.compile(
    r"(?:决定|予以|依法|依规|同意|准予|批准|^|[,，;；:：)）])\s*(?:对其)?(?P<label>"
    + words_re(w for w, grade in GRADE_LABELS.items() if grade in SANCTION_GRADES and len(w) == 2).pattern
    + r")(?P<names>[^,，。;；]{4,160})"
)
# a body that runs the inspection, not one inspected: X具体实施, X组织实施, X负责…
# (also a speaker: X相关负责人介绍, X工作人员表示)
_AGENT_AFTER_RE = re.compile(
    r"(?:具体|负责|牵头)?(?:组织实施|具体实施|实施|负责|牵头|承办)|(?:相关|有关)?负责人|工作人员"
)
# a parenthetical after a name (its host, a note), one level of brackets inside it allowed
_BRACKET_AFTER_RE = re.compile(r"[(（](?:[^()（）]|[(（][^()（）]*+[)）]){1,60}+[)）]")
_LEAD_LIST_RE = re.compile(r"的是|其中包括|包括|分别是")
_CLAUSE_CUT_RE = re.compile(r"[,，。;；]")
_ENUM_PIECES_RE = re.compile(r"[、;；,，]")
_SEMICOLON_RE = re.compile(r"[;；]")
_HOST_LABEL_END_RE = re.compile(HOST_WORDS_RE + r"单位\s*$")  # 承建单位: a host's label before its colon
_RULING_RE = words_re(RULING_WORDS)
_PROMOTING_RE = words_re(PROMOTING_VERBS)
_SEPARATORS_RE = re.compile(r"[、,，和及与\s]*")  # between two names of one enumeration
_GRADING_VERB_RE = words_re(GRADING_VERBS)
_NOT_A_SANCTIONED_NAME_RE = re.compile(r"\d|的|将|应|须|对|如|若|其|被|凡")
_CONDITIONAL_RE = words_re(CONDITION_WORDS)
_CLAUSE_END_RE = re.compile(r"[;；。]")
# an enumeration of names starts after a clause boundary, or after 对/将/经研究 …
_ENUM_BOUNDARY_RE = re.compile(r"[;；。,，:：]")
_CLAUSE_END_OR_COLON_RE = re.compile(r"[;；。:：]")
_NAME_LEAD_RE = re.compile(r"^(?:(?:" + words_re(NAME_LEAD_WORDS).pattern + r")[,，:：]?)+")
# only the kind of institution (and the inspection) stands between 'X等N家' and its grade:
# '等3家鉴定站暂缓通过年检', '等2家鉴定站年检不合格'
_KIND_ONLY_RE = re.compile(
    r"^(?:(?:国家)?(?:职业技能)?(?:鉴定(?:所|站|机构|中心)|机构|单位|评价机构|(?:社会培训)?评价组织)(?:\((?:站|所)\))?)?"
    r"(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?)?"  # (…鉴定所(站)2005年度年检合格)
    r"(?:" + "|".join(ACTIVITY_WORDS) + ")?$"  # (年检, 督导, 检查评估 …)
)
# an inline name ends with one of these (the suffixes _INLINE_NAME_RE knows): a cheap guard
_INLINE_SUFFIX_RE = re.compile("|".join(_INLINE_SUFFIXES))  # (literal words: fast)
_NUMBERED_STATION_RE = re.compile(_NUMBERED_STATION)


def _sanctioned_names(text: str, line: int) -> list[InstitutionItem]:
    """Names enumerated right before an appraisal-specific sanction (…被取消职业技能鉴定资格)."""
    items: list[InstitutionItem] = []
    if "鉴定资" not in text and "鉴定许可" not in text:
        return items  # cheap guard: the pattern below backtracks over long sentences
    for m in _APPRAISAL_SANCTION_RE.finditer(text):
        names = _ENUM_SPLIT_RE.split(_without_reason(m.group("names")))
        parts = [q for p in names for q in and_split(p.strip())]  # (…、A和B被撤销鉴定资格)
        if len(parts) < 2 and not looks_like_name(parts[0]):
            continue  # one unnamed subject ('3个鉴定所(站)被取消…'): a count, not a name
        if any(_no_sanctioned_name(p) for p in parts):
            continue
        for part in parts:
            name, host, note = split_parenthetical(part)
            items.append(
                InstitutionItem(name, "revoked", m.group("label"), line, host, note, ordinal(name), "inline")
            )
    return items


def _no_sanctioned_name(part: str) -> bool:
    """A piece before a sanction that names no one: a clause, a grade word, outcomes listed
    (分别给予限期整改、停止鉴定业务或撤销…)."""
    return (
        not 2 <= len(part) <= 40
        or _NOT_A_SANCTIONED_NAME_RE.search(part) is not None
        or GRADE_LABEL_RE.search(part) is not None
        or part[-1] in "或和及与"
    )


def _without_reason(names: str) -> str:
    """'A因连续两年鉴定规模过小、考务管理混乱' -> 'A': the reason given before a sanction is no name."""
    head, sep, _ = names.partition("因")
    return (
        head
        if sep and looks_like_name(split_parenthetical(_ENUM_SPLIT_RE.split(head)[-1].strip())[0])
        else names
    )


def _without_lead(text: str) -> str:
    """`text` without the words that open an enumeration (经研究决定对A…, 拟评定A…, 其中A…) — kept
    when it begins with a place (如东县…, 即墨区…)."""
    m = _NAME_LEAD_RE.match(text)
    if m is None or REGIONS.starts_with_place(text):
        return text
    return text[m.end() :]


def _enumerated_before(text: str, end: int) -> list[str]:
    """The names enumerated before the one at `end` ('A、B、C等3家…' -> A, B when C starts at `end`);
    names between commas too, back to the first piece that is no name ('决定:A,B,C等20个…合格')."""
    if text[:end].endswith("、"):
        segment = _ENUM_BOUNDARY_RE.split(text[: end - 1])[-1]
        return [_without_lead(p) for p in segment.split("、") if p]
    if not text[:end].endswith((",", "，")):
        return []
    names: list[str] = []
    for piece in reversed(_ENUM_SPLIT_RE.split(_CLAUSE_END_OR_COLON_RE.split(text[: end - 1])[-1])):
        name = _without_lead(piece.strip())
        if not looks_like_name(split_parenthetical(name)[0]):
            break
        names.insert(0, name)
    return names


def _pointed_back(found: list[InstitutionItem], named: list[str]) -> list[InstitutionItem]:
    """A name that points back (这家鉴定所, 该站) is the one institution the paragraph named before
    it ('…的X鉴定所看到,…。这家鉴定所也是…被评为优秀的'); with none or several, it is no row."""
    if not found or not any(item.name.startswith(_DEMONSTRATIVES) for item in found):
        return found
    earlier = set(named)
    return [
        replace(item, name=named[0]) if item.name.startswith(_DEMONSTRATIVES) else item
        for item in found
        if not item.name.startswith(_DEMONSTRATIVES) or len(earlier) == 1
    ]


def _unquoted(text: str) -> str:
    """`text` with its quoted grade words unquoted (获评“五星级”评价机构)."""
    if "“" in text or '"' in text or "「" in text or "‘" in text:
        return _QUOTED_GRADE_RE.sub(r"\1", text)
    return text


def find_inline(doc: Document) -> Found:
    """Names graded in prose: 'A、B、C被要求限期整改', 'X等10家单位被评为优秀' (X listed, 10 stated)."""
    items: list[InstitutionItem] = []
    stated: list[tuple[str, int, str]] = []
    other = other_kind_lines(doc)  # sections about another kind of institution
    announced: str | None = None  # the grade a sentence before announced a list of (…如下。)
    named: list[str] = []  # names the paragraph's sentences so far gave no grade
    named_line = 0
    for sentence in doc.sentences:
        if sentence.line in other:
            continue
        # (A、B、C三家评价机构: the count in digits; 4.X站…予以注销: a numbered paragraph's sentence)
        text = digit_counts(_unquoted(strip_numbering(sentence.text)))
        if len(text) < 8:
            continue
        # (cheap guard: most rules need a grade word, or a sanction written with words inside it)
        graded = GRADE_LABEL_RE.search(text) is not None or SPLIT_SANCTION_RE.search(text) is not None
        if announced is not None and not graded:
            items += _announced_names(text, announced, sentence.line)
        announced = _nearest_grade(text) if graded and _ANNOUNCES_RE.search(text) else None
        found: list[InstitutionItem] = []
        if graded or "鉴定资" in text or "鉴定许可" in text:  # (else neither a grade word nor a
            found = _graded_in_sentence(text, sentence.line, stated)  # sanction: nothing to find)
        # (上述5个鉴定所 may rule on the names of the paragraph before, as many as it counts)
        if not found and named and (sentence.line == named_line or _BACK_COUNT_RE.search(text)):
            found = _referred_back(text, sentence.line, named)
        found = _pointed_back(found, named if sentence.line == named_line else [])
        items += found
        if sentence.line != named_line or found:
            named, named_line = [], sentence.line
        if not found:
            named += [_whole_name(text, m, 0) for m in _inline_names(text)] or _names_only(text)
    titled = _titled_paragraphs(doc, other | {item.line for item in items})
    return Found(items + titled, stated, [])


# Rule prose.titled_paragraph: '(一)X有限公司。督导发现该机构…。处理意见：责令限期整改，…' — a paragraph
# titled with a body's name and closed by a remark that gives its outcome, or by a ruling sentence
# ('(四)X鉴定所(依托Y)。该所…不再具备鉴定条件。经研究，撤销其鉴定资格。')
# (a bracket in the title may hold a colon: X中心(主办单位:Y公司)。)
_TITLE_NAME_RE = re.compile(r"^(?P<name>(?:[^。,，;；:：()（）]|[(（][^()（）。]{1,40}[)）]){4,60}?)。")
_TITLE_CHARS = 70  # a title's full stop stands within these (its numbering and bracket included)
_REMARK_LABEL_RE = re.compile(r"(?:处理意见|处理结果|处理决定)[:：](?P<outcome>[^。]{1,60})")
# (maybe after the rule it rests on, 依据《…办法》第二十一条规定，决定撤销其…, or after the body that
# rules, 督导组责令其…; 依规 or 依法 and the sanction: 依规终止其备案)
_RULING_SENTENCE_RE = re.compile(
    r"^(?:(?:依据|根据|按照|依照)[^。]{0,60}?(?:规定|办法|要求)》?[,，]\s*)?(?!被)[^,，。;；]{0,6}?(?:经研究|现决定|依规|依法|"
    + _RULING_RE.pattern
    + ")"
)
# a paragraph's first words that refer back to the body its title line named (督导发现，该机构…)
_REFERS_BACK_RE = re.compile(r"^[^。]{0,12}?(?:该|此)(?:机构|所|站|中心|单位|公司|学校|学院|组织)")


def _paragraph_outcome(text: str) -> tuple[str, ...]:
    """The grade words of a titled paragraph's remark (处理意见：…), else of its last sentence
    that rules (责令…, 经研究，撤销其…, 决定…): what it describes before (档案不合格) grades nothing."""
    if remark := _REMARK_LABEL_RE.search(text):
        return outcome_labels(remark.group("outcome"))
    for sentence in reversed(text.split("。")[1:]):
        ruling = _RULING_SENTENCE_RE.match(sentence.strip()) or _VERDICT_SENTENCE_RE.match(sentence.strip())
        if ruling and (labels := outcome_labels(before_condition(sentence))):
            return labels
    return ()


# a sentence that opens with the verdict (年检合格。 暂缓通过年检，待… 年检不合格，撤销其…)
_VERDICT_SENTENCE_RE = re.compile(
    r"^(?:(?:" + words_re(ACTIVITY_WORDS).pattern + r")(?:结论|结果)?为?)?(?:" + GRADE_LABEL_RE.pattern + ")"
)


def _titled_paragraphs(doc: Document, skip: frozenset[int]) -> list[InstitutionItem]:
    items: list[InstitutionItem] = []
    # (one scan each: a paragraph with no grade word nor sanction rules on nobody)
    graded = (
        doc.lines_matching(GRADE_LABEL_RE)
        | doc.lines_matching(SPLIT_SANCTION_RE)
        | doc.lines_matching(APPRAISAL_SANCTION_RE)
    )
    lines = doc.nonblank()
    for at, (number, text) in enumerate(lines):
        if number in skip or number not in graded:
            continue
        if at and (titled := _title_line_above(lines[at - 1][1], text)):
            items.append(_prose_item(titled[0], titled[1], lines[at - 1][0], "prose_titled_paragraph"))
            continue
        if "。" not in text[:_TITLE_CHARS]:
            continue
        title = _TITLE_NAME_RE.match(strip_numbering(text))
        title = title if title and "、" not in title.group("name") else None  # (one body, not a list)
        labels = _paragraph_outcome(text) if title else ()
        if title and labels and fills_name_position(split_parenthetical(title.group("name"))[0]):
            label = final_label(labels)
            items.append(_prose_item(title.group("name"), label, number, "prose_titled_paragraph"))
    return items


def _title_line_above(above: str, body: str) -> tuple[str, str] | None:
    """(name, label) of a paragraph whose title is the line above it, a name alone (01 / X有限公司 /
    督导发现，该机构…。责令其限期整改…), when the paragraph refers back to it and rules."""
    if "。" in above or not _REFERS_BACK_RE.match(body):
        return None
    name = item_text(strip_numbering(above))
    bare = split_parenthetical(name)[0]
    if not fills_name_position(bare) or reads_as_clause(bare):
        return None
    labels = _paragraph_outcome(f"{name}。{body}")
    return (name, final_label(labels)) if labels else None


# Rule prose.back_reference: 'A…未开展鉴定业务；B存在…违规行为。根据有关规定，撤销上述2个鉴定站的鉴定
# 资格' — a ruling on 上述N个 grades the names the paragraph gave before it, when it gave exactly N; a
# subject-only clause (上述两所违规情节严重，决定撤销其…) takes the ruling of the clause after it
_BACK_COUNT_RE = re.compile(r"(?:上述|以上|这)\s*(?P<n>\d{1,3})\s*[家个所站]")
_RULING_CLAUSES = 2  # the clauses after a subject-only one that may hold its ruling


# one institution referred back to: 决定撤销该所…资格, 暂停该站鉴定业务, 吊销其《…许可证》
_BACK_ONE_RE = re.compile(r"(?:该|此)(?:所|站|中心|机构|单位|公司|学校|学院|组织)|其(?!中|他|余|次|实)")


def _ruled_on_one(text: str, line: int, names: list[str]) -> list[InstitutionItem]:
    """Rule prose.back_reference on one: the one name the paragraph gave, then a sentence that rules
    on 该所 or 其 ('一、X所(Y承建)…存在…行为。决定撤销该所职业技能鉴定资格'), graded by what it
    decides now (not what follows on a condition: …复查仍不合格的，撤销其…)."""
    if len(names) != 1 or not _RULING_SENTENCE_RE.match(text) or not _BACK_ONE_RE.search(text):
        return []
    labels = outcome_labels(before_condition(text))
    if not labels or _inline_names(text):
        return []
    return [_prose_item(names[0], final_label(labels), line, "prose_back_reference")]


def _referred_back(text: str, line: int, named: list[str]) -> list[InstitutionItem]:
    m = _BACK_COUNT_RE.search(text)
    names = list(dict.fromkeys(named))
    if m is None:
        return _ruled_on_one(text, line, names)
    if len(names) != int(m.group("n")) or _inline_names(text):
        return []
    clauses = _CLAUSE_CUT_RE.split(text[m.start() :], maxsplit=_RULING_CLAUSES + 1)
    clause = _CLAUSE_CUT_RE.split(text[: m.start()])[-1] + clauses[0]
    labels = outcome_labels(clause)
    for later in clauses[1 : _RULING_CLAUSES + 1]:
        if labels or not _RULING_RE.search(later):
            break
        labels = outcome_labels(later)
    if len({GRADE_LABELS[w] for w in labels}) != 1:
        return []
    return [_prose_item(name, labels[-1], line, "prose_back_reference") for name in names]


def _graded_in_sentence(text: str, line: int, stated: list[tuple[str, int, str]]) -> list[InstitutionItem]:
    if parse_heading(text) is not None:
        return []
    enumerated = _colon_enumeration(text, line) or _lead_list(text, line) or _named_among(text, line)
    if enumerated and (";" in text or "；" in text):
        # (…分别是A和B；C因…被责令限期整改；D…予以注销: the other ；-clauses are graded on their own)
        rest = [c for c in _SEMICOLON_RE.split(text) if not any(i.name in c for i in enumerated)]
        return enumerated + [i for c in rest for i in _graded_in_clause(c, text, line, stated)]
    if enumerated:
        return enumerated
    if ";" not in text and "；" not in text:
        return _graded_in_clause(text, text, line, stated)
    # each ；-clause is graded on its own: 'A等3个…为优秀；B被评为基本合格；对C予以撤销'; names
    # without a grade go on to the next clause when they are only names ('A；B；C被评为优秀'), or
    # when it rules on them and names none ('A存在严重违规问题；经研究，予以撤销')
    items: list[InstitutionItem] = []
    pending = ""
    for clause in _SEMICOLON_RE.split(text):
        if pending and (_only_names(pending) or (_RULING_RE.search(clause) and not _inline_names(clause))):
            clause = pending + "；" + clause
        found = _graded_in_clause(clause, text, line, stated)
        items += found
        pending = clause if not found and _inline_names(clause) else ""
    return items


# Rule prose.subject_outcome (tried first on each clause): names open a clause as its subject (or
# its object, after 对), a reason may follow (因…, 存在…问题) or a count of them (A、B、C3家机构),
# and the outcome is said in that clause or a later one that names none (…，被责令限期整改;
# 对上述2家机构撤销备案).
# what ends the names that open a clause: a reason, their count (3家机构, 5个评估不合格的鉴定站),
# 等 and their kind (X、Y等机构在…), or what is said of them (SUBJECT_PREDICATE_WORDS)
_SUBJECT_END_RE = re.compile(
    r"因|由于|存在|\d{1,3}\s*[家个所](?:[^,，。;；\d]{0,10}?的)?"
    + COUNTED_KIND
    + "|等"
    + COUNTED_KIND
    + r"|(?<=[所站心构司校会院)）])\d{1,3}\s*[家个所]"  # (A、B、C3家年检合格: the count glued to the names)
    + r"|自[^,，。;；]{1,10}?以来"  # (A、B自备案以来未开展…: since when)
    + "|"
    + words_re(SUBJECT_PREDICATE_WORDS).pattern
    + "|被评为|被评定为|获评|荣获"
)
# a grade word in quotes (获评“五星级”评价机构, 被评为“优秀”等次): the word without them
_QUOTED_GRADE_RE = re.compile(r"[“\"‘'「『](" + GRADE_LABEL_RE.pattern + r")[”\"’'」』]")
_SUBJECT_COUNT_RE = re.compile(r"^\d{1,3}")
_NOT_A_SUBJECT_RE = re.compile(r"的|等\s*\d|\d\s*[家个所]")
_OUTCOME_START_RE = re.compile(GRADE_LABEL_RE.pattern + "|予以|给予|责令|作出|限期")
# 市人社局依规对A、B…, 责令A、B…: the names after 对 or 责令
_OBJECT_LEAD_RE = re.compile(r"^.{0,12}?(?:对|责令)(?=[^对]{4})")
_BACK_REFERENCE_RE = re.compile(r"上述|以上|这\d{0,3}[家个所]")
_CLAUSE_SPLIT_RE = re.compile(r"[,，]")
# what stands before the outcome of names already said: 3家机构, 对上述2家机构, 对这5家单位
_PREDICATE_LEAD_RE = re.compile(r"^\s*(?:对|将)?(?:上述|以上|这)?\s*\d{0,3}\s*[家个所]?" + COUNTED_KIND + "?")


def _segment_subjects(segment: str, line: int) -> list[InstitutionItem] | None:
    """Rule prose.subject_outcome on one ；-segment: its names graded by the outcome after them, []
    when it names nobody so, None when it does but in a way this rule does not read."""
    pending: list[str] = []
    items: list[InstitutionItem] = []
    for clause in _CLAUSE_SPLIT_RE.split(segment):
        if (pending or items) and CONDITION_CLAUSE_RE.search(clause):
            # (…，逾期未整改的，撤销其备案: what follows is on a condition)
            return None if pending else items
        if pending and _HOST_CLAUSE_RE.match(clause):
            pending[-1] += f"({clause.strip()})"  # (X站，依托单位为Y，…: split_parenthetical reads Y)
            continue
        names, rest = _subject(clause)
        if names and (host := _REASON_HOST_RE.match(rest)):
            names[-1] += f"({host.group('host')}承建)"  # (X所因承建单位Y已依法破产，…: Y hosts it)
        predicate = _TIME_LEAD_RE.sub("", _PREDICATE_LEAD_RE.sub("", rest), count=1)
        label = _grade_of_names(predicate + "。") if (names or pending) else None
        if names and label is None:
            pending += names
        elif label is not None and (names or pending):
            if not names and not (rest is clause and _opens_predicate(clause)):
                return None
            items += [_prose_item(n, label.group(), line, "prose_subject_outcome") for n in pending + names]
            pending = []
        elif items and not names:
            items = _with_later_sanction(items, clause)
    return None if pending else items


def _with_later_sanction(items: list[InstitutionItem], clause: str) -> list[InstitutionItem]:
    """The last graded names with the sanction a later clause rules on them, their final outcome
    (…，年检不合格，责令其停业整顿六个月: suspended); not a rule about others (对不合格的予以撤销)."""
    opens = clause.lstrip()[:1] in _PREDICATE_OPENERS or _opens_predicate(clause)  # (责令其…)
    if items[-1].grade in SANCTION_GRADES or ABOUT_OTHERS_RE.search(clause) or not opens:
        return items
    if _inline_names(clause) or _sanction_first(clause, 0):
        return items  # (…限期整改三个月，暂停Y鉴定所鉴定业务六个月: a sanction of another it names)
    sanction = next((m for m in grade_labels(clause) if GRADE_LABELS[m.group()] in SANCTION_GRADES), None)
    if sanction is None:
        return items
    last = [i for i in items if i.line == items[-1].line and i.grade == items[-1].grade]
    grade = GRADE_LABELS[sanction.group()]
    return [replace(i, grade=grade, grade_label=sanction.group()) if i in last else i for i in items]


# the reason after a name that names its host: 因承建单位Y已依法破产, 因依托单位Y撤并
_REASON_HOST_RE = re.compile(r"^因其?" + FATED_HOST)
# a clause after the names that says who hosts the last: 依托单位为Y, 承建单位：Y, 设在Y
_HOST_CLAUSE_RE = re.compile("^" + HOST_CLAUSE + "$")
_FORMER_LEAD_RE = re.compile(r"^原[^,，。;；的]{1,14}的")
_COUNTED_NAMES_END_RE = re.compile(r"\d{1,3}\s*[家个所]" + COUNTED_KIND)


def _subject(clause: str) -> tuple[list[str], str]:
    """(names, the rest) of a clause that opens with names ended by a reason or a count of them."""
    lead = _OBJECT_LEAD_RE.match(clause.strip())
    body = clause.strip()[lead.end() :] if lead else clause.strip()
    if lead and "的" in body and _COUNTED_NAMES_END_RE.search(tail := body[body.rfind("的") + 1 :]):
        body = tail  # 对存在…问题的A、B2家机构: what is said of them, then them and their count
    elif former := _FORMER_LEAD_RE.match(numbered := strip_numbering(body)):
        body = numbered[former.end() :]  # 原通报暂缓通过的X: what it was, then it
    # (after 对 the outcome itself may end the names: 对X、Y限期整改三个月, 对Z予以撤销)
    ends = [*_SUBJECT_END_RE.finditer(body), *(_OUTCOME_START_RE.finditer(body) if lead else ())]
    for end in sorted(ends, key=lambda m: m.start()):
        if end.start() < 4 or opens_bracket(body[: end.start()]):
            continue  # (X所(承建单位已破产)已不具备…: a word inside the name's brackets ends nothing)
        # (而A、B两家机构…, 对A、B等2家评价机构…, A，以及B; not the 和 of 和平区)
        enumerated = _without_lead(body[: end.start()].removesuffix("等"))
        pieces = [p for piece in _ENUM_PIECES_RE.split(enumerated) if piece.strip() for p in and_split(piece)]
        names = [item_text(_without_lead(p)) for p in pieces]
        if not names or not _are_subject_names(names):
            continue  # (…未开展工作的X等5个鉴定所 describes; named_of_n reads X等N)
        counted = _SUBJECT_COUNT_RE.match(body[end.start() :])
        if counted and int(counted.group()) != len(names):
            return [], clause
        verb = "责令" if lead and lead.group().endswith("责令") else ""  # (责令X限期2个月整改: it grades)
        return names, verb + body[end.start() :]
    names = [item_text(_without_lead(p)) for p in _ENUM_PIECES_RE.split(body)] if not ends else []
    if names and all(_is_subject_name(n) and looks_like_name(split_parenthetical(n)[0]) for n in names):
        return names, ""  # the whole clause names them: 'A、B、C，年检合格'
    # 'X有限公司考评员持证比例偏低，…，督导结果为…': what is found of it, its verdict in a later clause
    # (X年检合格，并被评为优秀: a verdict of its own clause, which the inline rules read whole)
    if lead is None and not GRADE_LABEL_RE.search(body) and (named := leading_name(body)):
        return [named], body[len(named) :]
    return [], clause


# where the name of an organisation that opens a clause may end: an institution's or a body's own
# ending (not ORGANISATION_SUFFIXES' short ones, 场, 部, 会, that end words of a clause too)
_LEADING_NAME_ENDS = (*_INLINE_SUFFIXES, "公司", "学校", "学院", "协会", "中心", "医院", "研究院")
_NAME_END_RE = re.compile("|".join(sorted(_LEADING_NAME_ENDS, key=len, reverse=True)))
_ENUMERATED_RE = re.compile(r"[、,，;；和及与]")
_CLOSES_FIRST_RE = re.compile(r"^[^()（）]*[)）]")
_LEADING_NAME_CHARS = 40


def leading_name(body: str) -> str | None:
    """The organisation a clause opens with, when nothing marks where its name ends ('江西X汽车零部件
    有限公司将…衔接'): the longest opening that ends as an organisation's name does, begins with a
    place and reads as no clause; not the issuing body (…指导中心, …局)."""
    if not REGIONS.starts_with_place(body) or _CLOSES_FIRST_RE.match(body):
        return None  # (…,Y承建)、Z…: the rest of a bracket a comma split, no clause of its own
    ends = [m.end() for m in _NAME_END_RE.finditer(body[:_LEADING_NAME_CHARS])]
    for end in reversed(ends):
        name = body[:end]
        if _ENUMERATED_RE.search(name) or name.endswith(("指导中心", *ISSUER_NOUNS)) or "(" in name:
            continue  # (A、B: an enumeration; X(Y承建): a host; both read by the rules above)
        if end < len(body) and _is_subject_name(name):
            # (not X等12家…: named_of_n's; not X(Y承建): the bracket is read with the name)
            return None if body[end] in "(（等" else name
    return None


def _are_subject_names(names: list[str]) -> bool:
    """Each is a name; after a full station name a bare ordinal is one too (X第十九站、第四十六站:
    extract._full_ordinal_names gives it the prefix)."""
    full = bool(ORDINAL_TAIL_RE.match(names[0]))
    return all(_is_subject_name(n) or (full and SHORT_ORDINAL_RE.match(n)) for n in names)


def _is_subject_name(piece: str) -> bool:
    name = split_parenthetical(piece)[0]
    if _KIND_ONLY_RE.match(name) or name.startswith(_DEMONSTRATIVES):
        return False  # only a kind: 评价机构, 鉴定所(站); one referred to: 该所, 这是该所
    # (the name without what split_parenthetical set aside: 设在X的Y站 is Y, hosted by X)
    return fills_name_position(name) and not reads_as_clause(name) and not _NOT_A_SUBJECT_RE.search(name)


_DEMONSTRATIVES = ("这", "该", "此")


def _opens_predicate(clause: str) -> bool:
    """A clause whose subject is left out or referred back to: 被责令限期整改, 对上述2家机构撤销备案,
    决定暂停其鉴定业务六个月, 自治区人社厅依规撤销其评价机构备案 (the ruling body, then its 其)."""
    opening = _TIME_LEAD_RE.sub("", _without_lead(clause.lstrip()), count=1)  # (自2006年4月1日起暂停…)
    return bool(
        _BACK_REFERENCE_RE.search(clause[:8])
        or any(_sanction_on_it(clause, lab) for lab in grade_labels(clause))
        or opening[:1] in _PREDICATE_OPENERS
        or opening.startswith(PROMOTING_VERBS)  # …等问题，评为C等次
        or _PREDICATE_WORD_RE.match(opening)
        or _ACTIVITY_RE.match(opening)  # …，年检合格
    )


_PREDICATE_WORD_RE = words_re(SUBJECT_PREDICATE_WORDS)
# when a ruling takes effect, before it: 自2006年4月1日起, 自本通报下发之日起, 即日起
_TIME_LEAD_RE = re.compile(
    r"^(?:自|从)?(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?"
    r"(?:本[\u4e00-\u9fff]{1,4}(?:下发|印发|发布|公布)之日|即日|今日|文到之日)?起[,，]?"
)
_ACTIVITY_RE = words_re(ACTIVITY_WORDS)
_PREDICATE_OPENERS = frozenset("被予均责暂撤取终注限获")  # 被责令…, 予以…, 暂停…, 撤销…, 获评…


def _colon_enumeration(text: str, line: int) -> list[InstitutionItem]:
    """Rule prose.colon_list: '…结论如下：A：合格；B：不合格。' (each name with its own grade, after
    the first colon) or '决定：对以下5家评价机构予以终止备案：A、B、C。' (the names after the last colon
    take the grade of the nearest clause before it that names one)."""
    if not _COLON_RE.search(text):
        return []
    colons = _colons_outside_brackets(text)  # (A(承建单位:X);B: a host's label, no list's colon)
    if not colons:
        return []
    head, tail = text[: colons[0]], text[colons[0] + 1 :]
    pieces = _pieces(tail)
    own = [own_grade_item(p) for p in pieces]
    if pieces and all(own) and not _HOST_LABEL_END_RE.search(head):  # (X站 承建单位:Y(…): Y hosts)
        return [_prose_item(name, label, line, "prose_colon_own") for name, label in own]  # type: ignore[misc]
    at = colons[-1]
    lead, pieces = text[:at], _pieces(text[at + 1 :])
    if "、" in text[at:] and not all(fills_name_position(split_parenthetical(p)[0]) for p in pieces):
        end = enumeration_end(text[at + 1 :])  # 'A、B、C,由…约谈其负责人': a remark on them all
        pieces = _pieces(text[at + 1 : at + 1 + end]) if end else pieces
    label = _nearest_grade(lead)
    if (
        label is None
        or len(pieces) < 2
        or not all(fills_name_position(split_parenthetical(p)[0]) for p in pieces)
    ):
        return []
    return [_prose_item(p, label, line, "prose_colon_list") for p in pieces]


def _colons_outside_brackets(text: str) -> list[int]:
    """The offsets of the colons in `text` that stand outside brackets."""
    masked = BRACKETED_RE.sub(lambda m: "_" * len(m.group()), text) if "(" in text or "（" in text else text
    return [m.start() for m in _COLON_RE.finditer(masked)]


# Rule prose.announced_list: '年检合格的三十六个鉴定机构，按所在地分列如下。市直八个，即A、B；运河区三个，
# 即C…；孟村回族自治县无。' — a sentence announcing a list of one grade; the next, naming no grade,
# lists them clause by clause (a place or kind and its count, then 即, 为 or a colon, then the names)
_ANNOUNCES_RE = re.compile(r"如下[。:：]?$")
_LISTED_AFTER_RE = re.compile(r"即|[:：]|分别为|为")


def _announced_names(text: str, label: str, line: int) -> list[InstitutionItem]:
    items: list[InstitutionItem] = []
    for clause in _SEMICOLON_RE.split(text.removesuffix("。")):
        m = _LISTED_AFTER_RE.search(clause)
        if m is not None:
            names = _names_in(clause[m.end() :])
            items += [_prose_item(name, label, line, "prose_announced_list") for name in names]
    return items


def _pieces(enumeration: str) -> list[str]:
    # (A，B，以及C: the last piece without its 以及)
    enumeration = enumeration.removesuffix("。")
    bracketed = "(" in enumeration or "（" in enumeration  # (A(撤销备案,移出目录)；B: one piece)
    parts = (
        split_outside_brackets(enumeration, _ENUM_PIECES_RE, "、;；,，")
        if bracketed
        else _ENUM_PIECES_RE.split(enumeration)
    )
    pieces = [item_text(_without_lead(p.strip())) for p in parts if p.strip()]
    return [part for piece in pieces for part in and_split(piece)]


# Rule prose.named_among: '这次被撤销资格的机构中，A存在…问题；B连续两年未开展…；C则被查实…' — a
# clause on a graded group (…的机构中), then ；-clauses each opening with one of its names
_AMONG_RE = re.compile(
    r"(?P<label>"
    + GRADE_LABEL_RE.pattern
    + r")[^,，。;；]{0,12}?(?:机构|单位|鉴定所|鉴定站|组织)(?:\(站\))?中[,，]"
)


def _named_among(text: str, line: int) -> list[InstitutionItem]:
    m = _AMONG_RE.search(text) if "中" in text else None
    if m is None or not (";" in text or "；" in text):
        return []
    items: list[InstitutionItem] = []
    for clause in _SEMICOLON_RE.split(text[m.end() :]):
        found = _inline_names(clause)
        if not found or found[0].start() > 0 or grade_labels(clause[found[0].end() :]):
            return []  # (each clause opens with its name and gives it no grade of its own)
        items.append(_prose_item(found[0].group("name"), m.group("label"), line, "prose_named_among"))
    return items


def _lead_list(text: str, line: int) -> list[InstitutionItem]:
    """Rule prose.lead_list: '获评优秀的是A和B', '6个被撤销，其中包括A、B' — the names after 的是 /
    包括 take the grade of the nearest clause before them that names one."""
    m = _LEAD_LIST_RE.search(text)
    if m is None:
        return []
    label = _nearest_grade(text[: m.start()])
    names = _names_in(_CLAUSE_CUT_RE.split(text[m.end() :], maxsplit=1)[0])
    if label is None or not names:
        return []
    return [_prose_item(name, label, line, "prose_lead_list") for name in names]


def _nearest_grade(lead: str) -> str | None:
    """The grade word of the last clause of `lead` that has exactly one grade."""
    for clause in reversed(_ENUM_BOUNDARY_RE.split(lead)):
        labels = grade_labels(clause)
        if len({GRADE_LABELS[m.group()] for m in labels}) == 1:
            return labels[0].group()
        if labels:
            return None
    return None


_ETC_END_RE = re.compile(r"等(?:\s*\d{1,4}\s*[家个所站])?[。.]?$")  # 'A、B、C等' ends the enumeration


# 'A、B等长期不开展业务的机构': what is said of them after 等 ends the enumeration
_ETC_DESCRIBED_RE = re.compile(r"等[^、,，]{0,40}?的(?:机构|单位|鉴定机构|评价机构)[。.]?$")


def _names_in(enumeration: str) -> list[str]:
    """The names of 'A、B和C' (a 和 splits only where both sides are names): institutions', or any
    that fills a name position (a company's) where the names stand after 的是 or 即."""
    names: list[str] = []
    enumeration = _ETC_DESCRIBED_RE.sub("", enumeration.strip())
    for piece in _ENUM_PIECES_RE.split(_ETC_END_RE.sub("", enumeration)):
        piece = item_text(piece)
        halves = AND_RE.split(piece, maxsplit=1)
        if len(halves) == 2 and all(_listed_name(h) for h in halves):
            names += halves
        elif _listed_name(piece):
            names.append(piece)
        else:
            return []
    return names


def _names_only(sentence: str) -> list[str]:
    """The names of a sentence that is nothing but names, each maybe with a bracket that may hold
    commas ('A有限公司(超范围认定);B培训中心(考评人员不足,档案缺失)。'): a later sentence may refer
    back to them (以上两家机构移出…目录)."""
    pieces = split_outside_brackets(sentence.removesuffix("。"), _ENUM_PIECES_RE, ",，、;；")
    names = [item_text(p) for p in pieces if p.strip()]
    return names if names and all(_listed_name(n) for n in names) else []


def _listed_name(piece: str) -> bool:
    name = split_parenthetical(piece)[0]
    return looks_like_name(name) or (fills_name_position(name) and not reads_as_clause(name))


def _prose_item(piece: str, label: str, line: int, source: str) -> InstitutionItem:
    name, host, note = split_parenthetical(piece)
    return InstitutionItem(name, GRADE_LABELS[label], label, line, host, note, ordinal(name), source)


def _only_names(text: str) -> bool:
    """Whether `text` holds nothing but institution names (and separators, 对, 其中 …)."""
    rest = _INLINE_NAME_RE.sub("", _BRACKET_AFTER_RE.sub("", text))  # (hosts: (太原钢铁(集团)有限公司承建))
    return len(_ENUM_PIECES_RE.sub("", _without_lead(rest.strip()))) <= 1


def _inline_names(text: str) -> list[re.Match[str]]:
    """_INLINE_NAME_RE's matches in `text` that are institution names."""
    if not _INLINE_SUFFIX_RE.search(text) and not _NUMBERED_STATION_RE.search(text):
        return []
    return [
        m
        for m in _INLINE_NAME_RE.finditer(text)
        if looks_like_name(name := _without_lead(strip_numbering(m.group("name"))))
        and not reads_as_clause(name)
        and not _AGENT_AFTER_RE.match(text, m.end())
        and not text.startswith("目录", m.end())  # 移出评价机构目录: a list's name, no institution
    ]


def _graded_in_clause(
    text: str, sentence: str, line: int, stated: list[tuple[str, int, str]]
) -> list[InstitutionItem]:
    """find_inline's rules on one clause of a sentence, in order: named_of_n (X等N家…优秀: X listed,
    N stated), appraisal_sanction (A、B被取消职业技能鉴定资格), inline (A、B被评为优秀); counts go to
    `stated` with the sentence."""
    graded = GRADE_LABEL_RE.search(text) is not None or SPLIT_SANCTION_RE.search(text) is not None
    if not graded and "鉴定资" not in text and "鉴定许可" not in text:
        return []
    if "分别" in text and (paired := _respectively(text, line)):
        return paired
    subjects = _segment_subjects(text, line) or []
    others = _clause_rules(text, sentence, line, stated, graded)
    # subject_outcome's names first; another rule's reading of the same name (with the words
    # before it, 市人社局依规对A, or another grade) gives way
    found = subjects + [o for o in others if not any(s.name in o.name for s in subjects)]
    return sorted(found, key=lambda i: at if (at := text.find(i.name)) >= 0 else len(text))  # (text order)


# Rule prose.respectively: 'A、B、C分别被评为优秀、合格、基本合格' — names and as many grades after
# 分别, paired in order
_RESPECTIVELY_RE = re.compile(r"分别(?:被)?(?:评为|评定为|确定为|定为|为|获评|予以)?")


def _respectively(text: str, line: int) -> list[InstitutionItem]:
    m = _RESPECTIVELY_RE.search(text)
    if m is None:
        return []
    names = _names_in(_without_lead(strip_numbering(_ENUM_BOUNDARY_RE.split(text[: m.start()])[-1])))
    labels = [g.group() for g in grade_labels(_CLAUSE_CUT_RE.split(text[m.end() :], maxsplit=1)[0])]
    if len(names) < 2 or len(names) != len(labels):
        return []
    return [_prose_item(n, label, line, "prose_respectively") for n, label in zip(names, labels, strict=True)]


def _clause_rules(
    text: str, sentence: str, line: int, stated: list[tuple[str, int, str]], graded: bool
) -> list[InstitutionItem]:
    """named_of_n, appraisal_sanction, sanction_first, counted_enumeration, inline: the first that
    reads the clause."""
    if "等" in text:
        text = digit_counts(text)  # X等三家 -> X等3家
    if "等" in text and (of_n := _NAMED_OF_N_RE.search(text)) is not None:
        named = _named_of_n(text, sentence, line, stated) if graded else []
        if named:  # (and the clauses after it on their own: X等12家合格，Y被限期整改)
            return named + _after_clause(text, of_n.end(), sentence, line, stated)
        if not _SANCTION_FIRST_RE.search(text):
            return named  # (决定撤销A、B等4个鉴定机构的鉴定资格: the sanction before them grades them)
    sanctioned = _sanctioned_names(text, line) or _sanction_first(text, line)
    if sanctioned and "等" in text:
        stated += _sanction_counted(text, sentence)
    if sanctioned or not graded:
        return sanctioned
    return _counted_enumeration(text, line) or _inline_graded(text, line)


def _after_clause(
    text: str, at: int, sentence: str, line: int, stated: list[tuple[str, int, str]]
) -> list[InstitutionItem]:
    """_clause_rules on what follows the clause around `at`, when it names institutions."""
    cut = min((i for i in (text.find(",", at), text.find("，", at)) if i >= 0), default=-1)
    rest = text[cut + 1 :] if cut >= 0 else ""
    if not rest or not _inline_names(rest):
        return []
    return _clause_rules(rest, sentence, line, stated, GRADE_LABEL_RE.search(rest) is not None)


def _counted_enumeration(text: str, line: int) -> list[InstitutionItem]:
    """Rule prose.counted_enumeration: 'A、B、C三家机构，存在…问题，…为不合格' — names followed by a
    count of institutions that matches them are institutions, suffix or not; the clauses after grade
    them."""
    text = digit_counts(text)  # 三家 -> 3家
    m = _COUNTED_ENUM_RE.search(text)
    if m is None:
        return []
    names = [item_text(p) for p in _ENUM_PIECES_RE.split(_without_lead(m.group("names")))]
    label = _grade_of_names(text[m.end() :])
    if label is None or len(names) != int(m.group("n")) or not all(fills_name_position(n) for n in names):
        return []
    return [_prose_item(name, label.group(), line, "prose_counted_enumeration") for name in names]


def _sanction_counted(text: str, sentence: str) -> list[tuple[str, int, str]]:
    """The count a sanction said before its names gives them (注销A、B等4家鉴定机构): N of that grade."""
    out = []
    for m in _SANCTION_FIRST_RE.finditer(text):
        if of_n := _NAMED_OF_N_RE.search(m.group("names")):
            out.append((GRADE_LABELS[m.group("label")], int(of_n.group("n")), sentence))
    return out


def _sanction_first(text: str, line: int) -> list[InstitutionItem]:
    """Rule prose.sanction_first: a ruling that names its sanction before the institutions
    ('经研究，决定注销X', '予以撤销A、B的鉴定资格', '暂停Z鉴定业务六个月' opening a clause)."""
    items: list[InstitutionItem] = []
    former = may_hold_former(text)
    for m in _SANCTION_FIRST_RE.finditer(text):
        if former and was_former(text, m.start("label")):
            continue  # 原通报予以撤销的X…改为予以注销: what it was, not what it is
        names = m.group("names")
        if _RELATIVE_OBJECT_RE.match(names):
            continue  # 撤销资格的鉴定所应…: those whose sanction was said, not a ruling
        found = _inline_names(names)
        for name_m in found:
            name = _whole_name(names, name_m, 0)
            items.append(_prose_item(name, m.group("label"), line, "prose_sanction_first"))
        if not found and (body := _sanctioned_body(names)):
            items.append(_prose_item(body, m.group("label"), line, "prose_sanction_first"))
    return items


# a sanction that qualifies the noun after it (撤销资格的鉴定所, 被撤销鉴定资格的): no one named
_RELATIVE_OBJECT_RE = re.compile(r"(?:职业技能)?(?:鉴定|认定|评价)?(?:资格|资质|备案|许可)?的")
# what follows the body a sanction names (撤销X的…备案, 暂停Y职业技能等级认定工作6个月)
_OBJECT_STOP_RE = re.compile(r"的|职业技能|鉴定|认定|评价|备案")


def _sanctioned_body(names: str) -> str | None:
    """The one body a sanction names right after its verb when it bears no institution suffix (a
    company or school since 2020): the shortest opening that fills a name position."""
    for stop in _OBJECT_STOP_RE.finditer(names):
        head = names[: stop.start()]
        if len(head) > 40:
            break
        if len(head) >= 4 and fills_name_position(head) and not reads_as_clause(head):
            return head
    return None


def _named_of_n(
    text: str, sentence: str, line: int, stated: list[tuple[str, int, str]]
) -> list[InstitutionItem]:
    """Rule prose.named_of_n: 'X等N家…优秀' lists X (and the names enumerated before it) and states N,
    when the grade is in the same clause ('…等3家鉴定站暂缓通过年检;对…予以撤销' is conditional)."""
    items: list[InstitutionItem] = []
    for m in _NAMED_OF_N_RE.finditer(text):
        after = _CLAUSE_END_RE.split(text[m.end() :], maxsplit=1)[0]
        labels = [
            lab
            for lab in grade_labels(after)
            if _GRADING_VERB_RE.search(after[: lab.start()] or "为")
            or _KIND_ONLY_RE.match(after[: lab.start()])
        ]
        if not labels:
            continue
        label = labels[0].group()
        if label not in UNION_LABELS:  # (a 不合格 count is counts.py's: it may split into outcomes)
            stated.append((GRADE_LABELS[label], int(m.group("n")), sentence))
        cut = _with_place_before(text, m.start("name"), 0)  # 呼和 of 呼和浩特
        start = m.start("name") - len(cut)
        for piece in [*_enumerated_before(text, start), cut + m.group("name")]:
            name = _without_lead(strip_numbering(piece))
            # (等N家 says they are institutions: a company or school's name is one)
            if fills_name_position(split_parenthetical(name)[0]):
                items.append(_prose_item(name, label, line, "named_of_n"))
    return items


def _inline_graded(text: str, line: int) -> list[InstitutionItem]:
    """Rule prose.inline: names with an institution suffix, each graded by _labels_per_name."""
    matches = _inline_names(text)  # (none without an institution suffix: its own cheap guard)
    items: list[InstitutionItem] = []
    previous_end = 0
    for m, label in zip(matches, _labels_per_name(text, matches), strict=True) if matches else ():
        whole = _whole_name(text, m, previous_end)
        previous_end = m.end()
        if label is not None:
            items.append(_prose_item(whole, label.group(), line, "inline"))
    return items


def _whole_name(text: str, m: re.Match[str], floor: int) -> str:
    """A name found in prose as the piece split_parenthetical reads: with the host written before it
    (设在X的), the start of its place the match left out (呼和 of 呼和浩特) and the bracket after it
    (…所(X(集团)公司承建)), without numbering or the words that open an enumeration."""
    whole = _host_lead(text, m, floor) + _with_place_before(text, m.start("name"), floor) + m.group("name")
    bracket = _BRACKET_AFTER_RE.match(text, m.end())
    return _without_lead(strip_numbering(whole)) + (bracket.group() if bracket else "")


def _host_lead(text: str, name: re.Match[str], floor: int) -> str:
    """The host written right before a name found in prose (设在X的|Y站, 依托X建立的|Y站), which
    split_parenthetical reads as the host, else ''."""
    start = name.start("name")
    lead = LEAD_HOST_BEFORE_RE.search(text, max(floor, start - 50), start)
    return lead.group() if lead else ""


def _labels_per_name(text: str, matches: list[re.Match[str]]) -> list[re.Match[str] | None]:
    """The grade word of each name in a clause: the one after the last name grades them all
    ('A、B被评为优秀'), unless a name before it has its own ('经检查，A合格，B不合格'); then each name
    takes the first grade after it, and a name followed by only a separator the next one's."""
    last = _grade_of_names(text[matches[-1].end() :])
    between = [text[a.end() : b.start()] for a, b in pairwise(matches)]
    own = [None if _SEPARATORS_RE.fullmatch(gap) else _grade_of_names(gap) for gap in between]
    if not any(own):
        return [last] * len(matches)
    labels: list[re.Match[str] | None] = []
    pending = 0
    for label in own:
        pending += 1
        if label is not None:
            labels += [label] * pending
            pending = 0
    return labels + [last] * (pending + 1)


# what a sanction takes from an appraisal institution (撤销其鉴定资格, 暂停其认定业务): not a
# school's licence (注销其办学许可证)
_APPRAISAL_OBJECT_RE = re.compile(r"[^,，。;；]{0,8}?(?:" + "|".join(APPRAISAL_OBJECTS) + ")")


def _sanction_on_it(after: str, lab: re.Match[str]) -> bool:
    """Whether the grade word `lab` is a sanction ruled on 其, the institutions just named, taking
    their appraisal work (自治区人社厅依规撤销其评价机构备案), whoever the clause names as ruling."""
    word = lab.group()
    if GRADE_LABELS[word] not in SANCTION_GRADES:
        return False
    if "其" in word:
        return _APPRAISAL_OBJECT_RE.match(word, word.index("其") + 1) is not None
    return after.startswith("其", lab.end()) and _APPRAISAL_OBJECT_RE.match(after, lab.end() + 1) is not None


def _grade_of_names(after: str) -> re.Match[str] | None:
    """The grade word, in the text after the last name, that grades the names. The first one counts
    when a grading verb comes before it (被评为, 予以 …); when only the inspection and the kind do
    (…鉴定站年检不合格), or nothing does and it is a verdict by itself (对…暂缓通过, …鉴定所优秀。,
    but not …中心通过检查); or when it opens a clause as a verdict or a sanction (…存在问题，不予通过年检);
    never after a condition (如, 若, 将, 仍, 逾期…的). A later word replaces it only as a sanction or a
    promotion in a clause of its own ('年检不合格，予以撤销' is revoked, '年检合格，并被评为优秀'
    excellent), not as a rule about others ('…被评为合格，对不合格的予以撤销' stays pass)."""
    chosen: re.Match[str] | None = None
    for lab in grade_labels(after):
        between = after[: lab.start()]
        if _CONDITIONAL_RE.search(between) or CONDITION_CLAUSE_RE.search(between):
            continue  # (…，逾期未整改或整改不到位的，撤销其备案: what happens later, on a condition)
        grade = GRADE_LABELS[lab.group()]
        if chosen is None:
            if (
                _GRADING_VERB_RE.search(between)
                or (_KIND_ONLY_RE.match(between) and (between or _verdict_itself(after, lab, grade)))
                or (
                    between.endswith((",", "，"))
                    and (lab.group() in VERDICT_LABELS or grade in SANCTION_GRADES)
                )
                or _RULING_RE.match(_ENUM_SPLIT_RE.split(between)[-1])  # …，决定撤销其鉴定资格
                or (between.endswith("申请") and grade in SANCTION_GRADES)  # …，已申请注销
                or _sanction_on_it(after, lab)  # …，自治区人社厅依规撤销其备案
            ):
                chosen = lab
            continue
        own = _ENUM_SPLIT_RE.split(between)[-1]  # the word's own clause
        if ABOUT_OTHERS_RE.search(between, chosen.end()):
            break  # 逾期未整改的，予以撤销; 其他…一律暂停; 另有2个…被撤销: not these names
        if "的" not in own and (grade in SANCTION_GRADES or _PROMOTING_RE.search(own)):
            return lab
    return chosen


def _verdict_itself(text: str, label: re.Match[str], grade: str) -> bool:
    """A grade word right after a name that is a verdict on it: a long one (暂缓通过, 不予通过), one
    that ends its clause (…鉴定所优秀。), or a sanction that is not the name's own act
    (…鉴定所暂停鉴定业务, not …中心撤销了2家)."""
    following = text[label.end() : label.end() + 1]
    if len(label.group()) >= 3 or following in ("", "。", "，", ",", "；", ";"):
        return True
    return grade in SANCTION_GRADES and following not in ("了", "对")


def _with_place_before(text: str, start: int, floor: int) -> str:
    """The start of a place name that _INLINE_NAME_RE cut off at one of its stop characters:
    '呼和' before '浩特市…鉴定站' (呼和浩特), '和' before '平区…' (和平区); else ''."""
    if start == 0 or text[start - 1] not in _NAME_STOP_CHARS:
        return ""
    head = _ENUM_BOUNDARY_RE.split(text[floor:start])[-1]
    for k in range(len(head)):
        m = REGIONS.match_place(head[k:] + text[start : start + 8])
        if m is not None and len(m) > len(head) - k:  # the place runs on into the name
            return head[k:]
    return ""
