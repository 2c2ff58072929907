"""Readers for the files a notice is published with (.xlsx .xls .et .docx .doc .wps .pdf .mht .rtf),
one small module per format, the format decided from the bytes (`detect`).

`read_isolated` is what the pipeline calls: it runs `read_in_process` in a child process under a
memory limit and a timeout (`isolate`), so a reader that aborts (the Rust and C++ libraries do when
an allocation fails), hangs or raises only rejects that file, with a reason.
"""

from __future__ import annotations

from collections.abc import Callable

from .detect import DESCRIPTIONS, detect_format
from .model import Part, Reading
from .safety import Rejected

__all__ = ["Part", "Reading", "read_in_process", "reader_for"]

# formats no reader takes, and what a person can do about it
_UNREAD = {
    "ofd": "OFD document: no maintained OFD reader installs from wheels and passed the tests; "
    "open it in an OFD reader (数科, 福昕) and save it as PDF",
    "ole": "OLE compound file that is neither Word nor Excel; save the list as .xlsx, .docx or .htm",
    "zip": "zip archive that is not a .docx, .xlsx or .ofd, or a damaged one: open it and save it "
    "again, or unpack it into the notice's folder",
}


_OUT_OF_MEMORY = (
    "{kind} that inflates past the reader's memory limit (JIANDING_READER_MEMORY_MB): a decompression "
    "bomb, or a file to open and save again"
)


def _spreadsheet(data: bytes, fmt: str) -> Reading:
    from .spreadsheet import read_spreadsheet

    return read_spreadsheet(data, fmt)


def _docx(data: bytes, fmt: str) -> Reading:
    from .docx import read_docx

    return read_docx(data)


def _word97(data: bytes, fmt: str) -> Reading:
    from .word97 import read_word97

    return read_word97(data, fmt)


def _pdf(data: bytes, fmt: str) -> Reading:
    from .pdf import read_pdf

    return read_pdf(data)


def _rtf(data: bytes, fmt: str) -> Reading:
    from .rtf import read_rtf

    return read_rtf(data)


def _mhtml(data: bytes, fmt: str) -> Reading:
    from .mhtml import read_mhtml

    return read_mhtml(data)


_READERS: dict[str, Callable[[bytes, str], Reading]] = {
    "xlsx": _spreadsheet,
    "xls": _spreadsheet,
    "docx": _docx,
    "doc": _word97,
    "pdf": _pdf,
    "mhtml": _mhtml,
    "rtf": _rtf,
}


def reader_for(fmt: str) -> Callable[[bytes, str], Reading] | None:
    return _READERS.get(fmt)


def read_in_process(data: bytes) -> Reading:
    """Detect the format and read the file here; never raises (a failure is a rejected Reading)."""
    fmt = detect_format(data)
    reader = _READERS.get(fmt)
    if reader is None:
        reason = _UNREAD.get(fmt) or f"{DESCRIPTIONS.get(fmt, fmt)}: no reader for this format"
        return Reading(fmt, reject_reason=reason)
    try:
        return reader(data, fmt)
    except Rejected as exc:
        return Reading(fmt, reject_reason=str(exc))
    except MemoryError:
        return Reading(fmt, reject_reason=_OUT_OF_MEMORY.format(kind=DESCRIPTIONS[fmt]))
    except Exception as exc:  # a reader's bug on one odd file must only reject that file
        if "allocate" in str(exc).lower():  # a C library's failed allocation, under the limit
            return Reading(fmt, reject_reason=_OUT_OF_MEMORY.format(kind=DESCRIPTIONS[fmt]))
        return Reading(
            fmt,
            reject_reason=f"{DESCRIPTIONS[fmt]}: the reader failed ({type(exc).__name__}: {exc}); open "
            "it and save it again, or report it",
        )
