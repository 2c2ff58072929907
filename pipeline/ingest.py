"""Step 1, raw: find the raw files, hash them, read their bytes and decode them to text.

Nothing here raises on bad input: every file found becomes a `RawFile`, and a file that cannot be
read or decoded carries a `reject_reason` a person can act on.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = int(os.environ.get("JIANDING_MAX_BYTES", 20 * 1024 * 1024))
# Encodings a Chinese notice comes in; detection chooses among these only.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "big5hkscs"]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|table|meta)\b", re.I)


@dataclass
class RawFile:
    source_path: str  # relative to the raw folder, '/'-separated
    path: Path
    size_bytes: int
    sha256: str
    reject_reason: str | None = None


def _relative(path: Path, root: Path) -> str:
    rel = os.fsdecode(path.relative_to(root))
    # a file name that is not valid UTF-8 keeps its bytes visible instead of breaking the output
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").replace(os.sep, "/")


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_raw_folder(root: Path) -> list[RawFile]:
    """Every file under `root` (recursively, hidden files skipped, symlinks not followed), sorted."""
    root = Path(root)
    found: list[RawFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            found.append(describe_file(path, root))
    found.sort(key=lambda f: f.source_path)
    return found


def describe_file(path: Path, root: Path) -> RawFile:
    """Hash one file, or say why it cannot be used."""
    rel = _relative(path, root)
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                return RawFile(rel, path, 0, "", "symlink pointing outside the raw folder; not followed")
        stat = path.stat()
        if not path.is_file():
            return RawFile(rel, path, 0, "", "not a regular file")
        suffix = path.suffix.lower()
        sha = _hash_file(path)
        if suffix not in SUPPORTED_SUFFIXES:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            return RawFile(
                rel,
                path,
                stat.st_size,
                sha,
                f"unsupported file type '{suffix or '(none)'}': save it as {kinds}",
            )
        if stat.st_size == 0:
            return RawFile(rel, path, 0, sha, "empty file")
        if stat.st_size > MAX_BYTES:
            return RawFile(
                rel,
                path,
                stat.st_size,
                sha,
                f"file is {stat.st_size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB cap "
                "(raise JIANDING_MAX_BYTES to accept it)",
            )
        return RawFile(rel, path, stat.st_size, sha)
    except FileNotFoundError:
        return RawFile(rel, path, 0, "", "file vanished between listing and reading")
    except OSError as exc:
        return RawFile(rel, path, 0, "", f"cannot read file: {exc.strerror or exc}")


@dataclass
class Decoded:
    text: str | None
    encoding: str | None
    is_html: bool
    reject_reason: str | None = None


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 has NULs by design
    if head.count(b"\x00") > len(head) // 100 + 1 and not _utf16_without_bom(head):
        return True
    return head.startswith(
        (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
    )


def _utf16_without_bom(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > len(head) // 8 and min(even, odd) < len(head) // 50


def decode_bytes(data: bytes, suffix: str) -> Decoded:
    """Decode raw bytes to text; detect the encoding among the ones Chinese notices use."""
    is_html = suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.search(data[:2048]))
    if _looks_binary(data):
        return Decoded(
            None, None, is_html, "binary content, not text (a PDF, Office file or image saved as text?)"
        )
    decoded = _decode(data, is_html)
    if decoded.text is not None and _CONTROL_RE.sub("", decoded.text[:8192]) != decoded.text[:8192]:
        controls = len(_CONTROL_RE.findall(decoded.text[:8192]))
        if controls > max(2, len(decoded.text[:8192]) // 100):
            return Decoded(None, decoded.encoding, is_html, "binary content, not text (control characters)")
    return decoded


def _decode(data: bytes, is_html: bool) -> Decoded:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf_8_sig"), (b"\xff\xfe", "utf_16"), (b"\xfe\xff", "utf_16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding.replace("_", "-"), is_html)
            except UnicodeDecodeError:
                break
    try:
        return Decoded(data.decode("utf-8"), "utf-8", is_html)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS, preemptive_behaviour=False).best()
    if best is None:
        return Decoded(None, None, is_html, "undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 200):
        return Decoded(None, best.encoding, is_html, f"mostly undecodable bytes (best guess {best.encoding})")
    return Decoded(text, best.encoding.replace("_", "-"), is_html)


def read_and_decode(raw: RawFile) -> Decoded:
    """Read a usable raw file and decode it (a file that vanished since scanning is rejected)."""
    try:
        data = raw.path.read_bytes()
    except FileNotFoundError:
        return Decoded(None, None, False, "file vanished between listing and reading")
    except OSError as exc:
        return Decoded(None, None, False, f"cannot read file: {exc.strerror or exc}")
    if hashlib.sha256(data).hexdigest() != raw.sha256:
        return Decoded(
            None, None, False, "file changed while the build was reading it; it is picked up next run"
        )
    return decode_bytes(data, raw.path.suffix)


def build_manifest(root: Path) -> list[dict]:
    """Rows of the raw_manifest work table."""
    return [
        {
            "source_path": f.source_path,
            "sha256": f.sha256,
            "size_bytes": f.size_bytes,
            "reject_reason": f.reject_reason,
        }
        for f in scan_raw_folder(root)
    ]
