"""Step 2, normalized: decoded text -> clean simplified-script text, one notice line per line.

Lines are never removed, only blanked, so that line N of the normalized text is line N of the raw
text file (for HTML, line N of the page's text): every extracted row can point at its line.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import opencc

from ..budget import BudgetExceeded, notice_budget, over_budget_reason
from ..ingest import CJK_RE, source_file
from ..vocabulary import (
    GRADE_LABEL_RE,
    RATING_LABEL_RE,
    RATING_TIERS,
    STAR_RATING_NAMES,
    WRAPPED_TAIL_OPENINGS,
)
from . import html_text, text_tables
from .noise import (
    ASCII_RUN_RE,
    CIRCLED_NUMBER_RE,
    EDGE_JUNK_TOKEN_RE,
    IMAGE_LINE_RE,
    JUNK_MAX_TOKEN_LEN,
    JUNK_MIN_TOKENS,
    KEEP_TAIL_RE,
    LETTER_RE,
    NOISE_HINT_RE,
    PINYIN_ANNOTATION_RE,
    PUNCT_RE,
    chrome_date_part,
    is_chrome_line,
    is_pipe_list_line,
    is_pipe_table_row,
)

if TYPE_CHECKING:  # worker processes import this module: Arrow is loaded only where tables are
    import pyarrow as pa

# Full-width ASCII forms -> ASCII; ideographic space, NBSP and other odd spaces -> space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None, 0xFEFF: None}
)
# a table drawn with box characters (│ ├──┼──┤) reads as a pipe table: lines and junctions that
# cross or end a row become |, horizontal lines -; so a rule line is |---|---| (page furniture)
_BOX_VERTICAL = "│┃┆┇┊┋║╎╏"
_BOX_HORIZONTAL = "─━┄┅┈┉═╌╍"
_WIDTH.update({ord(c): ord("|") for c in _BOX_VERTICAL})
_WIDTH.update({ord(c): ord("-") for c in _BOX_HORIZONTAL})
_WIDTH.update(
    {cp: ord("|") for cp in range(0x250C, 0x254C) if chr(cp) not in _BOX_VERTICAL + _BOX_HORIZONTAL}
)
_WIDTH.update({cp: ord("|") for cp in range(0x2552, 0x256D)})


# Invisible characters (issue 12): format characters (Cf: zero-width joiners, bidi controls, soft
# hyphen, word joiner, tags …) are removed, so 甘肃省第一\u200d国家职业技能鉴定所 is the same name (and
# key) as without them, and so are control characters (Cc: NUL, form feed, DEL, C1 …) but tab and
# newline, which are structure (a space in their place would split 第2\x00国家 into 第2 国家).
# Only characters outside ASCII, CJK and full-width forms (which hold no Cf or Cc) are looked up.
_UNCOMMON_RE = re.compile(r"[^\t\n\x20-\x7e\u3000-\u9fff\uff00-\uffef]")
# the same table by character: one str.replace per character present beats str.translate on CJK text
_WIDTH_CHARS = {chr(k): "" if v is None else chr(v) for k, v in _WIDTH.items()}
_WIDTH_RE = re.compile("[" + "".join(sorted(_WIDTH_CHARS)) + "]")
# a tab is a cell boundary (two tabs: an empty cell between them); a run of spaces is one boundary
_SPACES_RE = re.compile(r" *\t *| {2,}")
# a lone space inside Chinese text is layout, not content: 鉴定所 (天水…承建), 整改单位 :4所
# (the space comes first, the lookbehinds after it: the engine then skips from space to space)
_SPACE_BETWEEN_CJK_RE = re.compile(
    r" (?:(?<=[\u4e00-\u9fff)] )(?=[\u4e00-\u9fff(:])|(?<=[:(] )(?=[\u4e00-\u9fff\d]))"
)
# a list line's own grade after a gap (1.X鉴定所(Y学院)　良好; X公司　A, a rating or its tier letter):
# the gap is a cell break, not the spacing between two characters of one word that the line below
# removes
_GRADE_AFTER_GAP_RE = re.compile(
    r"(?<=[\u4e00-\u9fff)]) +(?=(?:" + GRADE_LABEL_RE.pattern + "|" + RATING_LABEL_RE.pattern + r")$)", re.M
)
# a unified social credit code (统一社会信用代码, 18 characters) set apart from the name before it by one
# space: a cell of its own
_CODE_AFTER_GAP_RE = re.compile(r" (?<=[\u4e00-\u9fff)] )(?=[0-9A-Z]{2}\d{6}[0-9A-Z]{10}(?:[\t ]|$))", re.M)
# a tier letter alone (X公司（贵阳市）　A) only ends a numbered row so (not 某某大厦 A, an address)
_NUMBERED_ROW_RE = re.compile(r"\d{1,4}\s*[.、)]|[(]\d{1,4}[)]")
# a line of whole names, each set apart by one space (X鉴定所　Y鉴定站　Z有限公司): the spaces are gaps
# between names, cell breaks, not the spacing between two characters of a word that is removed below
_NAME_ENDS = ("鉴定所", "鉴定站", "鉴定中心", "有限公司", "学院", "学校")
_MIN_NAME = 6
# a dot leader between an item and its grade (X鉴定所(Y承建)…………优秀): a gap, a cell break; a short
# one (……) only before a grade word, which may have its remark after it (……限期整改(整改期三个月))
_DOT_LEADER_RE = re.compile(
    r"(?<=[^\s….·・])(?:[….·・]{3,}+(?=[^….·・\n]{1,10}$)"
    rf"|[….·・]{{2,}}+(?=(?:{GRADE_LABEL_RE.pattern})[^….·・\n]{{0,20}}$))",
    re.M,
)
_CLOSERS = {")": "(", "]": "["}
_ROW_START_RE = re.compile(r"\d{1,4}[ \t]+[\u4e00-\u9fff]")
_CELL_SPLIT_RE = re.compile(r"[ \t]")
_CODED_CELL_RE = re.compile(r"\d{1,6} [^ \t]+")
_PROSE_PUNCT_RE = re.compile(r"[。,，;；:：、]")
# strip_junk can only change a line holding three short ASCII tokens in a row (a cheap guard)
_JUNK_CANDIDATE_RE = re.compile(r"(?<![!-~])[!-~]{1,3} +[!-~]{1,3} +[!-~]{1,3}(?![!-~])")
# a necessary condition for it that the engine finds fast: it starts with a literal, so the engine
# jumps from space to space (the lookbehind comes after the first space, as in PINYIN_ANNOTATION_RE)
_JUNK_HINT_RE = re.compile(r" (?<=[!-~] ) *[!-~]{1,3} +[!-~]")


@dataclass
class NormalizedText:
    text: str
    script: str  # traditional / simplified
    pinyin_annotations_removed: int = 0
    lines_blanked: int = 0

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# One character of each phrase of OpenCC's t2s dictionary (TSPhrases, OpenCC 1.4.2) that t2s changes
# although it leaves each of the phrase's characters alone (沈默 -> 沉默, 反覆 -> 反复, 瞭解 -> 了解,
# 一坏 -> 一坯, 英哩 -> 英里, 衹得 -> 只得, 甦醒 -> 苏醒, 藉口 -> 借口: 110 phrases, found by dumping the
# dictionaries with OpenCC's opencc_dict tool). Only valid for the OpenCC version named.
_T2S_PHRASE_CHARS = ("1.4.2", "沈覆藉坏瞭哩甦衹")


@lru_cache(maxsize=1)
def _t2s_trigger_re() -> re.Pattern[str] | None:
    """A character class of every character whose presence can make t2s change a text (None: any).

    The characters t2s changes on their own are found by converting every code point once, at first
    use (~0.2 s): a newline between them keeps them apart, as no dictionary entry holds a newline.
    Then, for text holding none of them, t2s can only change a dictionary phrase made of characters
    it leaves alone, and each such phrase holds one of _T2S_PHRASE_CHARS. Surrogates are in the class
    too, because convert raises on them. Astral characters are all in it: a class of single
    characters above U+FFFF makes the regex engine test them one by one."""
    version, phrase_chars = _T2S_PHRASE_CHARS
    if getattr(opencc, "__version__", None) != version:
        return None
    code_points = [cp for cp in range(0x10000) if cp != 0x0A and not 0xD800 <= cp <= 0xDFFF]
    converted = _t2s().convert("\n".join(map(chr, code_points))).split("\n")
    if len(converted) != len(code_points):
        return None
    changed = {chr(cp) for cp, new in zip(code_points, converted, strict=True) if new != chr(cp)}
    changed |= set(phrase_chars)
    ranges: list[list[int]] = []  # the class as ranges of consecutive code points (a shorter pattern)
    for cp in sorted(map(ord, changed)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    members = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return re.compile(f"[{members}\\ud800-\\udfff\\U00010000-\\U0010ffff]")


def _t2s_may_change(text: str) -> bool:
    """False only when OpenCC's t2s is certain to return `text` unchanged (a quick exact test)."""
    trigger = _t2s_trigger_re()
    return trigger is None or trigger.search(text) is not None


