"""A normalized notice as lines and sentences, with offsets that map back to line numbers."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from ..vocabulary import ORGANISATION_SUFFIXES
from .items import strip_numbering

# a sentence: up to and including its end mark, or the rest of the paragraph (one pass, no backtracking)
_SENTENCE_RE = re.compile(r"[^。！？!?]*(?:[。！？!?]|\Z)")
_CONTINUES = (",", "，", "、")  # a line ending with these continues on the next line
_CONTINUED_LINE_RE = re.compile(r"[,，、]$", re.MULTILINE)
# The same sentences in a text without continued lines, read in one pass: (the line breaks and
# blank lines before a sentence, the sentence). A sentence ends with its end mark or at the line end;
# a piece of only whitespace is no sentence (it stays in the gap, or is skipped).
_LINE_SENTENCE_RE = re.compile(
    r"((?:[^\S\n]*\n)*)([^。！？!?\n]*[。！？!?]|[^。！？!?\n]*[^\s。！？!?][^。！？!?\n]*)"
)
CLAUSE_SPLIT_RE = re.compile(r"[,，;；:：。]")
# a page number line (— 2 —, 第2页 共5页): furniture
PAGE_NUMBER_RE = re.compile(
    r"[-－—–]+\s*\d{1,3}\s*[-－—–]+|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?"
)


class Sentence(NamedTuple):  # a tuple: tens of thousands are made per thousand notices
    text: str
    line: int  # 1-based line where the sentence starts


@dataclass
class Document:
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        return starts

    @cached_property
    def _matching(self) -> dict[re.Pattern[str], frozenset[int]]:
        return {}

    def lines_matching(self, pattern: re.Pattern[str]) -> frozenset[int]:
        """1-based numbers of the lines where `pattern` (which must not match across a line break)
        matches: one scan of the text instead of one search per line."""
        found = self._matching.get(pattern)
        if found is None:
            found = self._matching[pattern] = frozenset(_lines_matching(self.text, pattern))
        return found

    @cached_property
    def _sentences_matching(self) -> dict[re.Pattern[str], list[Sentence]]:
        return {}

    def sentences_matching(self, pattern: re.Pattern[str]) -> list[Sentence]:
        """The sentences, in order, where `pattern` (which must not match a line break) matches: one
        scan of `body` instead of one search per sentence (a shared list: do not modify)."""
        found = self._sentences_matching.get(pattern)
        if found is None:
            sentences = self.sentences
            found = [sentences[i - 1] for i in _lines_matching(self.body, pattern)]
            self._sentences_matching[pattern] = found
        return found

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in `text`."""
        return bisect.bisect_right(self._line_starts, offset)

    @cached_property
    def _nonblank(self) -> list[tuple[int, str]]:
        lines = [(i + 1, line) for i, line in enumerate(self.lines) if line]
        return _without_running_heads(lines) if PAGE_NUMBER_RE.search(self.text) else lines

    def nonblank(self) -> list[tuple[int, str]]:
        """(1-based line number, line) for every non-empty line (a shared list: do not modify)."""
        return self._nonblank

    @cached_property
    def wrap_width(self) -> int | None:
        """The width the text was hard-wrapped at (PDF text), or None: see wrap_width()."""
        return wrap_width(self.nonblank())

    def unwrapped(self) -> list[tuple[int, str]]:
        """The non-blank lines, with a hard-wrapped text's broken lines joined again (_unwrap): a
        joined line keeps its first line's number."""
        return self._unwrapped[0]

    def continued_lines(self) -> dict[int, int]:
        """The lines unwrapped() joined onto an earlier one: line number -> the joined line's number."""
        return self._unwrapped[1]

    @cached_property
    def _unwrapped(self) -> tuple[list[tuple[int, str]], dict[int, int]]:
        width = self.wrap_width
        return _unwrap(self.nonblank(), width) if width is not None else (self.nonblank(), {})

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Prose sentences: split at 。！？ and at line ends, except where a line ends mid-clause or
        is a full line of hard-wrapped text (PDF text: wrap_width); each with the line it starts on."""
        out: list[Sentence] = []
        width = self.wrap_width
        # (every line a paragraph, unless one ends mid-clause or breaks at a page's end)
        if (
            width is None
            and not _CONTINUED_LINE_RE.search(self.text)
            and not _PAGE_BREAK_RE.search(self.text)
        ):
            line = 1
            for breaks, sentence in _LINE_SENTENCE_RE.findall(self.text):
                if breaks:
                    line += breaks.count("\n")
                out.append(Sentence(sentence, line))
            return out
        buf, starts = "", []  # the paragraph so far, and (offset, line number) of each of its lines
        lines = self.nonblank()
        for index, (number, line) in enumerate(lines):
            if (width is not None or buf) and PAGE_NUMBER_RE.fullmatch(line.strip()):
                continue  # a page number inside a wrapped paragraph
            row = _CELL_MARK_RE.search(line) is not None  # a table's row: no sentence carries on
            if buf and row:  # into it or out of it
                out += _split(buf, starts)
                buf, starts = "", []
            starts.append((len(buf), number))
            buf += line
            if not row and (line.endswith(_CONTINUES) or (width is not None and _wraps(line, width))):
                continue
            if _breaks_at_page(lines, index):
                continue
            out += _split(buf, starts)
            buf, starts = "", []
        if buf:
            out += _split(buf, starts)
        return out

    @cached_property
    def body(self) -> str:
        """The whole text on one line per paragraph (for searches that ignore line breaks)."""
        return "\n".join([s.text for s in self.sentences])


# a line cut mid-clause by a page's end: its last character no sentence end, a page number next
_PAGE_BREAK_RE = re.compile(
    r"[\u4e00-\u9fff\d]\n(?:[^\S\n]*\n)*[^\S\n]*(?:" + PAGE_NUMBER_RE.pattern + r")[^\S\n]*$", re.MULTILINE
)


def _breaks_at_page(lines: list[tuple[int, str]], index: int) -> bool:
    """Whether line `index` ends mid-clause at a page's end (…共完成鉴定 / — 1 — / 136218人): the
    next lines a page's number, the one after them not numbered."""
    if not _MID_SENTENCE_END_RE.search(lines[index][1]):
        return False
    at = index + 1
    while at < len(lines) and at - index <= 2 and PAGE_NUMBER_RE.fullmatch(lines[at][1].strip()):
        at += 1  # (— 1 — / 第1页 共4页: the page's number, maybe twice)
    after = lines[at][1].strip() if index + 1 < at < len(lines) else ""
    return bool(after) and strip_numbering(after) == after and not PAGE_NUMBER_RE.fullmatch(after)


