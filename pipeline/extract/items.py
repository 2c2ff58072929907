"""One list item or table cell: its numbering, its name, host and note, and whether it is a name.

Two tests tell a name: `looks_like_name` (an appraisal institution's name: it ends with an
institution noun, for prose and for lines outside a list) and `fills_name_position` (whatever an
organisation's name can be, for the name position of a graded list or table: since 2020 the
evaluated bodies are companies, schools and associations).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..numerals import cn_number
from ..regions import REGIONS
from ..vocabulary import (
    APPRAISAL_OBJECTS,
    APPRAISAL_SANCTION_RE,
    CONDITION_CLAUSE_RE,
    DEPARTMENT_ENDS,
    DURING_BEFORE,
    ENTERPRISE_BUREAU_ENDS,
    FAILED_OUTCOMES,
    GRADE_LABEL_RE,
    GRADE_LABELS,
    HOST_WORDS_RE,
    INSTITUTION_END_RE,
    INSTITUTION_NOUN_RE,
    INSTITUTION_SUFFIXES,
    ISSUER_NOUNS,
    LISTED_KIND_WORDS,
    NOT_A_GRADE_AFTER,
    NOT_A_GRADE_BEFORE,
    NOT_IN_NAME_WORDS,
    NOTE_WORDS,
    ORGANISATION_SUFFIXES,
    OTHER_OBJECTS,
    PRAISE_OR_PASS_LABELS,
    RATING_LABELS,
    RATING_TIERS,
    REVOKING_VERBS,
    SANCTION_GRADES,
    SELF_REFERENCES,
    SPLIT_SANCTION_RE,
    THING_BEFORE,
    WRAPPED_TAIL_OPENINGS,
    words_re,
)

BULLETS = "●○■□◆◇▪•·・◎★☆▶►"  # a bulleted list's marks, numbering like 1.
NUMBERING_RE = re.compile(
    r"^\s*+(?:[(（]?\s*[一二三四五六七八九十]{1,3}\s*[)）、.．]|[(（]\s*\d{1,5}\s*[)）]|\d{1,5}\s*[.、．)）](?!\d)"
    r"|[①-⑳㉑-㉟㊱-㊿]|[" + BULLETS + r"]|第[一二三四五六七八九十百]+(?:[类批部分][:：、]?|[:：、]|\s|$)"
    r"|[Ⅰ-Ⅻⅰ-ⅻ](?:\s*[、.．)）]|\s)|[甲乙丙丁戊][、.．])\s*"  # (Ⅰ、 Ⅱ. and 甲、 乙、 too)
)
# characters a list number (NUMBERING_RE) can start with, besides spaces and digits
_NUMBERING_FIRST = frozenset("(（一二三四五六七八九十第甲乙丙丁戊" + BULLETS).union(
    *(map(chr, range(ord(a), ord(b) + 1)) for a, b in ("①⑳", "㉑㉟", "㊱㊿", "ⅠⅫ", "ⅰⅻ"))
)
# the closing bracket may be lost when a line is cut: '…鉴定所(福州化工高级技工学校承建'
_PAREN_TAIL_RE = re.compile(r"^(?P<name>.+?)\s*[(（](?P<inner>[^()（）]{1,40})(?:[)）]|$)\s*$")
# (X承建), (承建单位：X), (依托X): the organisation that hosts the institution
_HOST_RE = re.compile(
    rf"^由?(?P<host>.+?){HOST_WORDS_RE}$|^{HOST_WORDS_RE}(?:单位)?\s*[:：为]\s*(?P<host2>.+)$"
    r"|^原?(?:依托|承建|设在)(?:单位)?(?P<host3>[^:：为,，][^,，]*)$"  # (原依托X: its host until it closed)
)
_NOTE_RE = words_re(NOTE_WORDS)
_ORDINAL_RE = re.compile(
    r"第([一二三四五六七八九十百零〇两\d]+)(?=国家职业技能鉴定所|职业技能鉴定所|鉴定所|鉴定站)"
)
# a generic noun phrase, no name (各鉴定站, 全省鉴定机构, 我省评价机构, 所涉评价机构, also after a
# ruling's 经: 经各鉴定站自查)
_GENERIC_NAME_RE = re.compile(
    r"^经?(?:其中|包括|如|即"
    r"|全(?:省|市|国)(?=各|共|有|的|所有|其他|其余|现有|已|范围|\d|[一二三四五六七八九十]|鉴定|评价|职业技能|社会培训)"
    r"|我省|我市|我区|我县|所涉|涉及|各|部分|个别|少数|该|这些|所有|有关|相关|省属|市属|本|上述|以上|其他|其余|一些|现有|已有|新(?:批准|设立|增|建|成立|申报|备案|评估)|各类"
    r"|大部分|大多数|多数|全部|其(?=职业|鉴定|评价)|共(?:督导|检查|评估|有|计))"
    r"|^(?:国家)?职业技能(?:鉴定)?|^省?(?:职业技能)?鉴定|^另?[一二三四五六七八九十百两\d]+[个家所]"
    # only a kind of institution: 行业职业技能鉴定站, 企业职业技能鉴定站 (a sub-heading's)
    r"|^(?:行业|企业|社会|院校|学校)(?:职业技能)?鉴定(?:所|站|中心|机构)$"
    # only a grade and a kind: 优秀鉴定所 (in '…被评为优秀鉴定所'), not 合格评估鉴定所
    r"|^(?:并?被)?(?:评为)?(?:年检)?"
    + words_re((*PRAISE_OR_PASS_LABELS, *RATING_LABELS)).pattern
    + r"(?:的)?(?:国家)?(?:职业技能)?(?:鉴定所|鉴定站|鉴定机构|单位|评价机构)(?:\((?:站|所)\))?$"
)
_TRAILING_PAREN_RE = re.compile(r"\([^)]*\)$")
_NOT_IN_NAME_RE = re.compile(r"[。:：\t]|(?<!第)\d{3,}")  # (a tab: a cell's end)
_CLAUSE_WORD_RE = words_re(NOT_IN_NAME_WORDS)


def reads_as_clause(name: str) -> bool:
    """Whether a name read from prose holds what only a clause does: a sanction or 整改 (移出评价机构,
    撤销鉴定站, 整改报告报送…中心; a name may hold a word of praise) or a word of NOT_IN_NAME_WORDS."""
    return bool(_CLAUSE_WORD_RE.search(name)) or any(
        GRADE_LABELS[m.group()] in FAILED_OUTCOMES for m in grade_labels(name)
    )


# what can never be inside an organisation's name in a list: sentence marks, a count, a date
_NOT_IN_ORG_RE = re.compile(r"[。:：;；!！?？\t]|\d+\s*[个家所名人年月日]|共\s*\d|如下|以下")
# a cell that only marks an empty field: —, /, 无
NO_VALUE_RE = re.compile(r"[/／\\—－\-–_]+|无|暂无|空|-")


# an outcome said to have been the earlier one (原通报列为“暂缓通过”, 原通报予以撤销的…, 由“合格”调整
# 为…): no outcome of this notice (a correction's 更正为 / 调整为 / 改为 gives that)
# what stands before a former outcome: 原通报列为, 由“…”调整为, 误列为“不合格” (a correction's error)
_FORMER_RE = re.compile(
    r"(?:原(?!则|因|来|有|址|名)[^,，。;；:：]{0,10}|由[“\"‘'「]?|误(?:列|定|评|写)?为[“\"‘'「]?)$"
)
_FORMER_WINDOW = 12


def may_hold_former(text: str) -> bool:
    """A cheap test, once per text: whether a former outcome may be said in it."""
    return "原" in text or "由" in text or "误" in text


def was_former(text: str, at: int) -> bool:
    """Whether the grade word at `at` in `text` is a former outcome (given may_hold_former)."""
    return bool(_FORMER_RE.search(text, max(0, at - _FORMER_WINDOW), at))


def tier_rating(text: str) -> str | None:
    """The rating a tier letter written alone stands for (A: the rating A级), else None: an outcome
    cell, a column title or a bracket holding only the letter."""
    return text + "级" if len(text) == 1 and text in RATING_TIERS else None


def _label_matches(text: str) -> list[re.Match[str]]:
    """GRADE_LABEL_RE's matches, and a sanction written with words inside it (终止其…备案, 移出《…
    目录》: SPLIT_SANCTION_RE) in place of the words it holds."""
    words = list(GRADE_LABEL_RE.finditer(text))
    if not ("备案" in text or "目录" in text or "停止" in text):
        return words  # (cheap: no split sanction without its object)
    split = [m for m in SPLIT_SANCTION_RE.finditer(text) if m.group() not in GRADE_LABELS]  # (not a word)
    if not split:
        return words
    inside = [m for m in words if not any(s.start() <= m.start() < s.end() for s in split)]
    return sorted(inside + split, key=lambda m: m.start())


def grade_labels(text: str) -> list[re.Match[str]]:
    """Grade words in `text` that really grade (not 整改措施, 合格证 …, nor a former outcome a
    correction replaces: 原通报列为“暂缓通过”…更正为“合格”); a plain grade word beside a rating wins
    over it (C等次(8家,限期整改) is rectify)."""
    former = may_hold_former(text)  # (once: a text may hold thousands of grade words)
    objects = any(word in text for word in OTHER_OBJECTS)
    found = [
        m
        for m in _label_matches(text)
        if not NOT_A_GRADE_AFTER.match(text, m.end())
        and not (objects and _befalls_other(text, m))
        and not _asked_as_task(text, m.start())
        and not text.endswith(DURING_BEFORE, 0, m.start())
        and not text.endswith(THING_BEFORE, 0, m.start())
        and not (former and was_former(text, m.start()))
    ]
    plain = [m for m in found if m.group() not in RATING_LABELS]
    return plain if plain and len(plain) < len(found) else found


_ORDERED_RE = re.compile(r"责令|限期|被")
_CLAUSE_MARKS = ",，;；。"
CLAUSE_MARK_RE = re.compile(f"[{_CLAUSE_MARKS}]")  # a clause ends at one


# (an appraisal institution's own work, or its licence: 撤销其鉴定资格, 注销其许可证)
_OWN_OBJECT_RE = re.compile(r"其?[^,，。;；]{0,4}?(?:" + "|".join((*APPRAISAL_OBJECTS, "许可")) + ")")
_OBJECT_BEFORE = 6  # 证书 and the grade word it takes: 证书依规予以注销
_OBJECT_AFTER = 20  # the grade word and the 证书 it takes: 注销其违规颁发的23本职业技能等级证书


def _befalls_other(text: str, m: re.Match[str]) -> bool:
    """Whether the grade word `m` is said of something else than the institution, right before or
    after it in its clause (OTHER_OBJECTS: 已核发的违规证书依规予以注销); not when it takes the
    institution's own appraisal work (因乱发证书被撤销鉴定资格, 对违规发放证书的机构撤销备案)."""
    start = max(text.rfind(c, 0, m.start()) for c in _CLAUSE_MARKS) + 1
    end = next((e.start() for e in CLAUSE_MARK_RE.finditer(text, m.end())), len(text))
    before, after = text[start : m.start()], text[m.end() : end]
    if _OWN_OBJECT_RE.match(after) or _OWN_OBJECT_RE.search(m.group()):
        return False
    for word in OTHER_OBJECTS:
        at = before.rfind(word)
        # (near it, or the clause's topic with the agent after it: 证书由省中心依规注销)
        near = len(before) - at - len(word) <= _OBJECT_BEFORE
        if at >= 0 and (near or before.startswith("由", at + len(word))):
            return True
        at = after.find(word)
        if 0 <= at <= _OBJECT_AFTER and not INSTITUTION_NOUN_RE.search(after[:at]):
            return True
    return False