@lru_cache(maxsize=4096)
def _invisible(char: str) -> bool:
    """Whether strip_invisible removes `char`: a format or control character."""
    return unicodedata.category(char) in ("Cf", "Cc")


def strip_invisible(text: str) -> str:
    """`text` without format characters (Cf) and control characters (Cc) but tab and newline."""
    for char in set(_UNCOMMON_RE.findall(text)):
        if _invisible(char):
            text = text.replace(char, "")
    return text


def to_half_width(text: str) -> str:
    """Full-width ASCII forms -> ASCII, odd spaces -> space, zero-width characters removed."""
    m = _WIDTH_RE.search(text)
    while m:  # one replace per distinct character present; nothing before m.start() is left to map
        char = m.group()
        text = text.replace(char, _WIDTH_CHARS[char])
        m = _WIDTH_RE.search(text, m.start())
    return text


def detect_traditional(text: str, converted: str) -> bool:
    """Traditional when OpenCC changes a noticeable share of the CJK characters."""
    if text == converted:
        return False
    # quick yes: the first eighth of the text alone has changes for 2% of all its characters
    head = len(text) // 8 + 64
    if sum(map(operator.ne, text[:head], converted[:head])) >= max(3, len(text) * 0.02):
        return CJK_RE.search(text) is not None
    changed = sum(map(operator.ne, text, converted))
    if changed < 3:
        return False
    cjk = len(CJK_RE.findall(text))
    return cjk > 0 and changed >= max(3, cjk * 0.02)


