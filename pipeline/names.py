"""Institution names as keys see them: one rule, shared by extraction (dedupe, keys) and curation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .numerals import cn_number
from .regions import NATIONAL_CODE, REGIONS
from .vocabulary import HOST_WORDS_RE

_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "〈": "<", "〉": ">"})
_BRACKET_RE = re.compile(r"[〔〕【】〈〉]")
_ORDINAL_RE = re.compile(r"第([0-9]+|[一二三四五六七八九十百零〇两]+)")
_ENUM_RE = re.compile(r"^(?:\(?[0-9]{1,3}[.)、]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")
_HOST_RE = re.compile(rf"\([^()]*{HOST_WORDS_RE}[^()]*\)$")  # the host, as lists.split_parenthetical reads it
_CIRCLED_RE = re.compile(r"^\s*[①-⑳㉑-㉟㊱-㊿]")
_CIRCLED = frozenset(chr(c) for a, b in ("①⑳", "㉑㉟", "㊱㊿") for c in range(ord(a), ord(b) + 1))
_ENUM_FIRST = frozenset("(0123456789一二三四五六七八九十")  # characters _ENUM_RE can start with


def _ordinal_digits(m: re.Match[str]) -> str:
    number = cn_number(m.group(1))
    return m.group() if number is None else f"第{number}"


@lru_cache(maxsize=65536)
def canonical_name(name: str, province_code: str | None = None) -> str:
    """The name as the key sees it: NFKC (full-width to ASCII), no whitespace, one bracket form, no
    list numbering in front, no host parenthetical (…承建) at the end, ordinals as digits (第六, 第06
    -> 第6), 国家职业技能鉴定 -> 职业技能鉴定, and a leading short province name made full
    (甘肃 -> 甘肃省)."""
    # each step is skipped when a cheap test shows it cannot apply (this runs once per listed name)
    if name.lstrip()[:1] in _CIRCLED:
        name = _CIRCLED_RE.sub("", name)  # before NFKC makes ① a 1
    text = "".join(unicodedata.normalize("NFKC", name).split())  # split() drops what \s matches
    if _BRACKET_RE.search(text):
        text = text.translate(_BRACKETS)  # translate is slow on CJK text: only when needed
    if text[:1] in _ENUM_FIRST:
        text = _ENUM_RE.sub("", text)
    if text.endswith(")"):
        text = _HOST_RE.sub("", text)
    if "第" in text:
        text = _ORDINAL_RE.sub(_ordinal_digits, text)
    text = text.replace("国家职业技能鉴定", "职业技能鉴定")
    if province_code and province_code != NATIONAL_CODE and REGIONS.is_valid(province_code):
        full = REGIONS.by_code(province_code).name
        if not text.startswith(full):
            for k in (3, 2):
                if province_code in REGIONS.codes_for(text[:k]):
                    text = full + text[k:]
                    break
    return text


def institution_key(name: str, province_code: str | None) -> str:
    """Same institution, any notice or year: '<province code>:<canonical name>' (see canonical_name),
    e.g. 甘肅省第六國家職業技能鑒定所（中核四零四廠承建） and 甘肃省第 6 国家职业技能鉴定所 both give
    620000:甘肃省第6职业技能鉴定所 (script is already simplified upstream). The province code is the
    notice's (000000 when unknown): two provinces' 第一鉴定所 never merge, and a ministry's national
    notice (100000) keys its stations apart from a provincial notice naming the same station."""
    return f"{province_code or '000000'}:{canonical_name(name, province_code)}"