def _asked_as_task(text: str, start: int) -> bool:
    """A grade word a task verb opens (督促其完成整改, 认真整改): asked of them, not their grade;
    unless they were ordered to it (被责令在3个月内完成整改)."""
    if not text.endswith(NOT_A_GRADE_BEFORE, 0, start):
        return False
    return not _ORDERED_RE.search(text, max(0, start - 14), start)


@lru_cache(maxsize=4096)
def cell_labels(cell: str) -> tuple[str, ...]:
    """The grade words of a short cell (`grade_labels`, as strings)."""
    return tuple(m.group() for m in grade_labels(cell))


def before_condition(text: str) -> str:
    """The text before its first clause on a condition: what is decided now, not what follows if
    it is not met (限期整改,逾期未通过复查的撤销其鉴定资格: 限期整改,)."""
    m = CONDITION_CLAUSE_RE.search(text)
    if m:
        text = text[: max(text.rfind(mark, 0, m.start()) for mark in _CLAUSE_MARKS) + 1]
    return text


def verdict_labels(cell: str) -> tuple[str, ...]:
    """The grade words of an outcome or remark cell before any clause on a condition."""
    return cell_labels(before_condition(cell))


def outcome_labels(text: str) -> tuple[str, ...]:
    """The grade words of a clause that states an outcome, a sanction of an appraisal institution's
    own (取消其职业技能鉴定资格) read as 撤销."""
    labels = cell_labels(text)
    return (*labels, REVOKING_VERBS[-1]) if APPRAISAL_SANCTION_RE.search(text) else labels