def strip_junk(line: str) -> str:
    """Remove forum anti-scraping junk (`3 _8 z5 Y; Q. R!`) spliced into a line, keep item numbers
    and a pipe table's row (`|  1   | X鉴定所 |`: its bars and numbers are cells, not junk)."""
    if not (_JUNK_HINT_RE.search(line) and _JUNK_CANDIDATE_RE.search(line)) or is_pipe_table_row(line):
        return line
    # where each opener first occurs: `opener in line[: m.start()]` without a copy per run
    first = {closer: line.find(opener) for closer, opener in _CLOSERS.items()}

    def repl(m: re.Match[str]) -> str:
        run, lead = m.group(), ""
        if run.count(" ") < JUNK_MIN_TOKENS - 1:
            return run  # too few tokens to be junk
        if run[0] in _CLOSERS and 0 <= first[run[0]] < m.start():
            lead, run = run[0], run[1:]  # '…中心(站) ;j # O': the ')' closes the name, it is not junk
        tokens = run.split()
        before_text = m.end() < len(line)
        keep = (
            tokens.pop()
            if before_text
            and tokens
            and KEEP_TAIL_RE.match(tokens[-1])
            and not CIRCLED_NUMBER_RE.match(line, m.end())
            else ""
        )
        if len(tokens) < JUNK_MIN_TOKENS or not all(len(t) <= JUNK_MAX_TOKEN_LEN for t in tokens):
            return m.group()
        punctuated = sum(bool(PUNCT_RE.search(t)) for t in tokens) * 3 >= len(tokens)
        at_edge = m.start() == 0 or not before_text
        edge_junk = (
            at_edge
            and all(EDGE_JUNK_TOKEN_RE.match(t) for t in tokens)
            and any(LETTER_RE.search(t) for t in tokens)
        )
        if punctuated or edge_junk:
            # (the sentence's own comma, made half-width, glued to the junk's last token: kept)
            glued = before_text and run[-1] in _SENTENCE_MARKS and CJK_RE.match(line, m.end())
            mark = run[-1] if glued else ""
            return lead + (f" {keep}" if keep else "" if mark else " ") + mark
        return m.group()

    return ASCII_RUN_RE.sub(repl, line)


