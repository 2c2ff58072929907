"""The noise real copies of notices carry, as patterns: one place for every noise rule."""

from __future__ import annotations

import re

# A web converter appends the pinyin of each converted character: 關(guān) -> 关.
PINYIN_ANNOTATION_RE = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*)\)")

# Forum (Discuz) anti-scraping junk: runs of 1-3 character ASCII tokens with punctuation, e.g.
# `3 _8 z5 Y; Q. R! z' E`, spliced before, inside or after a line (see normalize.strip_junk).
ASCII_RUN_RE = re.compile(r"[ -~]+")
JUNK_MIN_TOKENS = 3
JUNK_MAX_TOKEN_LEN = 3
PUNCT_RE = re.compile(r"[!-/:-@\[-`{-~]")
# an item number or a figure right before Chinese text is text, not junk: `g 3.陕西…`, `z 2013年`
KEEP_TAIL_RE = re.compile(r"^\d+(?:\.\d+)?[.、]?$")
# At a line's start or end the junk may carry no punctuation at all (`PL Q pA eS 泉州市…`): there,
# JUNK_MIN_TOKENS short tokens with at least one letter are enough (real text never starts so).
EDGE_JUNK_TOKEN_RE = re.compile(r"^[!-~]{1,3}$")
LETTER_RE = re.compile(r"[A-Za-z]")

# Site chrome: breadcrumbs, page tools, neighbour links, footers. Matched on a whole (short) line.
CHROME_LINE_RE = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|首页\s*>|.*>\s*正文$)"
    r"|打印本页|关闭窗口|【打印】|【关闭|【评论】|【收藏此页】|发表评论|上一篇|下一篇|新闻推荐|相关阅读|相关链接"
    r"|^分享到|^责任编辑|^Copyright|版权所有|^字号[:：]|阅读次数|^浏览次数|^点击数|^\[?返回|^网站地图"
    r"|欢迎批评指正|^爱问|^.{0,6}新闻中心.{0,12}(?:首页|>)"
)

IMAGE_LINE_RE = re.compile(r"^\S{0,60}\.(?:jpe?g|png|gif|bmp|webp)$", re.I)


def is_pipe_list_line(line: str) -> bool:
    """An SEO tail or a navigation bar: short items separated by '|' (or a lone '|')."""
    parts = [p.strip() for p in line.split("|")]
    if line.strip() == "|":
        return True
    items = [p for p in parts if p]
    return len(parts) >= 4 and bool(items) and sum(len(p) for p in items) / len(items) <= 12