def final_label(labels: tuple[str, ...]) -> str:
    """The final outcome among an item's or cell's grade words: its last sanction (不合格，撤销鉴定资格
    is revoked), else its first word."""
    sanctions = [w for w in labels if GRADE_LABELS[w] in SANCTION_GRADES]
    return sanctions[-1] if sanctions else labels[0]


def strip_numbering(text: str) -> str:
    first = text[:1]
    if first and not (first in _NUMBERING_FIRST or first.isspace() or first.isdigit()):
        return text.strip()  # cannot start with a list number: skip the regex
    return NUMBERING_RE.sub("", text, count=1).strip()


_GLUED_NUMBER_RE = re.compile(r"\d{1,5}(?=[\u4e00-\u9fff])(?![厂号])")  # not 805厂
# a row number or code set apart by a space: 0101 X鉴定所, S-025 X鉴定站
_CODE_PREFIX_RE = re.compile(r"(?:[A-Z]{1,3}-?)?\d{1,6}[ \u3000]+(?=[\u4e00-\u9fff])")


def item_text(raw: str) -> str:
    """A list piece or table cell as a name: no list number or code (also one glued to a place name,
    7福建省…, from a row that lost its separator), no spaces."""
    text = strip_numbering(raw)
    if "\u2000" < text[:1] < "\u2e80" or text[:1] >= "\U0001f000":
        text = _LEADING_MARKS_RE.sub("", text)  # (👉X, ※X, ▲X: a post's or a footnote's marks)
    if (text[:1].isdigit() or text[:1].isascii()) and (code := _CODE_PREFIX_RE.match(text)):
        text = text[code.end() :]
    elif (
        text[:1].isdigit()
        and (glued := _GLUED_NUMBER_RE.match(text))
        and REGIONS.starts_with_place(text[glued.end() :])
    ):
        text = text[glued.end() :]
    return without_place_column(without_place_tag(text.replace(" ", "")))


