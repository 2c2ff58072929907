"""Notice metadata: title, document number, dates, issuer and evaluation year."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

from ..numerals import cn_number
from ..regions import REGIONS, Region
from ..vocabulary import ISSUER_NOUNS, ISSUER_SHORT_FORMS, REPORTING_VERBS
from .document import Document

_DOC_TYPES = r"(?:通报|通知|公告|公示|决定|情况|结果|报告|函|意见)"
_TOPIC_RE = re.compile(r"鉴定|评价机构|年检|评估|检查|督导")
_TITLE_END_RE = re.compile(_DOC_TYPES + r"$")
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{2,12}?)\s*(?P<open>[\[〔【(（])\s*(?P<year>(?:19|20)\d{2})\s*[\]〕】)）]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
_REFERENCE_BEFORE_RE = re.compile(r"(?:》|根据|按照|依据|参照|依照|文件)\s*[(（]?\s*$")
_ORG_SUFFIX_RE = re.compile(r"(?:厅|局|部|司|委员会|委|办公室|办公厅|中心|政府|协会|联合会|总公司|集团)$")
_BREADCRUMB_RE = re.compile(r"[»›>】|\t]")  # (and a label cell before a tab: 名称\tX关于…)
_ORG_ABOUT_RE = re.compile(r"(?P<org>[^，。：:,]{4,40}?)关于.*" + _DOC_TYPES + "$")
REPORTED_ISSUER_RE = re.compile(
    "(?P<noun>" + "|".join(n for n in ISSUER_NOUNS if len(n) > 3) + ")(?=" + "|".join(REPORTING_VERBS) + ")"
)
_CN_YEAR = "[〇零○O0一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]"
DATE_RES = (
    ("cjk", re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    (
        "cjk",
        re.compile(
            rf"(?P<y>{_CN_YEAR}{{4}})\s*年\s*(?P<m>{_CN_SMALL}{{1,2}})\s*月\s*(?P<d>{_CN_SMALL}{{1,3}})\s*日"
        ),
    ),
    ("iso", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})(?!\d)")),
)
# a title or a letterhead glued before the number (X厅文件湘劳社函〔2008〕41号)
_TITLE_IN_PREFIX_RE = re.compile(r"^.*?(?:的通报|的通知|的决定|的公告|关于|文件)")
_PROSE_PUNCT_RE = re.compile(r"[,，。:：]")
_SENTENCE_PUNCT_RE = re.compile(r"[。,，;；]")
# a 4-digit year and a separator, as every iso date has (\d{4}[.\-/], written to start with the
# separator: a scan for a character class is several times faster than one for a digit run)
_ISO_HINT_RE = re.compile(r"[.\-/](?<=\d{4}.)")
_YEAR_CHAR_RE = re.compile("年")
# after a page's date: its time, or the weekday a newspaper's page header gives (2006年1月12日星期四)
_TIME_AFTER_RE = re.compile(r"^\s*(?:\d{1,2}:\d{2}|星期|周[一二三四五六日])")
_PAGE_DATE_HINT_RE = re.compile(r"发布\s*(?:时间|日期)|日\s*期|时\s*间|来\s*源")
# the fields of a page header: 湖北日报数字报 > 2013年03月19日 > 第05版
_FIELD_SEPARATOR_RE = re.compile(r"[>»›|\t【】]")
_PAGE_HEAD_LINES = 12  # a page date is in the head: these first lines, or before the first paragraph


_PLACEHOLDER_DATES = {dt.date(1970, 1, 1), dt.date(1900, 1, 1)}  # a CMS's empty date, not a date


def _to_date(m: re.Match[str]) -> dt.date | None:
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    year, month, day = cn_number(y), cn_number(mo), cn_number(d)
    if year is None or month is None or day is None:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return None if date in _PLACEHOLDER_DATES else date


def is_date_line(line: str) -> bool:
    """Whether a line holds one date and nothing else (a signature's date)."""
    dates = find_dates(line)
    return len(dates) == 1 and not (line[: dates[0][2].start()] + line[dates[0][2].end() :]).strip()


@lru_cache(maxsize=8192)
def find_dates(line: str) -> tuple[tuple[str, dt.date, re.Match[str]], ...]:
    """Every date in a line, in order: (cjk / iso, date, match). Cached: do not modify."""
    cjk = "年" in line and "日" in line  # a cjk date has 年 and ends with 日
    iso = _ISO_HINT_RE.search(line) is not None
    if not cjk and not iso:
        return ()  # cheap guard: no date pattern can match
    found = []
    for kind, pattern in (DATE_RES if iso else DATE_RES[:2]) if cjk else DATE_RES[2:]:
        for m in pattern.finditer(line):
            date = _to_date(m)
            if date:
                found.append((kind, date, m))
    return tuple(sorted(found, key=lambda f: f[2].start()))


# a report's account of the notice it reports on:
# 印发《关于2021年度…质量督导情况的通报》(桂人社函〔2022〕58号)
_REPORTED_NOTICE_RE = re.compile(
    r"(?:印发|下发|公布|发布|出台)了?《(?P<title>[^《》]{4,80}?(?:结果|情况)[^《》]{0,6}?"
    + _DOC_TYPES
    + r")》\s*[(（]"
)


def find_doc_number(doc: Document) -> str | None:
    """The notice's own document number: the first one that is not a reference to another document;
    in a report with none of its own, that of the results notice it says was issued."""
    return _own_doc_number(doc) or _reported_doc_number(doc)


def _reported_doc_number(doc: Document) -> str | None:
    for number in sorted(doc.lines_matching(_REPORTED_NOTICE_RE)):
        line = doc.lines[number - 1]
        for cited in _REPORTED_NOTICE_RE.finditer(line):
            if (m := DOC_NUMBER_RE.match(line, cited.end())) and _TOPIC_RE.search(cited.group("title")):
                return m.group().replace(" ", "")
    return None


def _own_doc_number(doc: Document) -> str | None:
    for _, line in doc.nonblank():
        if "号" not in line:
            continue  # cheap guard: DOC_NUMBER_RE ends with 号
        for m in DOC_NUMBER_RE.finditer(line):
            if _REFERENCE_BEFORE_RE.search(line[: m.start()]):
                continue
            prefix = _TITLE_IN_PREFIX_RE.sub("", m.group("prefix"))
            if len(prefix) < 2:
                continue
            return line[m.start("prefix") + (len(m.group("prefix")) - len(prefix)) : m.end()].replace(" ", "")
    return None


def doc_number_year(doc_number: str) -> int | None:
    """The year in a document number's brackets: 甘人社通〔2011〕67号 -> 2011."""
    m = DOC_NUMBER_RE.search(doc_number)
    return int(m.group("year")) if m else None


def find_title(doc: Document) -> tuple[str | None, int | None]:
    """The title: an early line naming a notice type and the topic; a title split over two lines is
    joined. One of the first three lines may be the title without a notice type (a news headline),
    unless a later line names one (a site's name above the notice: X职业技能鉴定指导中心)."""
    head = doc.nonblank()[:15]
    untyped: tuple[str, int] | None = None
    for i, (number, line) in enumerate(head):
        if untyped and len(line) >= 40 and len(_SENTENCE_PUNCT_RE.findall(line)) >= 2:
            break  # (the text has begun: a line further down is a link to another page)
        if len(line) > 90 or "。" in line:
            continue
        candidate = line
        # a title wrapped over two lines: '甘肃省人力资源和社会保障厅关于公布2013' + '年度…的通知'
        if "关于" in line and not _TITLE_END_RE.search(line) and i + 1 < len(head):
            nxt = head[i + 1][1]
            if _TITLE_END_RE.search(nxt) and len(nxt) < 60:
                candidate = line + nxt
        candidate = DOC_NUMBER_RE.sub("", candidate).strip(" ()（）")
        if (
            _TOPIC_RE.search(candidate)
            and (re.search(_DOC_TYPES, candidate) or i < 3)
            and len(candidate) >= 8
            and not any(pattern.search(candidate[:16]) for _, pattern in DATE_RES)
            and "来源" not in candidate  # a page's byline: 发布时间… 信息来源:…鉴定指导中心
            and candidate.count("|") < 2  # a navigation bar: 首页 | 新闻中心 | 职业技能鉴定 | …
            and not candidate.startswith(("各", "根据"))
        ):
            if re.search(_DOC_TYPES, candidate):
                return candidate, number
            untyped = untyped or (candidate, number)
    return untyped or (None, None)


def _dateline(line: str, m: re.Match[str]) -> bool:
    """A news page's date line: the date first, then a short byline (`2010年06月11日 酒泉新闻网`,
    `2014-06-09 作者:办公室`), not a sentence; or the date a field of its own in a page header."""
    rest = line[m.end() :]
    if m.start() == 0 and len(rest.strip()) <= 30 and not _SENTENCE_PUNCT_RE.search(rest):
        return True
    before, after = line[: m.start()].rstrip(), rest.lstrip()
    return (not before or _FIELD_SEPARATOR_RE.match(before[-1])) and (
        not after or bool(_FIELD_SEPARATOR_RE.match(after[0]))
    )


def _head_end(doc: Document) -> int:
    """The last line of the page's head: the first paragraph of prose ends it (a news page's
    header, menus above it, can run past the first dozen lines)."""
    for number, line in doc.nonblank()[:60]:
        if len(line) >= 40 and len(_SENTENCE_PUNCT_RE.findall(line)) >= 2:
            return max(number - 1, _PAGE_HEAD_LINES)
    return _PAGE_HEAD_LINES


def find_publish_date(doc: Document) -> dt.date | None:
    """Signature date (a line holding only a date, maybe after the issuer); else the page's date."""
    signature: list[dt.date] = []
    page: list[dt.date] = []
    iso_lines = doc.lines_matching(_ISO_HINT_RE)
    head_end = _head_end(doc)
    for number, line in doc.nonblank():
        if "日" not in line and number not in iso_lines:
            continue  # no date (find_dates' own guard, without a cache lookup)
        for kind, date, m in find_dates(line):
            rest = (line[: m.start()] + line[m.end() :]).strip()
            if "印发" in rest or "截" in line[: m.start()]:
                continue
            only_date = not rest or (
                _ORG_SUFFIX_RE.search(line[: m.start()].strip()) and not line[m.end() :].strip()
            )
            if kind == "cjk" and only_date:
                signature.append(date)
            elif number <= head_end and (
                only_date
                or _TIME_AFTER_RE.match(line[m.end() :])
                or _PAGE_DATE_HINT_RE.search(line)
                or _dateline(line, m)
            ):
                page.append(date)
    if signature:
        return signature[-1]
    return page[0] if page else None


def _org_text(text: str) -> str:
    """Text that may name the issuer, trimmed; digits glued in front go (no body's name starts with
    one: 3江西省人力资源和社会保障厅), and so does a page's breadcrumb trail before it
    (…鉴定政策与通知 › 【转帖】省人社厅)."""
    text = _BREADCRUMB_RE.split(text)[-1]
    return text.strip().lstrip("0123456789")


def _is_org(text: str, longest: int = 40) -> bool:
    fits = 4 <= len(text) <= longest
    return fits and bool(_ORG_SUFFIX_RE.search(text)) and not _PROSE_PUNCT_RE.search(text)


def find_issuer(
    doc: Document, title: str | None, title_line: int | None, publish_date: dt.date | None
) -> str | None:
    """The issuing body, from the first source that names one: the title's own prefix (…局关于…),
    the letterhead or heading line above the title, the imprint line, the signature above the date,
    else the body a news report names as the source (记者从X获悉, X近日印发). A signature that names
    one of the head's bodies (X…技能鉴定与教育培训中心 under the site title X) is the issuer."""
    if title and "关于" in title and _is_org(prefix := _org_text(title.split("关于", 1)[0]), 60):
        return _signed_in_full(doc, prefix, publish_date) or prefix
    head = _head_issuer(doc, title_line)
    signed = _signature_issuer(doc, publish_date) if head else None
    if head and signed and signed.startswith(head):  # (its general office signs for it: the head)
        return head if signed[len(head) :] in ("", "办公室", "办公厅") else signed
    if head and signed and not _is_letterhead(doc, head):
        return signed  # the line above the title is the site's name (X职业技能鉴定指导中心), not who signs
    return head or _imprint_issuer(doc) or _signature_issuer(doc, publish_date) or _reported_issuer(doc)


def _is_letterhead(doc: Document, org: str) -> bool:
    """Whether `org` heads the notice as its letterhead (X文件)."""
    return any(line.endswith("文件") and org in line for _, line in doc.nonblank()[:15])


def _signed_in_full(doc: Document, prefix: str, publish_date: dt.date | None) -> str | None:
    """The signature, when it writes out with its place the body the title names without one
    (省人力资源社会保障厅 signed 贵州省人力资源和社会保障厅: its 和 aside, the same body)."""
    lead = next((lead for lead in _UNNAMED_LEADS if prefix.startswith(lead)), None)
    if lead is None:
        return None
    signed = _signature_issuer(doc, publish_date)
    rest = prefix[len(lead) :].replace("和", "")
    if signed and len(signed) > len(prefix) and signed.replace("和", "").endswith(lead + rest):
        return signed
    return None


def _head_issuer(doc: Document, title_line: int | None) -> str | None:
    """An organisation heading the notice: its letterhead (X文件), the line just above the title, or
    an early line `X关于…` that the title pick passed over (a forum post quoting the notice)."""
    head = doc.nonblank()[:15]
    for i, (number, line) in enumerate(head):
        if title_line is not None and number > title_line:
            break
        org = _org_text(line.removesuffix("文件").split("\t", 1)[0])  # (a site header's first cell)
        if (line.endswith("文件") or (i + 1 < len(head) and head[i + 1][0] == title_line)) and _is_org(org):
            return org
    for _, line in head:
        m = _ORG_ABOUT_RE.match(line)
        if m and _is_org(org := _org_text(m.group("org"))):
            return org
    return None


def _imprint_issuer(doc: Document) -> str | None:
    """The imprint line (X办公室 2010年3月10日印发): the general office prints for its department X."""
    for _, line in doc.nonblank()[-12:]:
        if line.endswith("印发") and (dates := find_dates(line)):
            office = _org_text(line[: dates[0][2].start()])
            if office.endswith(("办公室", "办公厅")) and _is_org(department := office[:-3]):
                return department
    return None


def _signature_issuer(doc: Document, publish_date: dt.date | None) -> str | None:
    """The organisation on the line of the publish date, or on the line above it."""
    lines = doc.nonblank()
    iso_lines = doc.lines_matching(_ISO_HINT_RE)
    for i, (number, line) in enumerate(lines):
        if "日" not in line and number not in iso_lines:
            continue  # no date (find_dates' own guard, without a cache lookup)
        dates = find_dates(line)
        if not dates or not publish_date or dates[0][1] != publish_date:
            continue
        before = _org_text(line[: dates[0][2].start()])
        if _ORG_SUFFIX_RE.search(before) and len(before) <= 40:
            return before
        if i > 0 and _is_org(prev := _org_text(lines[i - 1][1])):
            return prev
    return None


def _reported_issuer(doc: Document) -> str | None:
    """A news report's source: the first issuing department named with its place and followed by a
    reporting verb (记者从山东省人力资源和社会保障厅获悉)."""
    for _, line in doc.nonblank()[:20]:
        for m in REPORTED_ISSUER_RE.finditer(line):
            start = m.start()
            for offset in range(max(0, start - 10), start):
                place = REGIONS.match_place(line[offset:start])
                if place and offset + len(place) == start:
                    return line[offset : m.end("noun")]
    return None


# an issuer named without its place (省人社厅, 市人力资源和社会保障局): the level of the region it is
_UNNAMED_LEADS = {"省": "province", "自治区": "province", "市": "prefecture", "州": "prefecture"}


def full_issuer_name(issuer: str | None, region: Region | None) -> str | None:
    """The issuer as written out in full: a short form (省人社厅) takes the region's name and its
    department's full name (湖南省人力资源和社会保障厅)."""
    if not issuer:
        return issuer
    for short, full in ISSUER_SHORT_FORMS.items():
        if issuer.endswith(short):
            issuer = issuer[: -len(short)] + full
            break
    for lead, level in _UNNAMED_LEADS.items():
        if issuer.startswith(lead) and region is not None and region.level == level:
            return region.name + issuer[len(lead) :]
    return issuer


_YEAR_DU_RE = re.compile(r"((?:19|20)\d{2})\s*年度")
_INSPECTION_RE = re.compile(r"年检|检查|评估|督导|考核|评审|年审")
_INSPECTED_IN_RE = re.compile(
    r"(?:于|在)?((?:19|20)\d{2})\s*年(?:\d{1,2}(?:-\d{1,2})?月)?[^。；;]{0,40}?(?:进行|开展|组织)[^。；;]{0,10}?(?:年检|检查|评估|督导|年审)"
)
# the notice that launched this inspection, cited by title (按照《关于开展2006年度全省…年检工作的通知》)
_LAUNCHING_NOTICE_RE = re.compile(
    r"《关于(?:开展|做好|组织|进行)((?:19|20)\d{2})\s*年度[^》]{0,30}?(?:年检|检查|评估|督导|年审)[^》]{0,12}》"
)
# a year of the text ("2013年"), not a 年度: shared with volumes.py
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?!度)")
_BOOK_TITLE_RE = re.compile(r"《[^》]*》")