_SENTENCE_MARKS = ",;"  # (half-width by now)


def _normalize_stripped(stripped: str, line: str) -> str:
    """A line's spaces and tabs evened out (junk already stripped; _SPACE_BETWEEN_CJK_RE comes after),
    given line.strip(): a line whose spaces and tabs are all at its ends is only stripped (they become
    edge tabs, stripped at the end)."""
    return _normalize_spaced(line) if " " in stripped or "\t" in line else stripped


def _normalize_spaced(line: str) -> str:
    """_normalize_stripped for a line with a space or tab, junk already stripped, except for the removal
    of spaces between Chinese characters (_SPACE_BETWEEN_CJK_RE, which normalize_text applies to the
    whole text at once: it only ever removes an inner space, so it commutes with the final strip)."""
    line = line.strip(" ")
    if "\t" in line or "  " in line:  # then _SPACES_RE leaves a tab in it
        line = "\t".join([part.strip() for part in _SPACES_RE.sub("\t", line).split("\t")])
    else:
        line = line.strip()
    if " " in line and line[:1].isdecimal() and _ROW_START_RE.match(line):  # \d is isdecimal()
        line = _spaced_row_to_tabs(line)
    # edge tabs are empty cells of a table row (a matrix's first column); a line of tabs is blank
    return line.strip(" ") if line.strip() else ""


def _spaced_row_to_tabs(line: str) -> str:
    """A table row flattened with single spaces (`1 X鉴定所 Y学院 达标`): the spaces separate cells,
    so they become tabs. Only a numbered line of 2-8 short cells without prose punctuation or a
    cell opening with a bracket (`X鉴定所 (Y承建)` is one cell) qualifies."""
    cells = _CELL_SPLIT_RE.split(line)[1:]
    if not 2 <= len(cells) <= 8 or _PROSE_PUNCT_RE.search(line):
        return line
    if "\t" in line and all(_CODED_CELL_RE.fullmatch(c) for c in line.split("\t") if c):
        return line  # tab cells, each a code and a name: 0101 X鉴定所\t0102 Y鉴定所
    if any(not c or len(c) > 40 or c[0] in "(:" for c in cells):
        return line
    if "\t" in line and any(c.startswith(WRAPPED_TAIL_OPENINGS) for c in cells):
        return line  # a tab row whose cell holds a wrapped name (X市第十一 职业技能鉴定所: a <br>)
    return "\t".join([line.split(" ", 1)[0].split("\t", 1)[0], *cells])


def _names_apart(line: str) -> str:
    """A line of whole names set apart by single spaces, with tabs between them (else unchanged): each
    piece ends as a name does, none opens as the wrapped tail of one (职业技能鉴定站) or a row's number."""
    if "\t" in line or len(line) < 2 * _MIN_NAME:
        return line
    pieces = line.split(" ")
    whole = all(
        p[:1] > "~"  # (not a piece opening with a digit or a letter: a row's number or code)
        and len(p) >= _MIN_NAME
        and p.endswith(_NAME_ENDS)
        and not p.startswith(WRAPPED_TAIL_OPENINGS)
        for p in pieces
    )
    return "\t".join(pieces) if len(pieces) >= 2 and whole else line