# marks before a name that no name starts with: ※, arrows, shapes, dingbats, emoji (not ①: a number)
_LEADING_MARKS_RE = re.compile("^[\u203b\u2190-\u245f\u2500-\u2bff\ufe0f\U0001f000-\U0001faff]+")
# a place in brackets before a name: 【包头市】X鉴定所, [省直]Y鉴定站
_PLACE_TAG_RE = re.compile(r"^[【\[〔［(（]([^】\]〕］)）]{2,10})[】\]〕］)）]")


def without_place_tag(text: str) -> str:
    """A name without the city or kind tag in brackets written before it (【包头市】内蒙古第五职业技能
    鉴定所): the list's grouping, not the name."""
    tag = _PLACE_TAG_RE.match(text) if text[:1] in "【[〔［(（" else None
    if tag is None or len(text) - tag.end() < 4:
        return text
    place = tag.group(1)
    return text[tag.end() :] if place in _PLACE_COLUMN_WORDS or REGIONS.match_place(place) == place else text


def without_place_column(text: str) -> str:
    """A name without the place written after it, where a flattened table's city column ran into
    it: X鉴定站(Y承建)郑州市, X第二职业技能鉴定所周口市, …鉴定所(…承建)省直."""
    if not text.endswith(_PLACE_ENDINGS):
        return text  # cheap guard: no place or 省直 ends it
    end = text.rfind(")") + 1 or _last_suffix_end(text)
    tail = text[end:] if end else ""
    if 2 <= len(tail) <= 8 and (tail in _PLACE_COLUMN_WORDS or REGIONS.match_place(tail) == tail):
        return text[:end]
    return text


def _last_suffix_end(text: str) -> int:
    ends = [m.end() for m in _SUFFIX_ANYWHERE_RE.finditer(text)]
    return ends[-1] if ends and ends[-1] < len(text) else 0


_PLACE_COLUMN_WORDS = frozenset(("省直", "市直", "区直", "州直", "县直", "省属", "部属"))
_PLACE_ENDINGS = ("市", "县", "区", "州", "盟", "旗", "省", "直", "属")


MAX_ORDINAL = 9999  # institution_number is int32; no list numbers its stations past this


def ordinal(name: str) -> int | None:
    """The number in an institution's name: 第六国家职业技能鉴定所 -> 6."""
    m = _ORDINAL_RE.search(name) if "第" in name else None
    if not m:
        return None
    number = cn_number(m.group(1))
    return number if number is not None and number <= MAX_ORDINAL else None  # 第一二三四五… is no ordinal


