"""Step 2, normalized: decoded text -> clean simplified-script text, one notice line per line.

Lines are never removed, only blanked, so that line N of the normalized text is line N of the raw
text file (for HTML, line N of the page's text): every extracted row can point at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from . import html_text
from .ingest import RawFile
from .noise import (
    ASCII_RUN_RE,
    CHROME_LINE_RE,
    EDGE_JUNK_TOKEN_RE,
    IMAGE_LINE_RE,
    JUNK_MAX_TOKEN_LEN,
    JUNK_MIN_TOKENS,
    KEEP_TAIL_RE,
    LETTER_RE,
    PINYIN_ANNOTATION_RE,
    PUNCT_RE,
    is_pipe_list_line,
)

# Full-width ASCII forms -> ASCII; ideographic space, NBSP and other odd spaces -> space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None, 0xFEFF: None}
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_SPACES_RE = re.compile(r"[ \t]{2,}|\t")
# a lone space inside Chinese text is layout, not content: 鉴定所 (天水…承建), 整改单位 :4所
_SPACE_BETWEEN_CJK_RE = re.compile(
    r"(?<=[\u4e00-\u9fff)]) (?=[\u4e00-\u9fff(:])|(?<=[:(]) (?=[\u4e00-\u9fff\d])"
)


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


def detect_traditional(text: str, converted: str) -> bool:
    """Traditional when OpenCC changes a noticeable share of the CJK characters."""
    changed = sum(a != b for a, b in zip(text, converted, strict=False))
    cjk = len(_CJK_RE.findall(text))
    return cjk > 0 and changed >= max(3, cjk * 0.02)


def strip_junk(line: str) -> str:
    """Remove forum anti-scraping junk (`3 _8 z5 Y; Q. R!`) spliced into a line, keep item numbers."""

    def repl(m: re.Match[str]) -> str:
        tokens = m.group().split()
        before_text = m.end() < len(line)
        keep = tokens.pop() if before_text and tokens and KEEP_TAIL_RE.match(tokens[-1]) else ""
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
            return f" {keep}" if keep else " "
        return m.group()

    return ASCII_RUN_RE.sub(repl, line)


def normalize_line(line: str) -> str:
    line = strip_junk(line)
    line = _SPACES_RE.sub("\t", line.strip(" "))
    line = "\t".join(part.strip() for part in line.split("\t"))
    return _SPACE_BETWEEN_CJK_RE.sub("", line).strip()


def normalize_text(text: str, is_html: bool = False) -> NormalizedText:
    """Decoded text (or HTML) -> simplified, de-noised text with the line structure kept."""
    if is_html:
        text = html_text.html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_WIDTH)
    annotations = PINYIN_ANNOTATION_RE.findall(text)
    removed = 0
    if len(annotations) >= 3:  # a web converter's signature, not a real parenthesis
        text, removed = PINYIN_ANNOTATION_RE.subn("", text)
    converted = _t2s().convert(text)
    traditional = detect_traditional(text, converted)
    if traditional:
        text = converted
    lines = text.split("\n")
    blanked = 0
    out: list[str] = []
    for raw_line in lines:
        line = normalize_line(raw_line)
        if line and (CHROME_LINE_RE.search(line) or IMAGE_LINE_RE.search(line) or is_pipe_list_line(line)):
            line, blanked = "", blanked + 1
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
    }
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
    return {**row, "script": norm.script, "text": norm.text}


def normalize_notices(raw_dir: Path, manifest: list[dict], previous: list[dict]) -> tuple[list[dict], int]:
    """normalized_notices rows for every usable distinct content; rows cached by sha256 are reused.

    Returns (rows, number of notices actually processed this run).
    """
    from .versions import NORMALIZE_VERSION

    cache = {r["sha256"]: r for r in previous if r["code_version"] == NORMALIZE_VERSION}
    rows: dict[str, dict] = {}
    processed = 0
    for entry in manifest:
        sha = entry["sha256"]
        if entry["reject_reason"] or sha in rows:
            continue
        if sha in cache:
            rows[sha] = cache[sha]
            continue
        rows[sha] = normalize_file(Path(raw_dir) / entry["source_path"], sha)
        processed += 1
    return list(rows.values()), processed