def _split(paragraph: str, starts: list[tuple[int, int]]) -> list[Sentence]:
    """The sentences of a paragraph joined from lines, each with the line it starts on."""
    out, offset = [], 0
    offsets = [o for o, _ in starts]
    for sentence in _SENTENCE_RE.findall(paragraph):
        if sentence.strip():
            lead = len(sentence) - len(sentence.lstrip())
            out.append(Sentence(sentence, starts[bisect.bisect_right(offsets, offset + lead) - 1][1]))
        offset += len(sentence)
    return out


_WRAP_MIN_CHARS = 15  # a wrapped line is long, but no table row
_WRAP_MAX_CHARS = 60
_WRAP_MIN_LINES = 8
_WRAP_SLACK = 2  # the wrapped lines' lengths, in characters, within this of the widest
_INDENT_CHARS = 2
_SENTENCE_ENDS = ("。", "！", "？", "!", "?", "：", ":", "；", ";")
_HALF_WIDTH_RE = re.compile(r"[0-9A-Za-z]")
_MID_SENTENCE_END_RE = re.compile(r"[\u4e00-\u9fff\d,，、]$")
_CELL_MARK_RE = re.compile(r"[\t|]")


_LIST_ITEM_RE = re.compile(r"\d{1,4}\s*[.．、)）]")