# a station or office named by its number alone (第44站), and a full name with the same form
_STATION_NUMBER = r"第[\d一二三四五六七八九十百零〇]{1,6}(?:站|所|分站)$"  # 第44站, 第十九站
_NUMBERED_STATION_RE = re.compile("(?:鉴定|认定)" + _STATION_NUMBER)  # (…等级认定第27站 since 2020)
SHORT_ORDINAL_RE = re.compile("^" + _STATION_NUMBER)
ORDINAL_TAIL_RE = re.compile(r"^(?P<prefix>.{4,40}?)" + _STATION_NUMBER)

BRACKETED_RE = re.compile(r"[(（][^()（）]*[)）]")  # an innermost bracket pair and what it holds
_MASK_BASE = 0xE100  # private-use characters stand in for protected separators inside brackets


def split_outside_brackets(text: str, separators: re.Pattern[str], protect: str) -> list[str]:
    """`text` split at `separators`, except the `protect` characters inside brackets (优秀(五星级、
    四星级)13家 stays one piece at 、; A级(90分及以上,优秀) one clause at a comma)."""
    mask = {ord(c): _MASK_BASE + i for i, c in enumerate(protect)}
    unmask = {v: k for k, v in mask.items()}
    masked = BRACKETED_RE.sub(lambda m: m.group().translate(mask), text)
    return [part.translate(unmask) for part in separators.split(masked)]


def enumeration_end(text: str) -> int | None:
    """Where an enumeration of names ends and a remark on them begins: the first clause separator
    outside brackets (one pass)."""
    depth = 0
    for i, char in enumerate(text):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and char in ",，;；。":
            return i
    return None


# the host and what befell it: 承建单位Y已破产, 依托单位Y整体改制
FATED_HOST = (
    r"(?:承建|依托|主办)单位[:：]?(?P<host>[^,，。;；、()（）]{4,40}?)"
    r"(?:已|于|被|因|整体|改制|撤并|破产|停产)"
)
_FATED_HOST_RE = re.compile(FATED_HOST)


def opens_bracket(text: str) -> bool:
    """Whether `text` ends inside a bracket it opened."""
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")


@lru_cache(maxsize=16384)
def split_parenthetical(piece: str) -> tuple[str, str | None, str | None]:
    """'X鉴定所(Y承建)' -> (X鉴定所, Y, None); '…(主动申请撤销)' and '…公司(北京)' -> note; '…中心(站)'
    stays in the name; 'X鉴定站——Y(集团)公司' -> (X鉴定站, Y(集团)公司, None)."""
    lead = _LEAD_HOST_RE.match(piece) if piece.startswith(_LEAD_HOST_OPENINGS) else None
    if lead or ("的" in piece and (lead := _BUILT_BY_RE.match(piece))):
        name, host, note = split_parenthetical(lead.group("name"))
        own = lead.group("host")  # (an organisation's name: not 由我院承建的, 由市局批准设立的)
        own = own if fills_name_position(own) and not own.startswith(SELF_REFERENCES) else None
        return (name, host or own, note) if looks_like_name(name) else (piece, None, None)
    if "(" not in piece and "（" not in piece:
        return _dash_host(piece) or _labelled_host_after(piece) or (piece, None, None)
    if (dashed := _dash_host(piece)) and "(" not in dashed[0] and "（" not in dashed[0]:
        return dashed
    split = _balanced_tail(piece) if piece.endswith((")", "）")) else None
    if split is None:
        m = _PAREN_TAIL_RE.match(piece)
        if not m:
            return piece, None, None
        split = m.group("name"), m.group("inner")
    name, inner = split[0].strip(), split[1].strip()
    if hosted := _bracket_or_dash_host(name, inner):
        return hosted
    first, comma, rest = inner.partition("，") if "，" in inner else inner.partition(",")
    first = first.strip()
    if comma and (host := _host(first) or (first if _is_host_name(name, first) else None)):
        return name, host, rest.strip()  # (X承建，承建单位主动申请撤销), (X培训中心,浙江)
    if inner in _KIND_NOTES or _is_place(inner):
        return name, None, inner  # the kind it is listed as (企业, 县区), where it is registered (北京)
    if len(inner) <= 2 and not _NOTE_RE.search(inner):
        return piece.replace(" ", ""), None, None  # part of the name: 指导中心(站), 育婴员(师)
    return _named_in_brackets(name, inner)


