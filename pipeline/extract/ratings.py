"""Ratings a notice defines for itself: 分为五星级、四星级、三星级，分别对应优秀、合格、基本合格;
C等次机构须限期3个月整改. Each defined rating takes the grade the notice gives it, over the
vocabulary's default (vocabulary.RATING_LABELS)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from ..numerals import digit_counts
from ..vocabulary import (
    GRADE_LABELS,
    RATING_LABEL_RE,
    RATING_LABELS,
    RATING_TIERS,
    SANCTION_GRADES,
    STAR_RATING_NAMES,
    UNION_LABELS,
)
from .document import Document
from .items import (
    BRACKETED_RE,
    CLAUSE_MARK_RE,
    before_condition,
    grade_labels,
    outcome_labels,
    split_outside_brackets,
)
from .lines import prose_lines
from .model import InstitutionItem
from .prose import leading_name

# a grade word right before brackets that hold only ratings
_GLOSS_RE = re.compile(r"(?P<word>[\u4e00-\u9fff]{2,4})[(（](?P<inner>[^()（）]{2,30})[)）]")
_JOINED_RE = re.compile(r"[和及与]")
_SEGMENT_RE = re.compile(r"[;；]")
_NEGATED_RE = re.compile(r"未达到|未达|达不到|低于|不足")
_LISTED_RE = re.compile(r"\s*(?:[、,，和及与])\s*")
# the group of the failed, as a measure's object: 对评估不合格的4个鉴定站, 对年检不合格的单位
_FAILED_GROUP_RE = re.compile(
    r"对[^,，;；。]{0,8}?" + UNION_LABELS[0] + r"的[^,，;；。]{0,10}?(?:站|所|机构|单位|组织)[,，]"
)
_MEASURE_END_RE = re.compile(r"[,，;；。:：]")
_LETTER_GLOSS_RE = re.compile(
    rf"(?<![A-Za-z])(?P<tier>[{RATING_TIERS}])(?:级|等次|等级|等)?\s*[(（](?P<word>[^()（）]{{2,6}})[)）]"
)


def rating_definitions(doc: Document) -> dict[str, str]:
    """rating key -> grade, for the ratings the text defines ('分别对应' pairs, or a clause that
    names one rating and one plain grade word)."""
    found: dict[str, str] = _letters_glossed(doc) | _failed_group_measure(doc)
    stating = prose_lines(doc)  # (not a table row's remark: 连续两年评估为C级,终止备案 is one body's)
    for sentence in doc.sentences_matching(RATING_LABEL_RE):
        if sentence.line not in stating:
            continue
        ratings = [m.group() for m in RATING_LABEL_RE.finditer(sentence.text)]
        plain = [m.group() for m in grade_labels(sentence.text) if m.group() not in RATING_LABELS]
        if "分别" in sentence.text and len(set(ratings)) == len(plain) >= 2:
            pairs = zip(dict.fromkeys(ratings), plain, strict=True)
            found.update({rating_key(r): GRADE_LABELS[g] for r, g in pairs})
            continue
        for rating, grade in _sentence_definitions(sentence.text):
            key = rating_key(rating)
            # the first definition holds, but a sanction said later is the final outcome of a
            # rating first called 不合格 (D等次(不合格) … D等次评价机构，取消其…备案)
            if key not in found:
                found[key] = grade
            elif found[key] == "rectify" and grade in SANCTION_GRADES:
                found[key] = grade
                found.setdefault(UNION_LABELS[0], grade)  # what is listed as its 不合格 is so too
    return found


def _sentence_definitions(text: str) -> list[tuple[str, str]]:
    """(rating, grade) pairs a sentence defines: each clause that names one rating and one plain
    grade ('90分及以上为五星级(优秀),80分至89分为四星级(合格)', 'C等次机构须限期3个月整改'), unless
    they are two groups joined (三星级和限期整改的); then each ；-segment, for a rating no clause
    defines (…;C级由我厅约谈…,责令限期3个月整改,…;D级…); else the sentence."""
    if glossed := _glossed(text):
        return glossed
    defined = [d for clause in _clauses(text) for d in (_defined_in(clause) or _enumerated(clause))]
    # (after them: the first definition holds, but a segment's sanction ends a 不合格 rating)
    defined += [d for seg in _SEGMENT_RE.split(text) for d in _defined_in(seg)]
    return defined or _defined_in(text)


def _failed_group_measure(doc: Document) -> dict[str, str]:
    """A sanction for the whole group of the failed (对评估不合格的四个鉴定站，暂停其鉴定业务六个月):
    {'不合格': its grade}, the final outcome of every item listed as 不合格."""
    for sentence in doc.sentences_matching(_FAILED_GROUP_RE):
        for segment in _SEGMENT_RE.split(sentence.text):
            m = _FAILED_GROUP_RE.search(segment)
            # the first clause after the group, one outcome in it: not what befalls them later
            # (复查仍不合格的,撤销…), nor outcomes shared out among them (分别作出限期整改(4家)、…)
            measure = _MEASURE_END_RE.split(segment[m.end() :], maxsplit=1)[0] if m else ""
            grades = {GRADE_LABELS[w] for w in outcome_labels(measure)}
            # (撤销鉴定资格2个,限期整改2个: a count of their own, the group is shared out)
            shared = "分别" in measure or "其余" in segment or bool(_GROUP_COUNT_RE.search(measure))
            if len(grades) == 1 and grades <= set(SANCTION_GRADES) and not shared:
                return {UNION_LABELS[0]: grades.pop()}
    return {}


def _letters_glossed(doc: Document) -> dict[str, str]:
    """Tiers, each glossed with its grade, in one enumeration: 评估结果分为A(优秀)、B(合格)、
    C(基本合格)、D(不合格)四个等次, A级(优秀)、B级(合格)… (two glosses at least: one may be a letter
    in a name or a code)."""
    found: dict[str, str] = {}
    for sentence in doc.sentences_matching(_LETTER_GLOSS_RE):
        pairs = []
        for m in _LETTER_GLOSS_RE.finditer(sentence.text):
            words = [w for w in grade_labels(m.group("word") + "。") if w.group() not in RATING_LABELS]
            if len(words) == 1 and words[0].group() == m.group("word"):
                pairs.append((m.group("tier"), GRADE_LABELS[words[0].group()]))
        if len(pairs) >= 2:
            found.update({tier: grade for tier, grade in pairs if tier not in found})
    return found


def _glossed(text: str) -> list[tuple[str, str]]:
    """Ratings glossed in brackets beside a grade word: '优秀(五星级、四星级)13家', '合格(三星级)'."""
    pairs: list[tuple[str, str]] = []
    for m in _GLOSS_RE.finditer(text):
        words = [w for w in grade_labels(m.group("word") + "。") if w.group() not in RATING_LABELS]
        inner = RATING_LABEL_RE.findall(m.group("inner"))
        if words and inner and not grade_labels(RATING_LABEL_RE.sub("", m.group("inner"))):
            pairs += [(r, GRADE_LABELS[words[-1].group()]) for r in inner]
    return pairs


# a rating whose bracket repeats it before its gloss: 三星(三星级,优秀) (the stars drawn, read so)
_REPEATED_RATING_RE = re.compile(
    rf"(?P<rating>{RATING_LABEL_RE.pattern})\s*[(（](?P<again>{RATING_LABEL_RE.pattern})\s*[,，、]"
)


def _unrepeated(m: re.Match[str]) -> str:
    """三星(三星级, -> 三星( when both name one rating; else unchanged."""
    same = rating_key(m.group("rating")) == rating_key(m.group("again"))
    return m.group("rating") + "(" if same else m.group()


def _enumerated(clause: str) -> list[tuple[str, str]]:
    """Definitions enumerated in one clause, each its own piece between 、: 其中A等次为良好、B等次为
    合格、C等次为不合格 (two pieces at least, every piece defining one rating)."""
    pieces = [_defined_in(_REPEATED_RATING_RE.sub(_unrepeated, piece)) for piece in clause.split("、")]
    if len(pieces) < 2 or not all(len(p) == 1 for p in pieces):
        return []
    return [p[0] for p in pieces]


def _clauses(text: str) -> list[str]:
    """The clauses of a sentence, split at commas outside brackets: 'A级(90分及以上,优秀)、B级(…,合格)'
    keeps each rating with the grade in its brackets."""
    return [c for c in split_outside_brackets(text, CLAUSE_MARK_RE, ",，") if c]


_GROUP_COUNT_RE = re.compile(r"\d{1,5}\s*[家个所]")


def _defined_in(text: str) -> list[tuple[str, str]]:
    """The (rating, grade) pairs one clause defines: one plain grade and the ratings before or after
    it ('四星级、三星级为合格等次'), none when a rating is negated ('未达到三星级标准的为不合格') or
    the rating and the grade are two groups joined ('三星级和限期整改的') or counted apart, or the
    clause opens with a body's name (X有限公司连续两年评估为C等次，终止其备案: that body's outcome)."""
    # what befalls a rating later, on a condition, defines nothing (…责令限期3个月整改,连续两年评估为
    # C级的,终止备案; 下一年度评估仍为C等的,终止备案)
    text = before_condition(text)
    words = _final_words([m for m in grade_labels(text + "。") if m.group() not in RATING_LABELS])
    ratings = list(RATING_LABEL_RE.finditer(text))
    if not ratings or len({GRADE_LABELS[m.group()] for m in words}) != 1 or leading_name(text.lstrip()):
        return []
    grade_at = words[0].start()
    if _counted_apart(text, ratings[0].start(), grade_at):
        return []  # groups counted side by side: 12家获评五星级4家被终止备案
    if any(_NEGATED_RE.search(text[max(0, r.start() - 4) : r.start()]) for r in ratings):
        return []
    if any(not _LISTED_RE.fullmatch(text[a.end() : b.start()]) for a, b in pairwise(ratings)):
        return []  # several ratings, not one enumeration of them (四星级和三星级均为合格 is one)
    before = [r for r in ratings if r.start() < grade_at]
    after = [r for r in ratings if r.start() > grade_at]
    gaps = [text[before[-1].end() : grade_at]] if before else []
    gaps += [text[words[0].end() : after[0].start()]] if after else []
    if any(_JOINED_RE.search(gap.removeprefix("及以上")) for gap in gaps):
        return []  # a rating and a grade, two groups joined: 三星级和限期整改的
    grade = GRADE_LABELS[words[0].group()]
    return [(r, grade) for m in ratings for r in (m.group(), *_and_above(m, text))]


def _and_above(m: re.Match[str], text: str) -> tuple[str, ...]:
    """The ratings above `m` when the text says 'and above' (三星级及以上为合格: 四星级, 五星级 too)."""
    if not text.startswith(("及以上", "以上"), m.end()):
        return ()
    key = rating_key(m.group())
    if key in RATING_TIERS:
        return tuple(f"{tier}级" for tier in RATING_TIERS[: RATING_TIERS.index(key)])
    stars = [rating_key(name) for name in STAR_RATING_NAMES]
    return STAR_RATING_NAMES[stars.index(key) + 1 :] if key in stars else ()


def _final_words(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """A 不合格 and the sanction it ends in (D级为评估不合格,终止备案并移出…目录): the sanction."""
    sanctions = [m for m in words if GRADE_LABELS[m.group()] in SANCTION_GRADES]
    failed = [m for m in words if m.group() in UNION_LABELS]
    if sanctions and failed and len(sanctions) + len(failed) == len(words):
        return sanctions
    return words


def _counted_apart(text: str, rating_at: int, grade_at: int) -> bool:
    """Whether a count stands before the rating and another between it and the grade word after it:
    each is its own group's (12家获评五星级 / 4家被终止备案), the rating is not defined by the grade."""
    counts = [m.start() for m in _GROUP_COUNT_RE.finditer(text)]
    return any(c < rating_at for c in counts) and any(rating_at < c < grade_at for c in counts)


def rating_key(rating: str) -> str:
    """One key for the forms of one rating: A级, A等 and A等次 are the tier A; 五星级 and 五星 are 五星."""
    return rating[0] if rating[0] in RATING_TIERS else rating.removesuffix("级")


def _default_grade(key: str) -> str:
    return RATING_LABELS[key + "级" if key in RATING_TIERS else key]


def _rating_in(text: str) -> str | None:
    ratings = {rating_key(r) for r in RATING_LABEL_RE.findall(text)}
    return ratings.pop() if len(ratings) == 1 else None


def _count_rating(evidence: str, n: int, grade: str, nth: int = 0) -> str | None:
    """The rating a stated count is of: the last grade word before the count in its clause, with
    brackets closed before it left out (优秀(四星级及以上)18家 counts 优秀, C级(限期整改)机构(6家)
    counts C级), else the first after it in its clause; a rating only, not a plain grade word. Where
    the count stands twice (四星3家、三星3家), the `nth` whose rating reads as `grade`. The evidence's
    one rating when the count or a grade word beside it is not found."""
    evidence = digit_counts(evidence)  # (C等三家: the count as it was read)
    words = [_word_of(evidence, m) for m in re.finditer(rf"(?<!\d){n}\s*[家个所站]", evidence)]
    if not any(words):
        return _rating_in(evidence)
    ratings = [rating_key(w) for w in words if w in RATING_LABELS]
    graded = [r for r in ratings if _default_grade(r) == grade]
    return graded[min(nth, len(graded) - 1)] if graded else (ratings[0] if ratings else None)


def _word_of(evidence: str, m: re.Match[str]) -> str | None:
    """The grade word a count (`m`) is of: the last before it in its clause, else the first after."""
    clause = BRACKETED_RE.sub("", CLAUSE_MARK_RE.split(evidence[: m.start()])[-1])
    clause = clause[max(clause.rfind("("), clause.rfind("（")) + 1 :]  # (in an aside: (其中五星级4家)
    if labels := grade_labels(clause + m.group()):
        return labels[-1].group()
    after = grade_labels(CLAUSE_MARK_RE.split(evidence[m.end() :], maxsplit=1)[0])
    return after[0].group() if after else None  # (the count before its grade: 另有4家机构评定为一星级)


def apply_ratings(
    definitions: dict[str, str], items: list[InstitutionItem], stated: list[tuple[str, int, str]]
) -> list[tuple[str, int, str]]:
    """Regrade the items (in place) and the stated counts whose label or evidence is one defined
    rating; the stated counts are returned."""
    if not definitions:
        return stated
    for item in items:
        if item.grade_label in RATING_LABELS:
            rating = _rating_in(item.grade_label)
        else:
            rating = item.grade_label if item.grade_label == UNION_LABELS[0] else None
        if rating in definitions:
            item.grade = definitions[rating]
    grades = [g for key, g in definitions.items() if key != UNION_LABELS[0]]  # (the ratings only)
    out = []
    seen: Counter[tuple[str, int, str]] = Counter()  # (the same count twice in one sentence)
    shared: dict[str, dict[str, tuple[int, str]]] = {}  # grade -> rating -> its count
    for grade, n, evidence in stated:
        rating = _count_rating(evidence, n, grade, seen[grade, n, evidence])
        seen[grade, n, evidence] += 1
        same = rating is not None and _default_grade(rating) == grade
        if same and rating in definitions and grades.count(definitions[rating]) > 1:
            # 五星级4家、四星级7家 when both are 优秀: the grade's count is theirs summed, once
            # every rating of it is counted
            shared.setdefault(definitions[rating], {}).setdefault(rating, (n, evidence))  # type: ignore[index]
            continue
        out.append((definitions[rating] if same and rating in definitions else grade, n, evidence))
    for grade, counts in shared.items():
        if len(counts) == grades.count(grade):
            out.append((grade, sum(n for n, _ in counts.values()), next(iter(counts.values()))[1]))
    return out
