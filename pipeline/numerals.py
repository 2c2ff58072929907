"""Chinese numerals as written in notices: ordinals in names (第六, 第二十三, 第一〇五) and small counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,  # dates write zero as 〇, ○, O or an ASCII 0 (二0一一年)
    "O": 0,
    "Ｏ": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = "十百"


@lru_cache(maxsize=4096)
def cn_number(raw: str) -> int | None:
    """一..九百九十九 (十五, 二十三, 一百零五, 两百, 一百五 = 150), with 千 and 万 above them (三万二千,
    二十六万, 一万零五百, 三万二 = 32000), digit by digit (一〇五 = 105), or ASCII digits; None for
    anything else (a malformed numeral is not guessed)."""
    if raw.isdigit():
        return int(raw)
    if not raw or any(c not in CN_DIGITS and c not in _UNITS and c not in "千万" for c in raw):
        return None
    return _scaled(raw, "万", 10_000, _below_10000)


def _below_10000(raw: str) -> int | None:
    return _scaled(raw, "千", 1000, _below_1000)


def _scaled(raw: str, unit: str, size: int, below: Callable[[str], int | None]) -> int | None:
    """`raw` read as (count) `unit` (rest): the count and the rest read by `below`; a rest of one
    digit right after the unit is a tenth of it (三万二 = 32000, 一千五 = 1500)."""
    if unit not in raw:
        return below(raw)
    high, _, rest = raw.partition(unit)
    count = below(high)
    if count is None or not 0 < count < 10_000 or unit in rest:
        return None
    if len(rest) == 1 and rest in CN_DIGITS:
        return count * size + CN_DIGITS[rest] * size // 10
    rest = rest[1:] if rest[:1] in ("零", "〇") else rest
    low = below(rest) if rest else 0
    return None if low is None or low >= size else count * size + low


def _below_1000(raw: str) -> int | None:
    if not raw or any(c not in CN_DIGITS and c not in _UNITS for c in raw):
        return None
    if "十" not in raw and "百" not in raw:
        return int("".join(str(CN_DIGITS[c]) for c in raw))
    hundreds, hundred, rest = raw.rpartition("百")
    if "百" in hundreds or (hundreds and not CN_DIGITS.get(hundreds)) or (hundred and not hundreds):
        return None
    total = CN_DIGITS[hundreds] * 100 if hundreds else 0
    zero = rest[:1] in ("零", "〇")
    rest = rest[1:] if zero and total else rest
    tens, ten, ones = rest.partition("十")
    if ten:
        if "十" in ones or (tens and not CN_DIGITS.get(tens)) or (not tens and zero):
            return None
        total += (CN_DIGITS[tens] if tens else 1) * 10
    else:
        ones = tens
        if total and not zero and len(ones) == 1:
            return total + CN_DIGITS[ones] * 10  # 一百五 = 150, as cn2an reads it
    if len(ones) > 1 or (ones and ones not in CN_DIGITS):
        return None
    return total + (CN_DIGITS[ones] if ones else 0)


CN_DIGIT_CHARS = "一二三四五六七八九十百两〇零"
# a count in Chinese numerals before a measure word for institutions (三个, 十二家, 两所), not an
# abbreviated name (省六所, 市一所; but 全省五十九个 is a count), an ordinal (第三个) or a word
# (统一, 唯一, 之一, 同一, 每一)
_CN_COUNT_RE = re.compile(
    rf"(?:(?<=全[省市区州盟县])|(?<![省市县区州盟厅局第统唯万之某同每这哪任{CN_DIGIT_CHARS}]))"
    rf"[{CN_DIGIT_CHARS}]{{1,5}}(?=\s*[个所家站])"
)

_CN_COUNT_HINT_RE = re.compile(rf"[{CN_DIGIT_CHARS}]\s*[个所家站]")  # a cheap guard


def _digits(m: re.Match[str]) -> str:
    number = cn_number(m.group())
    return m.group() if number is None else str(number)


def digit_counts(text: str) -> str:
    """`text` with counts of institutions in Chinese numerals written in digits: 撤销三个 -> 撤销3个,
    共有十二家 -> 共有12家; everything else as it was."""
    if not _CN_COUNT_HINT_RE.search(text):
        return text  # cheap guard: no Chinese digit right before a measure word
    return _CN_COUNT_RE.sub(_digits, text)