def _bracket_or_dash_host(name: str, inner: str) -> tuple[str, str | None, str | None] | None:
    """(name, host, note) when the bracket names the host, or a dash before it does (X所--Y学校
    (承建单位撤并,申请注销): Y hosts it, the bracket is a note; 承建单位Y已破产: Y hosts it, what
    befell Y is a note); else None."""
    if host := _host(inner):
        return name, host, None
    if fated := _FATED_HOST_RE.match(inner):
        return name, fated.group("host"), inner
    if dashed := _dash_host(name):
        return dashed[0], dashed[1], inner
    return None


# a clause after a name that says who hosts it: 依托单位为Y, 承建单位：Y, 设在Y
HOST_CLAUSE = rf"\s*(?:{HOST_WORDS_RE}单位\s*(?:为|是|[:：])|设在)[^:：。；;,，]{{2,40}}"
# '设在山东交通学院的X鉴定站', '依托Y建立的Z鉴定站': the host written before the name
_LEAD_HOST_OPENINGS = ("设在", "依托", "由")
_LEAD_HOST = "(?:" + "|".join(_LEAD_HOST_OPENINGS) + ")"
_LEAD_HOST_RE = re.compile(  # (the verb after the host: 依托X建立的, 由X承建的, 依托X建设的)
    rf"^{_LEAD_HOST}(?P<host>[^的，,；;。]{{2,40}}?){HOST_WORDS_RE}?的(?P<name>[^的]{{4,60}})$"
)
# with no opening word, a host verb that only a host takes: 'X技师学院承建的Y鉴定第1站'
_BUILT_BY_RE = re.compile(
    r"^(?P<host>[^的，,；;。、]{4,40}?)(?:承建|承办|主办|举办|组建)的(?P<name>[^的]{4,60})$"
)
# the same lead, right before a name in a sentence (…；依托Y建立的|Z鉴定站，…)
LEAD_HOST_BEFORE_RE = re.compile(rf"{_LEAD_HOST}[^的，,；;。、]{{2,40}}?{HOST_WORDS_RE}?的$")


def _named_in_brackets(name: str, inner: str) -> tuple[str, str | None, str | None]:
    """A parenthetical that is an organisation's name: the host after its institution (X鉴定第036站
    (重庆市社会福利职业培训学校)), or the institution after its host (北京社会管理职业学院(民政行业
    职业技能鉴定第001站)); else a note."""
    if _is_host_name(name, inner):
        return name, inner, None
    hosted = looks_like_name(inner) and not (looks_like_name(name) or _says_a_note(inner))
    if hosted and fills_name_position(name):
        return inner, name, None
    return _before_the_note(name, inner)


def _is_host_name(name: str, inner: str) -> bool:
    """Whether a parenthetical after an institution's name is its host by name alone: an
    organisation's whole name (a school, a company, a centre), no note, no government department
    (a supervisor: 市教育局), no institution of its own kind (but an organisation's unit that ends
    as one, 某公司培训评价中心)."""
    return (
        name.endswith((*INSTITUTION_SUFFIXES, "站", "所"))  # (…鉴定第019站)
        and fills_name_position(inner)
        and (not inner.endswith(INSTITUTION_SUFFIXES) or _ORGANISATION_UNIT_RE.search(inner) is not None)
        and not _says_a_note(inner)
        and not is_department(inner)
    )


# an organisation's own unit, though it ends as an institution does (中国南方电网有限责任公司教育培训
# 评价中心, X学院职业技能鉴定中心): a host
_ORGANISATION_UNIT_RE = re.compile(r"公司|集团|学院|学校|大学|医院")


def _says_a_note(inner: str) -> bool:
    """Whether a parenthetical holds a note word (主动申请撤销, 已更名); 原 only opening it (原X鉴定所:
    a former name), not inside a place (太原市…)."""
    return any(m.group() != "原" or m.start() == 0 for m in _NOTE_RE.finditer(inner))


def is_department(name: str) -> bool:
    """A government department's name (市教育局, 省国资委): a supervisor, no host; an enterprise
    bureau (烟台港务局) is none."""
    return name.endswith(DEPARTMENT_ENDS) and not name.endswith(ENTERPRISE_BUREAU_ENDS)


def _before_the_note(name: str, note: str) -> tuple[str, str | None, str | None]:
    """(name, host, note) of a name whose last bracket holds a note, when another bracket ends it."""
    before = _balanced_tail(name) if name.endswith((")", "）")) else None
    if before is None:
        return name, None, note
    rest, inner = before[0].strip(), before[1].strip()
    if _is_place(inner):
        return rest, None, note  # …公司(湖南)(已主动申请退出): the place is no name
    if host := _host(inner) or (inner if _is_host_name(rest, inner) else None):
        return rest, host, note  # …第121站(X承建)(主动申请注销), …第9站(X机床有限公司)(依托单位申请撤销)
    if len(inner) > 2:  # …第024站(贵州省民政培训中心)(整改期三个月): both are notes
        return rest, None, f"{inner}；{note}"
    return name, None, note


