"""A normalized notice as lines and sentences, with offsets that map back to line numbers."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

_SENTENCE_END_RE = re.compile(r"[。！？!?]")
_CONTINUES_RE = re.compile(r"[,，、]$")
CLAUSE_SPLIT_RE = re.compile(r"[,，;；:：。]")


@dataclass(frozen=True)
class Sentence:
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
            if _CONTINUES_RE.search(line):
                continue
            out += self._split(buf, start)
            buf = ""
        if buf:
            out += self._split(buf, start)
        return out

    @staticmethod
    def _split(paragraph: str, line: int) -> list[Sentence]:
        if not _SENTENCE_END_RE.search(paragraph):
            return [Sentence(paragraph, line)] if paragraph.strip() else []
        parts, last = [], 0
        for m in _SENTENCE_END_RE.finditer(paragraph):
            parts.append(paragraph[last : m.end()])
            last = m.end()
        parts.append(paragraph[last:])
        return [Sentence(p, line) for p in parts if p.strip()]

    @cached_property
    def body(self) -> str:
        """The whole text on one line per paragraph (for searches that ignore line breaks)."""
        return "\n".join(s.text for s in self.sentences)