def is_noise_line(line: str) -> bool:
    """Site chrome, an image file name or a pipe-separated SEO tail / navigation bar."""
    return bool(
        is_chrome_line(line)
        or ("." in line and IMAGE_LINE_RE.search(line))
        or ("|" in line and is_pipe_list_line(line))
    )


def _line_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text` holding a match of `pattern`, a pattern that can never
    match a newline nor look past one: one pass of the regex engine over the whole text instead of
    one call per line."""
    spans = []
    m = pattern.search(text)
    while m:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        spans.append((start, end))
        m = pattern.search(text, end)
    return spans


def _replace_lines(text: str, spans: list[tuple[int, int]], fn: Callable[[str], str]) -> str:
    """`text` with each line of `spans` (from _line_spans) replaced by fn(line)."""
    parts, last = [], 0
    for start, end in spans:
        parts += (text[last:start], fn(text[start:end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def normalize_text(text: str, is_html: bool = False) -> NormalizedText:
    """Decoded text (or HTML) -> simplified, de-noised text with the line structure kept.

    Each line gets strip_junk, _normalize_stripped and is_noise_line's rules, but the regexes that
    rarely match run once over the whole text, and only the lines they hit get the per-line code."""
    if is_html:
        text = html_text.html_to_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = to_half_width(text_tables.align_tables(strip_invisible(text)))
    removed = 0
    if "(" in text:
        annotations = PINYIN_ANNOTATION_RE.findall(text)
        if len(annotations) >= 3:  # a web converter's signature, not a real parenthesis
            text, removed = PINYIN_ANNOTATION_RE.subn("", text)
    traditional = False
    if _t2s_may_change(text):
        converted = _t2s().convert(text)
        traditional = detect_traditional(text, converted)
        if traditional:
            text = converted
    text = text_tables.single_spaced_tables(text)  # (its header words in simplified script)
    text = _replace_lines(text, _line_spans(_JUNK_HINT_RE, text), strip_junk)
    text = "\n".join([_normalize_stripped(line.strip(), line) for line in text.split("\n")])
    if "★" in text:  # (before the spaces are read: X公司 ★★★ is a line's own grade after a gap)
        text = _STAR_RUN_RE.sub(_star_rating, text)
    if " " in text:
        text = _spaces_read(text)
    if "……" in text or "..." in text:
        text = _DOT_LEADER_RE.sub("\t", text)
    text, blanked = _denoised(text)
    return NormalizedText(text, "traditional" if traditional else "simplified", removed, blanked)


def _spaces_read(text: str) -> str:
    """The single spaces left in `text` read: a gap between whole names, before a line's own grade
    (or a numbered row's tier letter) or before a credit code is a cell break; a space between two
    Chinese characters is spacing and goes."""
    text = "\n".join([_names_apart(line) if " " in line else line for line in text.split("\n")])
    text = _SPACE_BETWEEN_CJK_RE.sub("", _GRADE_AFTER_GAP_RE.sub("\t", text))
    text = _CODE_AFTER_GAP_RE.sub("\t", text)
    if any(f" {tier}\n" in text for tier in RATING_TIERS):
        text = "\n".join([_tier_cell(line) for line in text.split("\n")])
    return text


def _tier_cell(line: str) -> str:
    """A numbered row whose last cell, after a gap, is a tier letter (1.X公司(贵阳市) A): the gap a
    cell break."""
    head = line[:-1].rstrip(" ")
    if line[-1:] not in RATING_TIERS or len(head) == len(line) - 1 or not _NUMBERED_ROW_RE.match(head):
        return line
    return f"{head}\t{line[-1]}" if CJK_RE.match(head[-1:]) or head.endswith(")") else line


# a rating drawn in stars (★★★, ★★★☆☆), with the brackets or spaces around it, and the star rating
# word beside it if there is one (★★★★★ 五星级(8家), 五星级(★★★★★)); possessive, so linear
_STAR_RUN_RE = re.compile(
    r"(?P<before>(?:" + "|".join(STAR_RATING_NAMES) + r")?+)(?P<open>[ \t(（]*+)"
    r"(?P<stars>(?<![★☆])★{1,5}+☆{0,4}+)(?![★☆])(?P<close>[ )）]*+)"
    r"(?P<after>(?:" + "|".join(STAR_RATING_NAMES) + r")?+)"
)


def _star_rating(m: re.Match[str]) -> str:
    """A rating drawn in stars read as the star rating it draws (★★★ -> 三星级); beside that word
    already, the stars go (★★★★★ 五星级 -> 五星级)."""
    if len(m.group("stars")) > len(STAR_RATING_NAMES):
        return m.group()  # (more than five glyphs: no rating)
    name = STAR_RATING_NAMES[m.group("stars").count("★") - 1]
    if m.group("before") == name:
        return m.group("before") + m.group("close").removeprefix(")").removeprefix("）") + m.group("after")
    if m.group("after") == name:
        return m.group("before") + m.group("open").rstrip("(（") + m.group("after")
    if name == STAR_RATING_NAMES[0] and not _whole_cell(m):
        return m.group()  # (one star alone in a line: a bullet)
    return m.group("before") + m.group("open") + name + m.group("close") + m.group("after")


def _whole_cell(m: re.Match[str]) -> bool:
    """Whether the stars of `m` fill a table cell of their own (between tabs or line ends: a table
    with one cell per line too), end a line after a gap, or open a bracket's gloss."""
    start, end = m.start("stars"), m.end("stars")
    before, after = m.string[start - 1 : start], m.string[end : end + 1]
    if before in ("\t", "\n", "") and after in ("\t", "\n", ""):
        return True
    # (a line's own grade after a gap: X学校 ★; a rating glossed in brackets: 一星(★,限期整改))
    return (before == " " and after in ("\n", "") and start > 1) or (before in "(（" and after in ",，")


def _denoised(text: str) -> tuple[str, int]:
    """`text` with its noise lines blanked, and how many."""
    blanked = 0

    def denoise(line: str) -> str:
        nonlocal blanked
        if not is_noise_line(line):
            return line
        blanked += 1
        # a page-header bar keeps its date (发布时间:2016-03-04 …), the rest of it goes
        return chrome_date_part(line) if "20" in line or "19" in line else ""

    spans = _line_spans(NOISE_HINT_RE, text)
    if "|" in text:
        spans = _without_boxed_runs(text, spans)
    return _replace_lines(text, spans, denoise), blanked


def _without_boxed_runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` without the lines of a pipe table: a line boxed by bars beside another boxed by as
    many (| 贵州轮胎股份有限公司 | 六盘水市某某学校 |, whose short cells look like a navigation bar)."""
    if not any(is_pipe_table_row(text[start:end]) for start, end in spans):
        return spans  # (the common case: no boxed line among the candidates)
    lines = text.split("\n")
    bars = [line.count("|") if is_pipe_table_row(line) else 0 for line in lines]
    starts = itertools.accumulate((len(line) + 1 for line in lines), initial=0)
    index_of = {start: i for i, start in enumerate(starts)}

    def in_run(i: int) -> bool:
        return bars[i] > 0 and bars[i] in (bars[i - 1] if i else 0, bars[i + 1] if i + 1 < len(bars) else 0)

    return [span for span in spans if not in_run(index_of[span[0]])]


def normalize_file(path: Path, sha256: str) -> dict:
    """One notice (a raw file, or a notice folder) -> a normalized_notices row (status rejected with
    a reason when unreadable), with each file's read record and where each file's lines begin."""
    from ..versions import NORMALIZE_VERSION
    from .assemble import read_notice

    # read_notice rebuilds a non-UTF-8 name's real path; a folder is read with its attachments
    notice = read_notice(path, sha256)
    row = {
        "sha256": sha256,
        "code_version": NORMALIZE_VERSION,
        "status": "ok",
        "status_reason": None,
        "encoding": notice.encoding,
        "script": None,
        "text": None,
        "text_sha256": None,
        "line_sources": notice.line_sources,
        "file_reads": [r.to_json() for r in notice.reads],
        "read_warnings": [i.message for i in notice.issues],
        "read_issue_codes": [i.code for i in notice.issues],
        "source_url": notice.source_url,
    }
    if notice.reject_reason:
        return {**row, "status": "rejected", "status_reason": notice.reject_reason}
    try:
        with notice_budget(key=sha256):
            norm = normalize_text(notice.text or "", notice.is_html)
    except BudgetExceeded as exc:  # a notice too costly to read (see pipeline.budget)
        return {**row, "status": "rejected", "status_reason": over_budget_reason("normalization", exc)}
    except Exception as exc:  # a bug on one odd file must not stop the run
        return {
            **row,
            "status": "rejected",
            "status_reason": f"normalization failed: {type(exc).__name__}: {exc}",
        }
    if not norm.text.strip():
        return {
            **row,
            "status": "rejected",
            "status_reason": "no text left after decoding (blank or markup only)",
        }
    text_sha256 = hashlib.sha256(norm.text.encode("utf-8")).hexdigest()
    return {**row, "script": norm.script, "text": norm.text, "text_sha256": text_sha256}


def normalize_table(raw_dir: Path, manifest: list[dict], previous: pa.Table | None) -> tuple[pa.Table, int]:
    """The normalized_notices table for every usable distinct content of `manifest`.

    Rows of `previous` (the last run's table) are reused when their sha256 is still wanted and
    their code version is current, unless they failed for a reason of the moment
    (`storage.reusable_rows`); they stay Arrow data (texts are never turned into Python objects
    again). Contents not in the cache are normalized on every core when there are enough of them
    (`pipeline.parallel`). Returns (table, number of notices actually processed this run).
    """
    import pyarrow as pa

    from ..parallel import ordered_map
    from ..registry import NORMALIZED_NOTICES
    from ..storage import reusable_rows, to_arrow
    from ..versions import NORMALIZE_VERSION

    first_path = _usable_contents(manifest)  # sha256 -> the first file with that content
    cached = reusable_rows(previous, first_path, NORMALIZE_VERSION)
    have = set() if cached is None else set(cached["sha256"].to_pylist())
    todo = [(source_file(Path(raw_dir), path), sha) for sha, path in first_path.items() if sha not in have]
    fresh = to_arrow(ordered_map(normalize_file, todo, star=True, watched=True), NORMALIZED_NOTICES)
    table = fresh if cached is None else pa.concat_tables([cached.cast(fresh.schema), fresh])
    return table, len(todo)


def _usable_contents(manifest: list[dict]) -> dict[str, str]:
    """sha256 -> the first usable file with that content, in manifest order."""
    first_path: dict[str, str] = {}
    for entry in manifest:
        if not entry["reject_reason"]:
            first_path.setdefault(entry["sha256"], entry["source_path"])
    return first_path


def cache_is_current(manifest: list[dict], previous: pa.Table | None) -> bool:
    """Whether last run's normalized_notices (any of its columns with sha256, code_version and
    status_reason) is exactly the table `normalize_table` would return for `manifest`: every usable
    content reusable and no other row. Then the step keeps it as it is, texts unread."""
    from ..storage import reusable_rows
    from ..versions import NORMALIZE_VERSION

    if previous is None:
        return False
    wanted = _usable_contents(manifest)
    cached = reusable_rows(previous, wanted, NORMALIZE_VERSION)
    if cached is None:  # (an empty table)
        return not wanted
    return cached.num_rows == previous.num_rows == len(wanted)


def normalize_notices(raw_dir: Path, manifest: list[dict], previous: list[dict]) -> tuple[list[dict], int]:
    """normalize_table with rows (dicts) in and out, for callers that hold rows."""
    from ..registry import NORMALIZED_NOTICES
    from ..storage import to_arrow

    table, processed = normalize_table(raw_dir, manifest, to_arrow(previous, NORMALIZED_NOTICES))
    return table.to_pylist(), processed
