"""The noise real copies of notices carry, as patterns: one place for every noise rule."""

from __future__ import annotations

import re

# A web converter appends the pinyin of each converted character: 關(guān) -> 关. (The lookbehind
# comes after the literal "(" so that the engine can skip to each "(" instead of trying every position.)
PINYIN_ANNOTATION_RE = re.compile(
    r"\((?<=[\u4e00-\u9fff]\()(?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*)\)"
)

# Forum (Discuz) anti-scraping junk: runs of 1-3 character ASCII tokens with punctuation, e.g.
# `3 _8 z5 Y; Q. R! z' E`, spliced before, inside or after a line (see normalize.strip_junk).
ASCII_RUN_RE = re.compile(r"[ -~]+")
JUNK_MIN_TOKENS = 3
JUNK_MAX_TOKEN_LEN = 3
PUNCT_RE = re.compile(r"[!-/:-@\[-`{-~]")
# an item number or a figure right before Chinese text is text, not junk: `g 3.陕西…`, `z 2013年`
# (and a bracketed item number: `(52)山东省第八十七职业技能鉴定所`); not before a circled number,
# which is the item's number itself (`71 42 ㊽山东省…`: the 42 is junk)
KEEP_TAIL_RE = re.compile(r"^(?:\d+(?:\.\d+)?[.、]?|\(\d{1,3}\)|\d{1,3}\))$")
CIRCLED_NUMBER_RE = re.compile(r"[①-⑳㉑-㉟㊱-㊿]")
# At a line's start or end the junk may carry no punctuation at all (`PL Q pA eS 泉州市…`): there,
# JUNK_MIN_TOKENS short tokens with at least one letter are enough (real text never starts so).
EDGE_JUNK_TOKEN_RE = re.compile(r"^[!-~]{1,3}$")
LETTER_RE = re.compile(r"[A-Za-z]")

# Site chrome: breadcrumbs, page tools, neighbour links, footers. Matched on a whole (short) line:
# a line is chrome when it starts like chrome (CHROME_START_RE.match) or holds a chrome word anywhere
# (CHROME_WORD_RE.search, a plain alternation of words the regex engine scans for quickly).
CHROME_START_RE = re.compile(
    r"当前位置|您的位置|您现在的位置|首页\s*>|.*>\s*正文$"
    r"|(?:网站)?首页[\s|]*[\u4e00-\u9fff]{2,}[^,，。:：;；]*$"  # (a menu bar opening with 首页, spaces gone)
    r"|分享到|责任编辑|Copyright|字号[:：]|浏览次数|点击数|\[?返回|网站地图|爱问|.{0,6}新闻中心.{0,12}(?:首页|>)"
)
CHROME_WORD_RE = re.compile(
    r"打印本页|关闭窗口|【打印】|【关闭|【评论】|【收藏此页】|发表评论|上一篇|下一篇|新闻推荐|相关阅读|相关链接"
    r"|版权所有|阅读次数|欢迎批评指正"
)

# Every line is_chrome_line, IMAGE_LINE_RE or is_pipe_list_line can flag holds a match of this (a
# superset: normalize_text finds the candidate lines with it in one pass over the whole text)
NOISE_HINT_RE = re.compile(
    r"位置|首页|正文|分享到|责任编辑|Copyright|字号|浏览次数|点击数|返回|网站地图|爱问|新闻中心"
    r"|\||\.(?i:jpe?g|png|gif|bmp|webp)|" + CHROME_WORD_RE.pattern  # literal first chars: a fast scan
)


def is_chrome_line(line: str) -> bool:
    """Breadcrumbs, page tools, neighbour links or a footer (one line, no newline in it)."""
    return bool(CHROME_START_RE.match(line) or CHROME_WORD_RE.search(line))


# A page's own date inside a chrome bar: `发布时间:2016-03-04 09:50 信息来源: 阅读次数: 字号:【`
PAGE_DATE_RE = re.compile(
    r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[.\-/]\d{1,2}[.\-/]\d{1,2}(?!\d))"
)


def chrome_date_part(line: str) -> str:
    """The field of a chrome line before its first chrome word that holds a date (the page's
    publish date: `发布时间:2016-03-04 09:50 信息来源: 阅读次数:`,
    `来源:某报 | 2023-12-06 08:30 | 阅读 2316`);
    '' when there is none."""
    if CHROME_START_RE.match(line):
        return ""
    m = CHROME_WORD_RE.search(line)
    head = line[: m.start()] if m else line
    return next((field.strip() for field in head.split("|") if PAGE_DATE_RE.search(field)), "")


# what a cell of a results table holds and an SEO tail never does
_HOME_WORDS = frozenset({"首页", "网站首页", "主页", "返回首页"})
_TABLE_CELL_RE = re.compile(r"鉴定|评价|序号|名称|合格|优秀|整改|撤销|结论|结果|-{3,}")
IMAGE_LINE_RE = re.compile(r"^\S{0,60}\.(?:jpe?g|png|gif|bmp|webp)$", re.I)


def is_pipe_table_row(line: str) -> bool:
    """A line boxed by bars with cells between them: | 1 | X鉴定站 | 合格 |."""
    stripped = line.strip()
    return stripped[:1] == "|" and stripped[-1:] == "|" and stripped.count("|") >= 3


def is_pipe_list_line(line: str) -> bool:
    """An SEO tail or a navigation bar: short items separated by '|' (or a lone '|'); not a row of a
    pipe table (| 1 | X鉴定站 | 合格 |: a row number, a grade or an institution in its cells)."""
    parts = [p.strip() for p in line.split("|")]
    if line.strip() == "|":
        return True
    items = [p for p in parts if p]
    if len(items) >= 3 and items[0] in _HOME_WORDS:
        return True  # a navigation bar opening with 首页, whatever its menu names (职业培训与鉴定)
    if any(p.isdecimal() or _TABLE_CELL_RE.search(p) for p in items):
        return False
    if is_pipe_table_row(line) and not all(parts[1:-1]):
        return False  # an empty cell between bars: a table row (a wrapped cell's tail: |  | 限公司 |  |)
    return len(parts) >= 4 and bool(items) and sum(len(p) for p in items) / len(items) <= 12
