"""Step 2, normalized: decoded text -> clean simplified-script text, one notice line per line.

Lines are never removed, only blanked, so that line N of the normalized text is line N of the raw
text file (for HTML, line N of the page's text): every extracted row can point at its line.
"""

from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from . import html_text
from .ingest import CJK_RE, RawFile
from .noise import (
    ASCII_RUN_RE,
    CIRCLED_NUMBER_RE,
    EDGE_JUNK_TOKEN_RE,
    IMAGE_LINE_RE,
    JUNK_MAX_TOKEN_LEN,
    JUNK_MIN_TOKENS,
    KEEP_TAIL_RE,
    LETTER_RE,
    PINYIN_ANNOTATION_RE,
    PUNCT_RE,
    chrome_date_part,
    is_chrome_line,
    is_pipe_list_line,
)

# Full-width ASCII forms -> ASCII; ideographic space, NBSP and other odd spaces -> space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None, 0xFEFF: None}
)
# the same table as (old, new) pairs: a few str.replace passes beat str.translate on CJK text
_WIDTH_PAIRS = tuple((chr(k), "" if v is None else chr(v)) for k, v in _WIDTH.items())
_SPACES_RE = re.compile(r"[ \t]{2,}|\t")
# a lone space inside Chinese text is layout, not content: 鉴定所 (天水…承建), 整改单位 :4所
_SPACE_BETWEEN_CJK_RE = re.compile(
    r"(?<=[\u4e00-\u9fff)]) (?=[\u4e00-\u9fff(:])|(?<=[:(]) (?=[\u4e00-\u9fff\d])"
)
_CLOSERS = {")": "(", "]": "["}
_ROW_START_RE = re.compile(r"\d{1,4}[ \t]+[\u4e00-\u9fff]")
_CELL_SPLIT_RE = re.compile(r"[ \t]")
_PROSE_PUNCT_RE = re.compile(r"[。,，;；:：、]")
# strip_junk can only change a line holding three short ASCII tokens in a row (a cheap guard)
_JUNK_CANDIDATE_RE = re.compile(r"(?<![!-~])[!-~]{1,3} +[!-~]{1,3} +[!-~]{1,3}(?![!-~])")


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


def to_half_width(text: str) -> str:
    """Full-width ASCII forms -> ASCII, odd spaces -> space, zero-width characters removed."""
    for old, new in _WIDTH_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def detect_traditional(text: str, converted: str) -> bool:
    """Traditional when OpenCC changes a noticeable share of the CJK characters."""
    if text == converted:
        return False
    changed = sum(map(operator.ne, text, converted))
    if changed < 3:
        return False
    cjk = len(CJK_RE.findall(text))
    return cjk > 0 and changed >= max(3, cjk * 0.02)


def strip_junk(line: str) -> str:
    """Remove forum anti-scraping junk (`3 _8 z5 Y; Q. R!`) spliced into a line, keep item numbers."""
    if not _JUNK_CANDIDATE_RE.search(line):
        return line

    def repl(m: re.Match[str]) -> str:
        run, lead = m.group(), ""
        if run[0] in _CLOSERS and _CLOSERS[run[0]] in line[: m.start()]:
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
            return lead + (f" {keep}" if keep else " ")
        return m.group()

    return ASCII_RUN_RE.sub(repl, line)


def normalize_line(line: str) -> str:
    if " " not in line and "\t" not in line:
        return line.strip()  # nothing below applies to a line without spaces or tabs
    line = strip_junk(line)
    line = _SPACES_RE.sub("\t", line.strip(" "))
    line = "\t".join(part.strip() for part in line.split("\t")) if "\t" in line else line.strip()
    if " " in line:
        line = _spaced_row_to_tabs(line) if _ROW_START_RE.match(line) else line
        line = _SPACE_BETWEEN_CJK_RE.sub("", line)
    return line.strip()


