"""Word 97-2003 binary documents (.doc, and .wps, which WPS saves in the same format) from the OLE
piece table with olefile: the FIB gives the CLX, whose piece descriptors say where each run of the
main text lies (8-bit or UTF-16). Table cells end with \\x07 (a row with one more), fields keep their
result. When the piece table cannot be read and antiword is on PATH, antiword is tried."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile

import olefile

from .model import Part, Reading
from .safety import Rejected

_FIB_FLAGS = 0x0A  # fEncrypted 0x0100, fWhichTblStm 0x0200
_FIB_CCP_TEXT = 0x4C
_FIB_FC_CLX = 0x1A2
_MAX_CHARS = 10_000_000


def _stream(ole: olefile.OleFileIO, name: str) -> bytes:
    if not ole.exists(name):
        raise Rejected(f"OLE file without a {name} stream: not a Word document")
    return ole.openstream(name).read()


def _pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[tuple[int, int, int, bool]]:
    """(cp_start, cp_end, byte offset, compressed) of every piece in the CLX."""
    clx, pos = table[fc_clx : fc_clx + lcb_clx], 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
        pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise ValueError("no piece table")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ValueError("empty piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for i in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        pieces.append((cps[i], cps[i + 1], offset, compressed))
    return pieces


def _piece_text(word: bytes, piece: tuple[int, int, int, bool], limit: int) -> str:
    start, end, offset, compressed = piece
    count = max(0, min(end, limit) - start)
    if compressed:
        return word[offset : offset + count].decode("cp1252", "replace")
    return word[offset : offset + 2 * count].decode("utf-16-le", "replace")


def _without_field_codes(text: str) -> str:
    """Field begin \\x13 … separator \\x14 … end \\x15: keep only the result (nesting respected)."""
    out, depth, in_code = [], 0, []
    for ch in text:
        if ch == "\x13":
            depth += 1
            in_code.append(True)
        elif ch == "\x14" and in_code:
            in_code[-1] = False
        elif ch == "\x15" and in_code:
            in_code.pop()
            depth -= 1
        elif not (in_code and in_code[-1]):
            out.append(ch)
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Paragraphs as lines; a table row's cells (each ending \\x07, the row with one more) as tabs."""
    text = _without_field_codes(text).replace("\x07\r", "\x07")
    lines = []
    for para in text.replace("\x07\x07", "\x07\r").split("\r"):
        cells = para.split("\x07")
        # a table row's cells as tabs; in a paragraph, a manual line break (\x0b) starts a new line
        row = len(cells) > 1
        pieces = ["\t".join(c.strip() for c in cells).rstrip("\t")] if row else para.split("\x0b")
        for line in pieces:
            lines.append("".join(ch if ch >= " " or ch == "\t" else " " for ch in line).strip())
    return lines


def piece_table_text(data: bytes) -> str:
    """The main text of a Word 97 binary file."""
    with olefile.OleFileIO(data) as ole:
        word = _stream(ole, "WordDocument")
        if len(word) < _FIB_FC_CLX + 8 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
            raise Rejected("OLE file whose WordDocument stream is not Word 97-2003 (too old or damaged)")
        flags = struct.unpack_from("<H", word, _FIB_FLAGS)[0]
        if flags & 0x0100:
            raise Rejected("the Word document is password-protected; save a copy without the password")
        table = _stream(ole, "1Table" if flags & 0x0200 else "0Table")
    ccp_text = min(struct.unpack_from("<I", word, _FIB_CCP_TEXT)[0], _MAX_CHARS)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, _FIB_FC_CLX)
    parts = [_piece_text(word, p, ccp_text) for p in _pieces(table, fc_clx, lcb_clx) if p[0] < ccp_text]
    return "".join(parts)


def _antiword(data: bytes) -> str | None:
    """antiword's text of the file, when antiword is installed and reads it; else None."""
    exe = shutil.which("antiword")
    if exe is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".doc") as fh:
        fh.write(data)
        fh.flush()
        try:
            done = subprocess.run(
                [exe, "-m", "UTF-8.txt", "-w", "0", fh.name], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def read_word97(data: bytes, fmt: str = "doc") -> Reading:
    try:
        text = piece_table_text(data)
        return Reading(fmt, [Part(None, _lines(text))])
    except Rejected:
        raise
    except (ValueError, struct.error, OSError) as exc:
        fallback = _antiword(data)
        if fallback is None:
            raise Rejected(
                f"Word 97 piece table not readable ({exc}); install antiword or save the file as .docx"
            ) from exc
        return Reading(fmt, [Part(None, [line.strip() for line in fallback.splitlines()])])
