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
_CONTINUED_LINE_RE = re.compile(r"[,，、]$", re.MULTILINE)
# The same sentences in a text without continued lines, read in one pass: (the line breaks and
# blank lines before a sentence, the sentence). A sentence ends with its end mark or at the line end;
# a piece of only whitespace is no sentence (it stays in the gap, or is skipped).
_LINE_SENTENCE_RE = re.compile(
    r"((?:[^\S\n]*\n)*)([^。！？!?\n]*[。！？!?]|[^。！？!?\n]*[^\s。！？!?][^。！？!?\n]*)"
)
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
        return [(i + 1, line) for i, line in enumerate(self.lines) if line]

    def nonblank(self) -> list[tuple[int, str]]:
        """(1-based line number, line) for every non-empty line (a shared list: do not modify)."""
        return self._nonblank

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Prose sentences: split at 。！？ and at line ends, except where a line ends mid-clause."""
        out: list[Sentence] = []
        if not _CONTINUED_LINE_RE.search(self.text):  # every line is a paragraph: one pass
            line = 1
            for breaks, sentence in _LINE_SENTENCE_RE.findall(self.text):
                if breaks:
                    line += breaks.count("\n")
                out.append(Sentence(sentence, line))
            return out
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
        return "\n".join([s.text for s in self.sentences])


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
