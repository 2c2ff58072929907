"""How long reading each kind of attachment takes, hostile ones included (each in its child process).

    .venv/bin/python benchmarks/attachments.py

Prints, per file made by tests/office_files.py: its size, the seconds until the reader answered
(in a child process with the default memory limit and timeout), and the format and reason. The
issue's aim: every hostile file rejected within seconds, never by the timeout.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.readers.isolate import limits, read_isolated  # noqa: E402
from tests import office_files as of  # noqa: E402

ROWS = [["序号", "鉴定机构名称", "年检结论"]]
ROWS += [[str(i), f"第{i}职业技能鉴定所", "合格"] for i in range(1, 200)]
LONG = ROWS + [[str(i), f"第{i}职业技能鉴定所", "合格"] for i in range(200, 1000)]


def files() -> list[tuple[str, bytes]]:
    return [
        ("xlsx, 200 rows", of.xlsx(ROWS)),
        ("xls, 200 rows", of.xls(ROWS)),
        ("docx, 200 rows", of.docx([], ROWS)),
        ("doc, 200 rows", of.word97(of.word97_rows(ROWS))),
        ("pdf, 200 rows (6 pages)", of.pdf([], ROWS)),
        ("pdf, 1,000 rows (27 pages)", of.pdf([], LONG)),
        ("zip bomb (200 MiB member)", of.zip_bomb(200)),
        ("xlsx with bzip2 members", of.recompressed(of.xlsx(ROWS))),
        ("PDF of 100,000 pages", of.pdf_many_pages(100_000)),
        ("PDF compression bomb (4 GiB stream)", of.pdf_bomb(4096)),
        ("OLE file that is not Word", of.ole_file({"Foo": b"x"})),
    ]


def main() -> None:
    memory, timeout = limits()
    print(f"child limits: {memory >> 20} MiB address space, {timeout:g} s")
    for name, data in files():
        start = time.perf_counter()
        reading = read_isolated(data)
        took = time.perf_counter() - start
        verdict = reading.reject_reason or f"read: {sum(len(p.lines) for p in reading.parts)} lines"
        print(f"{name:38} {len(data):>10,} bytes {took:6.2f} s  {reading.format:5} {verdict[:90]}")


if __name__ == "__main__":
    main()