_KIND_NOTES = frozenset(LISTED_KIND_WORDS)

# 'X鉴定所——Y公司', 'X鉴定站／Y公司': the host written after a dash or a slash (a whole
# institution's name before it)
_DASHES = ("—", "－", "–", "--", "／", "/")
_DASH_HOST_RE = re.compile(
    r"^(?P<name>[^—－–／/]{4,60}?)\s*(?:——|—|－|–|--|／|/)\s*(?P<host>[^—－–／/]{2,60})$"
)


# 'X鉴定所依托单位：Y' (the space between them lost): the host after its label
_LABELLED_HOST_AFTER_RE = re.compile(
    rf"^(?P<name>.{{4,60}}?){HOST_WORDS_RE}?单位[:：]\s*(?P<host>[^:：]{{2,60}})$"
)


def _labelled_host_after(piece: str) -> tuple[str, str | None, str | None] | None:
    m = _LABELLED_HOST_AFTER_RE.match(piece) if "单位" in piece else None
    if m is None or not looks_like_name(m.group("name")):
        return None
    if not m.group("host").endswith(ORGANISATION_SUFFIXES):
        return None
    return m.group("name"), m.group("host").strip(), None


def labelled_host(cell: str) -> str | None:
    """The host a cell names with its label (依托单位：Y, 承建单位:Y), else None."""
    return _host(cell) if "单位" in cell and (":" in cell or "：" in cell) else None


def _dash_host(piece: str) -> tuple[str, str | None, str | None] | None:
    m = _DASH_HOST_RE.match(piece) if any(dash in piece for dash in _DASHES) else None
    if m is None or not INSTITUTION_END_RE.search(m.group("name")):
        return None
    host = m.group("host").strip()
    slashed = "/" in piece or "／" in piece
    if not host.endswith(ORGANISATION_SUFFIXES) or (slashed and looks_like_name(host)):
        return None  # (X鉴定所/Y鉴定站: two institutions a slash separates)
    return m.group("name").strip(), _host(host) or host, None  # (X所——依托Y: Y)


_SUFFIX_ANYWHERE_RE = re.compile("(?:" + "|".join(map(re.escape, INSTITUTION_SUFFIXES)) + ")")


def split_glued_names(text: str) -> list[str]:
    """Names that lost the space between them (a matrix cell: 'A电力职业技能鉴定站B电力技工学校鉴定站'):
    cut after an institution's suffix where a whole name follows (one that opens as a name does);
    else the text as one name."""
    cuts, pos = [], 0
    for m in _SUFFIX_ANYWHERE_RE.finditer(text):
        rest = text[m.end() :]
        if m.end() - pos >= 6 and len(rest) >= 6 and not rest.startswith((*WRAPPED_TAIL_OPENINGS, "(", "（")):
            cuts.append(m.end())
            pos = m.end()
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    if len(pieces) < 2 or not all(looks_like_name(p) for p in pieces):
        return [text]
    return pieces


def _host(inner: str) -> str | None:
    """The host a parenthetical names (X承建, 承建单位：X, 依托X), else None."""
    m = _HOST_RE.match(inner)
    host = (m.group("host") or m.group("host2") or m.group("host3")).strip() if m else None
    # (依托单位申请撤销, 承建单位已撤并: what the host did, a note, not who it is)
    if host is not None and (cell_labels(host) or _says_a_note(host)) and not fills_name_position(host):
        return None
    return host


def _is_place(text: str) -> bool:
    """A place name, perhaps without its 市/县/区 (江阴 for 江阴市)."""
    if not 2 <= len(text) <= 8:
        return False
    return REGIONS.match_place(text) == text or any(
        REGIONS.match_place(text + tail) == text + tail for tail in ("市", "县", "区")
    )


def _balanced_tail(piece: str) -> tuple[str, str] | None:
    """(name, inner) of the parenthetical that closes `piece`, nested brackets included:
    'X鉴定所(遵义铁合金(集团)有限责任公司承建)' -> ('X鉴定所', '遵义铁合金(集团)有限责任公司承建')."""
    depth = 0
    for i in range(len(piece) - 1, -1, -1):
        char = piece[i]
        if char in ")）":
            depth += 1
        elif char in "(（":
            depth -= 1
            if depth == 0:
                inner = piece[i + 1 : -1]
                return (piece[:i], inner) if i > 0 and 1 <= len(inner) <= 40 else None
    return None