def _spaced_row_to_tabs(line: str) -> str:
    """A table row flattened with single spaces (`1 X鉴定所 Y学院 达标`): the spaces separate cells,
    so they become tabs. Only a numbered line of 2-8 short cells without prose punctuation or a
    cell opening with a bracket (`X鉴定所 (Y承建)` is one cell) qualifies."""
    cells = _CELL_SPLIT_RE.split(line)[1:]
    if not 2 <= len(cells) <= 8 or _PROSE_PUNCT_RE.search(line):
        return line
    if any(not c or len(c) > 40 or c[0] in "(:" for c in cells):
        return line
    return "\t".join([line.split(" ", 1)[0].split("\t", 1)[0], *cells])


def is_noise_line(line: str) -> bool:
    """Site chrome, an image file name or a pipe-separated SEO tail / navigation bar."""
    return bool(
        is_chrome_line(line)
        or ("." in line and IMAGE_LINE_RE.search(line))
        or ("|" in line and is_pipe_list_line(line))
    )


def normalize_text(text: str, is_html: bool = False) -> NormalizedText:
    """Decoded text (or HTML) -> simplified, de-noised text with the line structure kept."""
    if is_html:
        text = html_text.html_to_text(text)
    text = to_half_width(text.replace("\r\n", "\n").replace("\r", "\n"))
    removed = 0
    if "(" in text:
        annotations = PINYIN_ANNOTATION_RE.findall(text)
        if len(annotations) >= 3:  # a web converter's signature, not a real parenthesis
            text, removed = PINYIN_ANNOTATION_RE.subn("", text)
    converted = _t2s().convert(text)
    traditional = detect_traditional(text, converted)
    if traditional:
        text = converted
    blanked = 0
    out: list[str] = []
    for raw_line in text.split("\n"):
        line = normalize_line(raw_line)
        if line and is_noise_line(line):
            # a page-header bar keeps its date (发布时间:2016-03-04 …), the rest of it goes
            line, blanked = chrome_date_part(line) if "20" in line or "19" in line else "", blanked + 1
        out.append(line)
    return NormalizedText("\n".join(out), "traditional" if traditional else "simplified", removed, blanked)


def normalize_file(path: Path, sha256: str) -> dict:
    """One raw file -> a normalized_notices row (status rejected with a reason when unreadable)."""
    from .ingest import read_and_decode
    from .versions import NORMALIZE_VERSION

    row = {
        "sha256": sha256,
        "code_version": NORMALIZE_VERSION,
        "status": "ok",
        "status_reason": None,
        "encoding": None,
        "script": None,
        "text": None,
        "text_sha256": None,
    }
    # size 0 = unknown: read up to the cap; read_and_decode rebuilds a non-UTF-8 name's real path
    raw = RawFile(path.name, path, 0, sha256)
    decoded = read_and_decode(raw)
    row["encoding"] = decoded.encoding
    if decoded.reject_reason:
        return {**row, "status": "rejected", "status_reason": decoded.reject_reason}
    try:
        norm = normalize_text(decoded.text or "", decoded.is_html)
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


_TRANSIENT_REASONS = ("file vanished", "cannot read file", "file changed while")


def _transient(reason: str | None) -> bool:
    """A read that failed for a reason of the moment is tried again next run, never cached."""
    return bool(reason) and reason.startswith(_TRANSIENT_REASONS)


def normalize_notices(raw_dir: Path, manifest: list[dict], previous: list[dict]) -> tuple[list[dict], int]:
    """normalized_notices rows for every usable distinct content; rows cached by sha256 are reused.

    Contents not in the cache are normalized on every core when there are enough of them
    (`pipeline.parallel`); rows keep the manifest's order whatever the number of workers.
    Returns (rows, number of notices actually processed this run).
    """
    from .parallel import ordered_map
    from .versions import NORMALIZE_VERSION

    cache = {
        r["sha256"]: r
        for r in previous
        if r["code_version"] == NORMALIZE_VERSION and not _transient(r.get("status_reason"))
    }
    rows: dict[str, dict | None] = {}
    todo: list[tuple[Path, str]] = []
    for entry in manifest:
        sha = entry["sha256"]
        if entry["reject_reason"] or sha in rows:
            continue
        rows[sha] = cache.get(sha)
        if rows[sha] is None:
            todo.append((Path(raw_dir) / entry["source_path"], sha))
    for row in ordered_map(normalize_file, todo, star=True):
        rows[row["sha256"]] = row
    return [r for r in rows.values() if r is not None], len(todo)
