"""Step 1, raw: find the raw files, hash them, read their bytes and decode them to text.

Nothing here raises on bad input: every file found becomes a `RawFile`, and a file that cannot be
read or decoded carries a `reject_reason` a person can act on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import charset_normalizer
from charset_normalizer import from_bytes

from ..readers.detect import DESCRIPTIONS, sniff

if TYPE_CHECKING:
    import pyarrow as pa

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
ARCHIVE_SUFFIXES = {".mht", ".mhtml"}
# the page of a notice folder (one of them) and the attachments read beside it
PAGE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | ARCHIVE_SUFFIXES
ATTACHMENT_SUFFIXES = {".xls", ".xlsx", ".et", ".doc", ".docx", ".wps", ".pdf", ".ofd"}
SUPPORTED_SUFFIXES = PAGE_SUFFIXES | ATTACHMENT_SUFFIXES
SIDECAR_NAME = "notice.json"
RESOURCE_SUFFIX = "_files"  # a browser's resource folder beside a saved page (页面_files/)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Encodings a Chinese notice comes in; detection chooses among these only.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "big5hkscs"]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a page's tag: its name closed (<p>, <br/>) or followed by an attribute (<meta charset=gbk>), not a
# text's stray '<' before a letter (forum anti-scraping junk: '鉴定管理<P {; g')
_HTML_SNIFF = re.compile(
    rb"<\s*(?:!doctype\s+html|(?:html|head|body|div|p|table|meta)(?:\s*/?>|\s+[a-z][a-z-]*\s*(?:=|/?>)))",
    re.I,
)
CJK_RE = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character (also used by normalize)
_KINDS = {
    ".zip": "zip archive",
    ".rar": "rar archive",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
}


def max_bytes() -> int:
    """Size cap per raw file: $JIANDING_MAX_BYTES (read at call time), default 20 MB."""
    try:
        return int(os.environ.get("JIANDING_MAX_BYTES") or DEFAULT_MAX_BYTES)
    except ValueError:
        return DEFAULT_MAX_BYTES


# A file's hash is reused from the last scan when its (size, mtime_ns, ctime_ns, inode, device) are
# the same (`KnownHashes`: source_path -> (stat key, sha256)). The ctime catches what the mtime
# cannot: a file replaced under the same inode number with its size and mtime restored (tar, cp -p).
# A stat key is recorded only for a file whose last change (ctime) is more than RACY_NS before it was
# hashed: a file written again within the same timestamp tick as the hash would keep its times, so
# such a file is hashed again by the next scan.
RACY_NS = 2_000_000_000
StatKey = tuple[int, int, int, int, int]
KnownHashes = Mapping[str, tuple[StatKey, str]]
STAT_COLUMNS = ("size_bytes", "mtime_ns", "ctime_ns", "inode", "device")


@dataclass
class RawFile:
    source_path: str  # relative to the raw folder, '/'-separated
    path: Path
    size_bytes: int
    sha256: str
    reject_reason: str | None = None
    notice: str = ""  # source_path of the notice folder the file belongs to; "" for a loose file
    role: str = "page"  # page / attachment / sidecar / resources (a browser's folder, not read)
    stat_key: StatKey | None = None  # (size, mtime_ns, ctime_ns, inode, device) when hashed


def _human(n: int) -> str:
    """1536 -> '1.5 KiB', 20971520 -> '20 MiB'."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{round(n / size, 1):g} {unit}"
    return f"{n} bytes"


def _relative(path: Path, root: Path) -> str:
    """Path relative to `root`, '/'-separated; bytes of a name that is not UTF-8 shown as \\xHH, and a
    backslash in a name doubled, so that no two files share a source_path (`source_file` undoes it)."""
    rel = os.fsdecode(path.relative_to(root)).replace(os.sep, "/").replace("\\", "\\\\")
    # a file name that is not valid UTF-8 keeps its bytes visible instead of breaking the output
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_ESCAPED_BYTE_RE = re.compile(r"\\x([0-9a-f]{2})")
_ESCAPE_RE = re.compile(r"\\\\|\\x([0-9a-f]{2})")