AND_RE = re.compile(r"以及|[和及与]")  # (between two names)


def and_split(piece: str) -> list[str]:
    """'A和B' as two names when both sides are (the last two of an enumeration: …、A和B; a station's
    number alone, 第052站和第058站, is one)."""
    if "和" not in piece and "及" not in piece and "与" not in piece:
        return [piece]  # (cheap: most pieces hold none)
    parts = AND_RE.split(piece)
    names = [split_parenthetical(p)[0] for p in parts]
    whole = len(parts) == 2 and all(looks_like_name(n) or SHORT_ORDINAL_RE.fullmatch(n) for n in names)
    # (since 2020 bodies: two organisations each named from its place, X培训学校和Y科技有限公司)
    bodies = len(parts) == 2 and all(
        n.endswith(ORGANISATION_SUFFIXES) and REGIONS.starts_with_place(n) and len(n) >= 6 for n in names
    )
    return list(parts) if whole or bodies else [piece]


@lru_cache(maxsize=16384)
def looks_like_name(name: str) -> bool:
    """An institution's name: ends with an institution suffix (maybe before a parenthetical), or
    is a numbered station (民政行业职业技能鉴定第014站)."""
    if not 4 <= len(name) <= 60 or (name[:1] == "(" and ")" not in name):
        return False  # (a bracket never closed opens no name: (省直属鉴定所及…, a table's subtitle)
    if (
        not name.endswith(INSTITUTION_SUFFIXES)
        and not (name.endswith(")") and _TRAILING_PAREN_RE.sub("", name).endswith(INSTITUTION_SUFFIXES))
        and not _NUMBERED_STATION_RE.search(name)
    ):
        return False
    if "的" in name and _DESCRIBED_KIND_RE.search(name):
        return False  # (停止鉴定业务的鉴定站: a kind described, no name)
    return not (_GENERIC_NAME_RE.match(name) and not REGIONS.starts_with_place(name)) and not (
        _NOT_IN_NAME_RE.search(name)
    )


# a kind described by a clause before it (评估优秀的鉴定站, 停止鉴定业务的鉴定站)
_DESCRIBED_KIND_RE = re.compile(
    r"的(?:职业技能)?(?:鉴定所|鉴定站|鉴定所\(站\)|鉴定机构|评价机构|评价组织|机构|单位)$"
)


@lru_cache(maxsize=16384)
def fills_name_position(name: str) -> bool:
    """Whether `name` can be what fills the name position of a graded list or table: an
    organisation's name (成都某某家政服务有限公司, 民政行业职业技能鉴定第014站), not a sentence."""
    if looks_like_name(name):
        return True
    if not 4 <= len(name) <= 60 or _NOT_IN_ORG_RE.search(name):
        return False
    bare = _TRAILING_PAREN_RE.sub("", name) if name.endswith(")") else name
    if bare.endswith(ISSUER_NOUNS) or ("的" in bare and _DESCRIBED_KIND_RE.search(bare)):
        return False  # the issuing department (a signature line), or a kind described: no evaluated body
    return bare.endswith(ORGANISATION_SUFFIXES) and not _GENERIC_NAME_RE.match(bare)


def name_parts(cell: str, by_position: bool = False) -> tuple[str, str | None, str | None, int | None] | None:
    """(name, host, note, ordinal) when a cell (spaces removed) names an institution, else None.
    With `by_position` the cell stands where a graded list or table puts names."""
    name, host, note = split_parenthetical(cell)
    test = fills_name_position if by_position else looks_like_name
    # (where a list puts names, a station's number alone is one: 第3站、第4站, given its prefix later)
    named = test(name) or (by_position and SHORT_ORDINAL_RE.match(name) is not None)
    return (name, host, note, ordinal(name)) if named else None


DASH_RE = re.compile(r"\s*[-—－–]{1,3}\s*")


def dash_remark_as_note(piece: str) -> str | None:
    """An item whose remark follows a dash and is no grade of its own (X站(Y公司)——依托单位申请撤销):
    the remark as a bracketed note, so the item takes its heading's grade; None for no such item."""
    dash = DASH_RE.search(piece)
    if dash is None or not name_parts(piece[: dash.start()], by_position=True):
        return None
    remark = piece[dash.end() :]
    return f"{piece[: dash.start()]}({remark})" if remark and "(" not in remark else None