def _strip_references(text: str) -> str:
    if "《" in text:  # only up to the last 》: an unclosed 《 never scans the rest of the text
        cut = text.rfind("》") + 1
        text = _BOOK_TITLE_RE.sub("", text[:cut]) + text[cut:]
    return DOC_NUMBER_RE.sub("", text) if "号" in text else text


def notice_years(title: str | None, evaluation_year: int | None) -> frozenset[int]:
    """The years a notice is about: its evaluation year and those its title names (2009—2010年度)."""
    named = {int(y) for y in _TITLE_YEAR_RE.findall(title or "")}
    return frozenset(named | ({evaluation_year} if evaluation_year else set()))


_TITLE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def find_evaluation_year(doc: Document, title: str | None, publish_date: dt.date | None) -> int | None:
    """The 年度 the notice names; else the year the inspection took place; else the year of issue."""
    if title and (m := _YEAR_DU_RE.search(_strip_references(title))):
        return int(m.group(1))
    for sentence in doc.sentences_matching(_LAUNCHING_NOTICE_RE):
        return int(_LAUNCHING_NOTICE_RE.search(sentence.text).group(1))  # type: ignore[union-attr]
    # every pattern below needs 年, and stripping references never adds one
    sentences = [_strip_references(s.text) for s in doc.sentences_matching(_YEAR_CHAR_RE)]
    for sentence in sentences:
        if _INSPECTION_RE.search(sentence) and (m := _YEAR_DU_RE.search(sentence)):
            return int(m.group(1))
    for sentence in sentences:
        if m := _INSPECTED_IN_RE.search(sentence):
            return int(m.group(1))
    years = Counter(
        int(m.group(1))
        for sentence in sentences
        for m in YEAR_RE.finditer(sentence)
        if not any(d[2].start() <= m.start() < d[2].end() for d in find_dates(sentence))
    )
    if publish_date:
        years = Counter({y: n for y, n in years.items() if y <= publish_date.year})
    if years:
        return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return publish_date.year if publish_date else None