def source_file(root: Path, source_path: str) -> Path:
    """The file under `root` that `source_path` (`_relative`'s) names: \\\\ is a backslash, \\xHH a byte."""
    if "\\" not in source_path:
        return root / source_path

    def unescape(m: re.Match[str]) -> str:
        return "\\" if m.group(1) is None else chr(0xDC00 + int(m.group(1), 16))

    raw = _ESCAPE_RE.sub(unescape, source_path)
    return root / os.fsdecode(raw.encode("utf-8", "surrogateescape"))


def fs_path(path: Path) -> Path:
    """The real file behind a path built from a `source_path`: undo `_relative`'s \\xHH escapes
    (a name that is not valid UTF-8) when the path as written does not exist."""
    if os.path.lexists(path) or "\\x" not in str(path):
        return path
    raw = _ESCAPED_BYTE_RE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), str(path))
    try:
        return Path(os.fsdecode(raw.encode("utf-8", "surrogateescape")))
    except UnicodeError:
        return path


def _hash_file(path: Path) -> str:
    """SHA-256 streamed in 1 MB blocks (memory stays flat whatever the size)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


def _hash_or_reuse(
    path: Path, rel: str, stat: os.stat_result, known: KnownHashes | None
) -> tuple[str, StatKey | None]:
    """(sha256, the stat key to record or None): the last scan's hash when the file's stat key is
    the one recorded with it, else a fresh hash (see RACY_NS)."""
    key = _stat_key(stat)
    entry = known.get(rel) if known else None
    if entry is not None and entry[0] == key:
        return entry[1], key
    sha = _hash_file(path)
    return sha, (key if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS else None)


def is_notice_folder(filenames: list[str]) -> bool:
    """A folder is one notice when it holds a notice.json sidecar, or one page and attachments."""
    visible = [n for n in filenames if not n.startswith(".")]
    if SIDECAR_NAME in visible:
        return True
    suffixes = [PurePosixPath(n).suffix.lower() for n in visible]
    pages = sum(s in PAGE_SUFFIXES for s in suffixes)
    return pages == 1 and any(s in ATTACHMENT_SUFFIXES for s in suffixes)


def member_role(name: str) -> str:
    """page / attachment / sidecar, by a notice folder's file name (the page by its extension)."""
    if name == SIDECAR_NAME:
        return "sidecar"
    return "page" if PurePosixPath(name).suffix.lower() in PAGE_SUFFIXES else "attachment"


def resource_folders(dirnames: list[str], filenames: list[str]) -> set[str]:
    """The `<stem>_files` folders a browser saved beside the page `<stem>.htm` (skipped, not read)."""
    stems = {PurePosixPath(n).stem for n in filenames if PurePosixPath(n).suffix.lower() in PAGE_SUFFIXES}
    return {d for d in dirnames if d.endswith(RESOURCE_SUFFIX) and d[: -len(RESOURCE_SUFFIX)] in stems}


OWN_OUTPUT = "the build's own output folder (curated or work folder inside the raw folder); not read"


def _resolved(folder: Path) -> Path | None:
    try:
        return folder.resolve()
    except (OSError, RuntimeError):
        return None


def scan_raw_folder(
    root: Path, exclude: tuple[Path, ...] = (), known: KnownHashes | None = None
) -> list[RawFile]:
    """Every file under `root` (recursively, hidden files skipped, symlinks not followed), sorted.
    `known`: the last scan's hashes (`known_hashes`), reused for files whose stat is unchanged.

    A symlink to a folder is not descended into; it gets a row of its own saying so. The files of a
    notice folder carry the folder's source_path (`notice`) and their role; a browser's resource
    folder is one row (role resources) and is not descended into. So is a folder in `exclude` (the
    build's curated and work folders, when they lie inside the raw folder): a build never reads its
    own output back as input.
    """
    root = Path(root)
    found: list[RawFile] = []
    skip = {r for r in map(_resolved, exclude) if r is not None}

    def unreadable(error: OSError) -> None:  # a folder we may not list still gets a row, not silence
        path = Path(error.filename or root)
        if path != root:
            reason = f"cannot read folder: {error.strerror or error}; its files are not listed"
            found.append(RawFile(_relative(path, root), path, 0, "", reason))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(dirpath)
        notice = _relative(here, root) + "/" if here != root and is_notice_folder(filenames) else ""
        visible = sorted(d for d in dirnames if not d.startswith("."))
        resources = resource_folders(visible, filenames)
        own = {d for d in visible if skip and _resolved(Path(dirpath) / d) in skip}
        dirnames[:] = [
            d
            for d in visible
            if not os.path.islink(os.path.join(dirpath, d)) and d not in resources and d not in own
        ]
        found += _unread_folders(here, root, visible, resources, own, notice)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            raw = describe_file(here / name, root, known)
            if notice:
                raw.notice, raw.role = notice, member_role(name)
            found.append(raw)
    found.sort(key=lambda f: f.source_path)
    return found