def _without_running_heads(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines without a page's running head: after a page number, a line that repeats one above
    (黑人社发〔2015〕12号 atop each page of a PDF), which would split the paragraph it interrupts."""
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    after_page = False
    for number, line in lines:
        text = line.strip()
        if after_page and len(text) >= 6 and text in seen:
            continue
        after_page = bool(PAGE_NUMBER_RE.fullmatch(text))
        seen.add(text)
        out.append((number, line))
    return out


def wrap_width(lines: list[tuple[int, str]]) -> int | None:
    """The length text copied from a PDF was hard-wrapped at (in characters), when it was: most
    long lines of prose are that long (within one character), hardly any longer, and most of them
    end mid-word (a line of ordinary text, or a list item, ends where its sentence or name does)."""
    prose = [
        text
        for _, text in lines
        if len(text) >= _WRAP_MIN_CHARS and not _CELL_MARK_RE.search(text) and not _LIST_ITEM_RE.match(text)
    ]  # (a list's items may be set in a narrower column than the prose: 1.X鉴定所(淄博)
    if len(prose) < _WRAP_MIN_LINES:
        return None
    sized = [(line, _visual_len(line)) for line in prose]
    lengths = Counter(n for _, n in sized)
    width = max(lengths, key=lambda n: (sum(lengths[n - k] for k in range(_WRAP_SLACK + 1)), n))
    tight = [line for line, n in sized if width - _WRAP_SLACK <= n <= width]
    longer = sum(n > width + 1 for _, n in sized)
    mid = sum(_ends_mid_word(line) for line in tight)
    wrapped = len(tight) * 2 >= len(prose) and longer * 10 <= len(prose) and mid * 10 >= len(tight) * 7
    return width if wrapped and len(tight) >= _WRAP_MIN_LINES and width <= _WRAP_MAX_CHARS else None


def table_cells(line: str) -> list[str]:
    """The cells of a table row: between bars (| 1 | X鉴定站 | 合格 |, a box-drawn table after
    normalizing) or between tabs; [] for a line that is no row."""
    stripped = line.strip()
    if stripped.count("|") >= 2 and len(cells := stripped.strip("|").split("|")) >= 2:
        return [cell.strip() for cell in cells]
    return line.strip(" ").split("\t") if "\t" in line else []


def _visual_len(line: str) -> int:
    """A line's length in full-width characters: two half-width digits or letters (2018年) take
    the place of one."""
    return len(line) - len(_HALF_WIDTH_RE.findall(line)) // 2


def _ends_mid_word(line: str) -> bool:
    """Whether a line ends inside a sentence (mid-word, or at a comma) and not at a name's end."""
    ends_a_name = line.rstrip(",，、").endswith(ORGANISATION_SUFFIXES)
    return bool(_MID_SENTENCE_END_RE.search(line)) and not ends_a_name


def _wraps(line: str, width: int) -> bool:
    """A full line of wrapped text: it reaches the wrap width (less a paragraph's indent, which
    normalizing strips) and ends mid-sentence. The width is counted in full-width characters, or in
    characters (a text wrapped at so many characters, digits included: …至2015年1月对全省18个)."""
    return len(line) >= width - _INDENT_CHARS - _WRAP_SLACK and not line.endswith(_SENTENCE_ENDS)


def _unwrap(lines: list[tuple[int, str]], width: int) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """A full line of wrapped text, or one ending with a comma, continues on the next line when
    _continues_wrapped says so (past a page number between them); table rows are never joined."""
    out: list[tuple[int, str]] = []
    continued: dict[int, int] = {}
    broken = ""  # the last line, when it may continue on the next
    for number, line in lines:
        if broken and PAGE_NUMBER_RE.fullmatch(line.strip()):
            continue
        if broken and _continues_wrapped(broken, line):
            out[-1] = (out[-1][0], out[-1][1] + line)
            continued[number] = out[-1][0]
        else:
            out.append((number, line))
        cells = _CELL_MARK_RE.search(out[-1][1])
        broken = line if (_wraps(line, width) or line.endswith(_CONTINUES)) and not cells else ""
    return out, continued


def _continues_wrapped(broken: str, line: str) -> bool:
    """Whether `line` carries on `broken`, a full line of wrapped text or one ending with a comma:
    that ends mid-word, in an open bracket or a comma, or holds a separator (a paragraph of several
    names, not one name per line), or `line` opens with what no line starts with (a closing
    bracket, a separator); never onto a numbered item."""
    if strip_numbering(line) != line.strip() or _CELL_MARK_RE.search(line):
        return False
    return (
        _ends_mid_word(broken)
        or broken.endswith(("(", "（", *_CONTINUES))
        or bool(_SEPARATOR_RE.search(broken))
        or line.startswith(_CONTINUATION_OPENINGS)
    )


_CONTINUATION_OPENINGS = ("(", "（", ")", "）", "、", "；", ";", "，", ",", "。")
_SEPARATOR_RE = re.compile(r"[、；;，,]")


def _lines_matching(text: str, pattern: re.Pattern[str]) -> list[int]:
    """1-based numbers of the lines of `text` where `pattern` matches, ascending, each once."""
    lines: list[int] = []
    line, pos = 1, 0
    for m in pattern.finditer(text):
        start = m.start()
        line += text.count("\n", pos, start)
        pos = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines
