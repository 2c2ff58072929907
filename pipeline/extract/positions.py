"""Outcomes given by an item's place in a list: 上述D级单位中，第1、第4家单位限期整改三个月；第2、第3家
单位…撤销鉴定资格, 对上述第3、第8家机构终止备案…；其余6家责令限期整改.

A prose sentence after a list refers to its items by position; the outcome it gives them is their
final one. The list is the group the sentence names by its grade word (上述D级单位中), else the
items listed last before the sentence (one heading's block). A reference past the group's end, or a
其余N家 whose N is not what is left, leaves the items as they were.
"""

from __future__ import annotations

import bisect
import re
from operator import attrgetter

from ..numerals import cn_number
from ..vocabulary import CONDITION_CLAUSE_RE, GRADE_LABELS
from .document import Document, Sentence
from .items import final_label, grade_labels, outcome_labels
from .model import InstitutionItem

_NUMBER = r"(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[\u2460-\u2473])"
# 第1、第4家 / 第①、③、⑥家 / 第3和第8个 (not 第一职业技能鉴定所, 第十九站: a name's own ordinal)
_REFS_RE = re.compile(
    rf"第[ \t]*(?P<refs>{_NUMBER}(?:[ \t]*[、和及与,，][ \t]*第?[ \t]*{_NUMBER}){{0,30}})[ \t]*(?:家|个|名)"
)
_REF_NUMBER_RE = re.compile(_NUMBER)
_REST_RE = re.compile(r"其余\s*(?P<n>\d{1,4})?\s*(?:家|个|所|名)?")
_CLAUSE_END_RE = re.compile(r"[,，:：]")
_SEGMENT_RE = re.compile(r"[;；]")


def _position(token: str) -> int | None:
    if "\u2460" <= token <= "\u2473":
        return ord(token) - 0x245F
    return cn_number(token)


def _outcome(text: str) -> str | None:
    """The grade of the first clause of `text` that states an outcome, before any clause on a
    condition (逾期整改不到位的撤销…)."""
    for clause in _CLAUSE_END_RE.split(text):
        if CONDITION_CLAUSE_RE.search(clause):
            return None
        if labels := outcome_labels(clause):
            return GRADE_LABELS[final_label(labels)]
    return None


class _Lists:
    """The listed items in line order, and each grade word's, so that a sentence finds the list it
    refers to by bisection (a notice may hold thousands of items and of sentences)."""

    def __init__(self, items: list[InstitutionItem]) -> None:
        self.items = sorted(items, key=attrgetter("line"))
        self.lines = [i.line for i in self.items]
        self.by_label: dict[str, list[InstitutionItem]] = {}
        for item in self.items:
            self.by_label.setdefault(item.grade_label, []).append(item)
        self.label_lines = {label: [i.line for i in run] for label, run in self.by_label.items()}
        self._groups: dict[tuple[str | None, int], list[list[InstitutionItem]]] = {}

    def group(self, key: tuple[str | None, int]) -> list[list[InstitutionItem]]:
        """The list a sentence refers to, one entry per name (a line two readers read gives a name
        twice): the items of the grade word it opens with (上述D级单位中), else those of the last
        block listed before it (the run of items under one grade word)."""
        if key not in self._groups:  # (sentences after one list refer to the same one)
            by_name: dict[str, list[InstitutionItem]] = {}
            for item in self._items(key):
                by_name.setdefault(item.name, []).append(item)
            self._groups[key] = list(by_name.values())
        return self._groups[key]

    def key(self, sentence: Sentence) -> tuple[str | None, int]:
        """(grade word, end) of the items a sentence refers to: those of its lead grade word, or of
        the block ending before it (None), up to index `end`."""
        refs = _REFS_RE.search(sentence.text)
        lead = grade_labels(sentence.text[: refs.start()]) if refs else []
        if lead:
            label = lead[0].group()
            return label, bisect.bisect_left(self.label_lines.get(label, []), sentence.line)
        return None, bisect.bisect_left(self.lines, sentence.line)

    def _items(self, key: tuple[str | None, int]) -> list[InstitutionItem]:
        label, end = key
        if label is not None:
            return self.by_label.get(label, [])[:end]
        start = end
        while start > 0 and self.items[start - 1].grade_label == self.items[end - 1].grade_label:
            start -= 1
        return self.items[start:end]


def _rulings(sentence: Sentence, size: int) -> dict[int, str]:
    """{position (1-based): grade} for each item a sentence rules on by position, and for the rest
    (其余N家…); {} when a reference does not fit the list."""
    ruled: dict[int, str] = {}
    rest: str | None = None
    for segment in _SEGMENT_RE.split(sentence.text):
        if m := _REFS_RE.search(segment):
            positions = [_position(t) for t in _REF_NUMBER_RE.findall(m.group("refs"))]
            grade = _outcome(segment[m.end() :])
            if grade is None or not all(p and 1 <= p <= size for p in positions):
                return {}
            ruled.update(dict.fromkeys(positions, grade))  # type: ignore[arg-type]
        elif (r := _REST_RE.search(segment)) and ruled:
            grade = _outcome(segment[r.end() :])
            if grade and (r.group("n") is None or int(r.group("n")) == size - len(ruled)):
                rest = grade
    if rest:
        ruled.update({p: rest for p in range(1, size + 1) if p not in ruled})
    return ruled


def apply_positions(doc: Document, items: list[InstitutionItem]) -> None:
    """Regrade (in place) the listed items a later sentence rules on by their place in the list;
    the first sentence that rules on a list does (a notice rules on a list once: so the work is
    linear, however many sentences refer to it)."""
    if "第" not in doc.text or not items:
        return
    lists = _Lists(items)
    ruled: set[tuple[str | None, int]] = set()
    for sentence in doc.sentences_matching(_REFS_RE):
        key = lists.key(sentence)
        if key in ruled:
            continue
        group = lists.group(key)
        rulings = _rulings(sentence, len(group))
        for position, grade in rulings.items():
            for item in group[position - 1]:
                item.grade = grade
        if rulings:
            ruled.add(key)