def _unread_folders(
    here: Path, root: Path, visible: list[str], resources: set[str], own: set[str], notice: str
) -> list[RawFile]:
    """A row for each sub-folder of `here` that is not walked: a symlink, a browser's resource
    folder, the build's own output."""
    rows = []
    for name in visible:
        path = here / name
        if path.is_symlink():
            rows.append(RawFile(_relative(path, root), path, 0, "", "symlink to a folder; not followed"))
        elif name in resources:
            page = name[: -len(RESOURCE_SUFFIX)]
            reason = f"a browser's resource folder (images, scripts) of {page}; not read"
            rows.append(RawFile(_relative(path, root) + "/", path, 0, "", reason, notice, "resources"))
        elif name in own:
            rows.append(RawFile(_relative(path, root), path, 0, "", OWN_OUTPUT))
    return rows


def _symlink_problem(path: Path, root: Path) -> str | None:
    """Why a symlink is not followed (broken, a loop, pointing outside the raw folder); None for a
    path that is no symlink or one whose target lies inside the raw folder."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "broken symlink: its target does not exist"
    except (RuntimeError, OSError):  # ELOOP (RuntimeError before Python 3.13)
        return "symlink loop; not followed"
    if not target.is_relative_to(Path(root).resolve()):
        return "symlink pointing outside the raw folder; not followed"
    return None


def describe_file(path: Path, root: Path, known: KnownHashes | None = None) -> RawFile:
    """Hash one file (or take its hash from `known`, when its stat is unchanged), or say why it
    cannot be used. A file over the size cap is not read at all."""
    rel = _relative(path, root)
    try:
        problem = _symlink_problem(path, root)
        if problem:
            return RawFile(rel, path, 0, "", problem)
        stat = path.stat()
        if not path.is_file():
            return RawFile(rel, path, 0, "", "not a regular file")
        cap = max_bytes()
        if stat.st_size > cap:
            return RawFile(
                rel,
                path,
                stat.st_size,
                "",
                f"file is {_human(stat.st_size)}, over the {_human(cap)} cap; not read "
                "(raise JIANDING_MAX_BYTES to accept it)",
            )
        sha, stat_key = _hash_or_reuse(path, rel, stat, known)
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES and path.name != SIDECAR_NAME:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            kind = f" ({_KINDS[suffix]})" if suffix in _KINDS else ""
            return RawFile(
                rel,
                path,
                stat.st_size,
                sha,
                f"unsupported file type '{suffix or '(none)'}'{kind}: save it as {kinds}",
            )
        if stat.st_size == 0:
            return RawFile(rel, path, 0, sha, "empty file")
        return RawFile(rel, path, stat.st_size, sha, stat_key=stat_key)
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


def _binary_kind(data: bytes) -> str | None:
    """What binary content this is ('a PDF', ...), 'binary' for other binary, None for text."""
    head = data[:4096]
    family = sniff(head)
    if family not in ("text", "html", "mhtml"):
        return DESCRIPTIONS[family]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 has NULs by design
    if head.count(b"\x00") > len(head) // 100 + 1 and not _utf16_without_bom(head):
        return "binary"
    return None


# A file whose bytes are damaged but whose text is kept (cut mid-character, a lone UTF-16 surrogate)
# has its encoding labelled 'utf-8 (damaged: …)'; the notice gets the label's detail as a warning
# and only the encoding's name in its `encoding` column (`split_damage`).
_DAMAGED = " (damaged: "


def damaged(encoding: str, detail: str) -> str:
    """The label of a decode that kept the text of damaged bytes."""
    return f"{encoding}{_DAMAGED}{detail})"


def split_damage(label: str | None) -> tuple[str | None, str | None]:
    """(encoding, what was damaged or None) of an encoding label."""
    if not label or _DAMAGED not in label:
        return label, None
    encoding, detail = label.split(_DAMAGED, 1)
    return encoding, detail.removesuffix(")")


def _few_replaced(text: str) -> bool:
    """Whether a lenient decode replaced few enough characters (U+FFFD) to keep the text."""
    return text.count("\ufffd") <= max(3, len(text) // 200)


def _utf16_lenient(data: bytes, encoding: str) -> tuple[str, str] | None:
    """(text, label) of UTF-16 with a few bad code units (a lone surrogate) or cut mid-unit, each
    replaced by U+FFFD; None when the bytes are not UTF-16 with few such errors."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    if not _few_replaced(text):
        return None
    return text, damaged(encoding, f"{bad} invalid UTF-16 code unit(s) replaced with U+FFFD")


def _utf16_without_bom(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > len(head) // 8 and min(even, odd) < len(head) // 50


def _utf16_without_bom_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-16 saved without a byte-order mark: Chinese text has few NUL bytes
    in UTF-16, so the NUL test cannot tell it from binary; a strict decode that reads as Chinese can."""
    if len(data) < 2 or b"\x00" not in data[:4096] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        label = encoding
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:  # cut mid-unit or a lone surrogate: kept if the rest reads
            lenient = _utf16_lenient(data, encoding)
            if lenient is None:
                continue
            text, label = lenient
        sample = text[:4096]
        prose = any(
            mark in sample for mark in "\n，。、："
        )  # bytes that merely fall in the CJK range lack these
        if (
            prose
            and len(CJK_RE.findall(sample)) * 3 >= len(sample.strip())
            and not _CONTROL_RE.search(sample)
        ):
            return text, label
    return None


def decode_bytes(data: bytes, suffix: str) -> Decoded:
    """Decode raw bytes to text; detect the encoding among the ones Chinese notices use."""
    is_html = suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.search(data[:2048]))
    utf16 = _utf16_without_bom_text(data)
    if utf16:
        return Decoded(utf16[0], utf16[1], is_html)
    kind = _binary_kind(data)
    if kind == "binary":
        return Decoded(
            None, None, is_html, "binary content, not text (a PDF, Office file or image saved as text?)"
        )
    if kind:
        return Decoded(
            None, None, is_html, f"binary content, not text: {kind} saved as {suffix or 'a text file'}"
        )
    decoded = _decode(data, is_html)
    if decoded.text is not None:
        if decoded.encoding in _CONTROLS_ARE_BYTES and not data.translate(None, _NOT_CONTROL_BYTES):
            return decoded  # no control byte, so no control character (the common case, one fast pass)
        head = decoded.text[:8192]
        if _CONTROL_RE.search(head):  # (search, not sub-and-compare: no copy of the head)
            controls = len(_CONTROL_RE.findall(head))
            if controls > max(2, len(head) // 100):
                reason = "binary content, not text (control characters)"
                return Decoded(None, decoded.encoding, is_html, reason)
    return decoded


# The bytes `_CONTROL_RE` looks for: in these encodings such a byte is never part of a multi-byte
# character, and such a character only ever comes from such a byte.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_RE.match(chr(b)))
_CONTROLS_ARE_BYTES = frozenset({"utf-8", "utf-8-sig", "gb18030", "big5"})


def _decode(data: bytes, is_html: bool) -> Decoded:
    """Text and encoding of bytes that are not binary, or why they cannot be decoded. Tried in turn:
    a byte-order mark, strict UTF-8, mixed UTF-8 and legacy lines, a legacy encoding settled
    without the detector, then the detector (charset_normalizer)."""
    for attempt in (_decode_by_bom, _decode_utf8, _decode_mixed, _legacy_without_detector):
        decoded = attempt(data, is_html)
        if decoded is not None:
            return decoded
    return _decode_detected(data, is_html)


def _decode_by_bom(data: bytes, is_html: bool) -> Decoded | None:
    """The text by the byte-order mark it starts with (UTF-8 or UTF-16); None without one, or when
    the bytes after it do not decode."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf_8_sig"), (b"\xff\xfe", "utf_16"), (b"\xfe\xff", "utf_16")):
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is not None:
                return Decoded(text, encoding.replace("_", "-"), is_html)
            lenient = _utf16_lenient(data, encoding) if encoding == "utf_16" else None
            return None if lenient is None else Decoded(lenient[0], lenient[1].replace("_", "-"), is_html)
    return None


