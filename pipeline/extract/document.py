"""A normalized notice as lines and sentences, with offsets that map back to line numbers."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

# a sentence: up to and including its end mark, or the rest of the paragraph (one pass, no backtracking)
_SENTENCE_RE = re.compile(r"[^。！？!?]*(?:[。！？!?]|\Z)")
_CONTINUES = (",", "，", "、")  # a line ending with these continues on the next line
CLAUSE_SPLIT_RE = re.compile(r"[,，;；:：。]")


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
            lines, line, pos = set(), 1, 0
            for m in pattern.finditer(self.text):
                line += self.text.count("\n", pos, m.start())
                pos = m.start()
                lines.add(line)
            found = self._matching[pattern] = frozenset(lines)
        return found

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in `text`."""
        return bisect.bisect_right(self._line_starts, offset)

    @cached_property
    def _nonblank(self) -> list[tuple[int, str]]:
        return [(i + 1, line) for i, line in enumerate(self.lines) if line]

    def nonblank(self) -> list[tuple[int, str]]:
        """(1-based line number, line) for every non-empty line (a shared list: do not modify)."""
        return self._nonblank

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Prose sentences: split at 。！？ and at line ends, except where a line ends mid-clause."""
        out: list[Sentence] = []
        buf, start = "", 0
        for number, line in self.nonblank():
            if not buf:
                start = number
            buf += line
            if line.endswith(_CONTINUES):
                continue
            out += self._split(buf, start)
            buf = ""
        if buf:
            out += self._split(buf, start)
        return out

    @staticmethod
    def _split(paragraph: str, line: int) -> list[Sentence]:
        return [Sentence(p, line) for p in _SENTENCE_RE.findall(paragraph) if p.strip()]

    @cached_property
    def body(self) -> str:
        """The whole text on one line per paragraph (for searches that ignore line breaks)."""
        return "\n".join(s.text for s in self.sentences)
