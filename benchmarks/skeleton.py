"""The ceiling of any pure-Python library path: a skeleton that does only the unavoidable work.

    python benchmarks/skeleton.py RAW_DIR

The library-path target (20 MB/s per core) is a budget per notice. This skeleton spends the part
of that budget that no design can avoid in CPython, and nothing else: decode the bytes (UTF-8,
else GB18030, else Big5), drop HTML tags with one regex, convert the whole text with OpenCC t2s,
strip every line, split it into lines and sentences (`Document`), run one regex per line and make
an `InstitutionItem` for each match. It reads no metadata, no grade, no count, no volume, and
strips no noise. Its MB/s minus the target's is what is left for every extraction rule.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from pipeline.extract.document import Document  # noqa: E402
from pipeline.extract.model import InstitutionItem  # noqa: E402

_ITEM_RE = re.compile(r"^\s*(?:\d+[.、])?\s*(\S+?(?:鉴定所|鉴定站))\s*$")
_TAG_RE = re.compile(r"<[^>]*>")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def skeleton_seconds(files: list[tuple[str, bytes]]) -> float:
    """Seconds the skeleton takes over `files` ((suffix, bytes) pairs), one core."""
    converter = opencc.OpenCC("t2s")
    converter.convert("預熱")  # load the dictionaries outside the clock, as the library path does
    start = time.perf_counter()
    for suffix, data in files:
        text = _decode(data)
        if suffix in (".html", ".htm"):
            text = _TAG_RE.sub("\n", text)
        text = "\n".join(line.strip() for line in converter.convert(text).split("\n"))
        doc = Document(text)
        _ = doc.body  # the sentences, joined
        for number, line in doc.nonblank():
            m = _ITEM_RE.match(line)
            if m:
                InstitutionItem(m.group(1), "pass", "合格", number)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    raw = Path((argv or sys.argv[1:])[0])
    files = [(p.suffix, p.read_bytes()) for p in sorted(raw.iterdir()) if p.is_file()]
    mb = sum(len(d) for _, d in files) / 1e6
    seconds = skeleton_seconds(files)
    print(f"{len(files)} files, {mb:.2f} MB: skeleton {seconds:.3f} s, {mb / seconds:.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