def _decode_utf8(data: bytes, is_html: bool) -> Decoded | None:
    """The text when the bytes are strictly UTF-8, or UTF-8 cut mid-character (the incomplete last
    character dropped, with a warning); None otherwise."""
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", is_html)
    try:  # valid UTF-8 but for an incomplete character at the very end: a file cut short
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return None
    detail = f"cut mid-character: the last {len(data) - len(text.encode('utf-8'))} byte(s) dropped"
    return Decoded(text, damaged("utf-8", detail), is_html)


def _decode_detected(data: bytes, is_html: bool) -> Decoded:
    """The detector's best guess among CANDIDATE_ENCODINGS, rejected when it leaves too many U+FFFD."""
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS, preemptive_behaviour=False).best()
    if best is None:  # the detector can give up on a short or chrome-heavy page
        return _decode_mostly_chinese(data, is_html)
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 200):
        return Decoded(None, best.encoding, is_html, f"mostly undecodable bytes (best guess {best.encoding})")
    return Decoded(text, best.encoding.replace("_", "-"), is_html)


def _decode_mostly_chinese(data: bytes, is_html: bool) -> Decoded:
    """The first legacy Chinese encoding (GB18030, then Big5) that decodes every byte strictly into
    mostly Chinese text; else the bytes are rejected as undecodable."""
    for encoding in ("gb18030", "big5"):
        text = _strict(data, encoding)
        if text is not None and len(CJK_RE.findall(text)) * 4 >= len(text.strip()):
            return Decoded(text, encoding, is_html)
    return Decoded(None, None, is_html, "undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16")


# Byte-order marks and signatures charset_normalizer looks for at the start of a payload
# (`charset_normalizer.constant.ENCODING_MARKS`): with one, its detection takes another course.
_DETECTOR_MARKS = (
    b"\xef\xbb\xbf",
    b"\x2b\x2f\x76",
    b"\x84\x31\x95\x33",
    b"\x00\x00\xfe\xff",
    b"\xff\xfe",
    b"\xfe\xff",
)
_DETECTOR_TOO_BIG = 10_000_000  # charset_normalizer's TOO_BIG_SEQUENCE


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# The shortcut below mirrors how this charset_normalizer version decides (read from its source);
# any other version always runs the detector.
_DETECTOR_KNOWN = charset_normalizer.__version__ == "3.5.3"


def _legacy_without_detector(data: bytes, is_html: bool) -> Decoded | None:
    """What `_decode` concludes from the detector, reached without running the detector, in the
    cases where its answer cannot matter; None otherwise (then the detector runs).

    Here the bytes are not UTF-8 (nor UTF-16 with a BOM). charset_normalizer, restricted to
    CANDIDATE_ENCODINGS and given no BOM or signature, only keeps candidates that decode the whole
    payload strictly, and has no fallback for gb18030/big5/big5hkscs. So when exactly one of them
    decodes strictly, `best` is that one or None; when it is gb18030 or big5 and its text is mostly
    Chinese with few U+FFFD, both branches of `_decode` return the same strict decode. When none
    decodes, `best` is None and so is every fallback: the bytes are rejected.
    """
    if not _DETECTOR_KNOWN or len(data) >= _DETECTOR_TOO_BIG or data.startswith(_DETECTOR_MARKS):
        return None
    # (Big5 first: it fails fast on GBK bytes, and Big5 bytes mostly decode as GB18030 too)
    big5 = _strict(data, "big5")
    gb18030 = _strict(data, "gb18030")
    if (big5 is not None and gb18030 is not None) or _strict(data, "big5hkscs") is not None:
        return None
    if gb18030 is not None:
        text, encoding = gb18030, "gb18030"
    elif big5 is not None:
        text, encoding = big5, "big5"
    else:
        return Decoded(None, None, is_html, "undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16")
    # (the count of `CJK_RE` matches, taken by runs: one list item per run, not per character)
    chinese = sum(map(len, _CJK_RUN_RE.findall(text)))
    if chinese * 4 < len(text.strip()) or text.count("\ufffd") > max(3, len(text) // 200):
        return None
    return Decoded(text, encoding, is_html)


_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_ESCAPED_RE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, under surrogateescape
# a line (of a file decoded with surrogateescape) that is valid UTF-8 and holds a Chinese character;
# possessive, so linear: non-Chinese valid characters, the first Chinese one, valid characters to the end
_UTF8_CHINESE_LINE_RE = re.compile(
    "(?m)^[^\n\udc80-\udcff\u4e00-\u9fff]*+[\u4e00-\u9fff][^\n\udc80-\udcff]*+$"
)


def _decode_mixed(data: bytes, is_html: bool) -> Decoded | None:
    """A file pasted together from a UTF-8 and a legacy-encoded source (GB18030 or Big5).

    Each line is decoded in its own encoding: a line that is valid UTF-8 and holds Chinese
    characters as UTF-8, every other line in the one legacy encoding detected on those lines. The
    encoding is reported as e.g. 'utf-8+gb18030', which the notice carries as a warning. None when
    the file is not such a mix (no UTF-8 Chinese line, or no other non-ASCII line).
    """
    # One pass for the whole file: under surrogateescape each byte that is not UTF-8 becomes a lone
    # surrogate, and b"\n" never belongs to a bad sequence, so a line decodes strictly exactly when
    # its part of this text holds no such surrogate (and then it is that part).
    escaped = data.decode("utf-8", "surrogateescape")
    if not CJK_RE.search(escaped) or not _UTF8_CHINESE_LINE_RE.search(escaped):
        return None  # no line holds Chinese as UTF-8
    str_lines = escaped.split("\n")
    utf8_lines: set[int] = set()
    legacy_lines: list[int] = []
    for i, line in enumerate(str_lines):
        if line.isascii():
            continue
        if CJK_RE.search(line) and not _ESCAPED_RE.search(line):
            utf8_lines.add(i)
        else:
            legacy_lines.append(i)
    if not utf8_lines or not legacy_lines:
        return None
    lines = data.split(b"\n")
    legacy_bytes = b"\n".join(lines[i] for i in legacy_lines)
    best = from_bytes(legacy_bytes, cp_isolation=["gb18030", "big5", "big5hkscs"]).best()
    encoding = best.encoding if best is not None else "gb18030"
    text = "\n".join(
        str_lines[i] if i in utf8_lines else line.decode(encoding, errors="replace")
        for i, line in enumerate(lines)
    )
    if text.count("\ufffd") > max(3, len(text) // 200):
        return None
    label = f"utf-8+{encoding.replace('_', '-')}"
    return Decoded(text, label, is_html)


def is_mixed_encoding(encoding: str | None) -> bool:
    """True for the label `_decode_mixed` gives ('utf-8+gb18030')."""
    return bool(encoding) and "+" in encoding


def read_bytes(raw: RawFile) -> tuple[bytes | None, str | None]:
    """(bytes, None) of a usable raw file, or (None, why not): a file that vanished or changed since
    scanning is refused. Reads at most the scanned size (the cap when unknown) plus one byte, so a
    file that grew since it was scanned is never slurped."""
    try:
        with fs_path(raw.path).open("rb") as fh:
            data = fh.read(min(raw.size_bytes or max_bytes(), max_bytes()) + 1)
    except FileNotFoundError:
        return None, "file vanished between listing and reading"
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    if hashlib.sha256(data).hexdigest() != raw.sha256:
        return None, "file changed while the build was reading it; it is picked up next run"
    return data, None


def read_and_decode(raw: RawFile) -> Decoded:
    """Read a usable raw file (`read_bytes`) and decode it."""
    data, problem = read_bytes(raw)
    if data is None:
        return Decoded(None, None, False, problem)
    return decode_bytes(data, raw.path.suffix)


def folder_digest(members: list[RawFile]) -> str:
    """The content key of a notice folder: its usable files' names and hashes (sorted)."""
    digest = hashlib.sha256(b"notice folder\n")
    for f in sorted(members, key=lambda m: m.source_path):
        if f.sha256 and not f.reject_reason and f.role != "resources":
            digest.update(f"{PurePosixPath(f.source_path).name}\t{f.sha256}\n".encode())
    return digest.hexdigest()


def folder_members(folder: Path) -> list[RawFile]:
    """The files of one notice folder as scan_raw_folder lists them (source_path = the bare name)."""
    members = [f for f in scan_raw_folder(folder) if "/" not in f.source_path.rstrip("/")]
    for f in members:
        if f.role != "resources":
            f.role = member_role(f.source_path)
    return members


def _folder_entry(source_path: str, members: list[RawFile]) -> dict:
    usable = [m for m in members if not m.reject_reason and m.role in ("page", "attachment")]
    reason = None
    if not usable:
        first = next((m.reject_reason for m in members if m.reject_reason), "no page or attachment")
        reason = f"no readable page or attachment in the folder ({first})"
    return {
        "source_path": source_path,
        "sha256": folder_digest(members) if usable else "",
        "size_bytes": sum(m.size_bytes for m in members),
        "reject_reason": reason,
    }


def manifest_rows(files: list[RawFile]) -> list[dict]:
    """Rows of the raw_manifest work table, one per notice: a loose file, or a notice folder (its
    source_path ends in '/', its sha256 is `folder_digest`). Resource folders make no notice."""
    rows: list[dict] = []
    folders: dict[str, list[RawFile]] = {}
    for f in files:
        if f.notice:
            folders.setdefault(f.notice, []).append(f)
        elif f.role != "resources":
            rows.append(
                {
                    "source_path": f.source_path,
                    "sha256": f.sha256,
                    "size_bytes": f.size_bytes,
                    "reject_reason": f.reject_reason,
                }
            )
    rows += [_folder_entry(path, members) for path, members in folders.items()]
    rows.sort(key=lambda r: r["source_path"])
    return rows


def _owner(f: RawFile, paths: set[str]) -> str:
    """The notice a file belongs to: its folder's, its own, or (a resource folder beside a loose
    page) that page's."""
    if f.notice:
        return f.notice
    if f.role == "resources":
        stem = f.source_path.rstrip("/")[: -len(RESOURCE_SUFFIX)]
        for suffix in sorted(PAGE_SUFFIXES):
            if stem + suffix in paths:
                return stem + suffix
    return f.source_path


def file_rows(files: list[RawFile]) -> list[dict]:
    """Rows of the raw_file_list work table: every file, with its notice and role."""
    paths = {f.source_path for f in files}
    return [
        {
            "source_path": f.source_path,
            "notice_path": _owner(f, paths),
            "role": f.role,
            "sha256": f.sha256,
            "size_bytes": f.size_bytes,
            "reject_reason": f.reject_reason,
        }
        for f in files
    ]


def hash_rows(files: list[RawFile]) -> list[dict]:
    """Rows of the raw_hashes work table: each hashed file's stat key and sha256, for the next scan."""
    return [
        {"source_path": f.source_path, **dict(zip(STAT_COLUMNS, f.stat_key, strict=True)), "sha256": f.sha256}
        for f in files
        if f.stat_key is not None
    ]


def known_hashes(table: pa.Table | None) -> dict[str, tuple[StatKey, str]]:
    """`hash_rows` as written last run (a raw_hashes table, or None) -> what `scan_raw_folder` reuses."""
    if table is None:
        return {}
    cols = [table[c].to_pylist() for c in STAT_COLUMNS]
    entries = zip(zip(*cols, strict=True), table["sha256"].to_pylist(), strict=True)
    return dict(zip(table["source_path"].to_pylist(), entries, strict=True))


def build_manifest(root: Path, exclude: tuple[Path, ...] = ()) -> list[dict]:
    """Rows of the raw_manifest work table, one per notice (`exclude`: see scan_raw_folder)."""
    return manifest_rows(scan_raw_folder(root, exclude))
