"""Layout perturbations that leave a notice's gold unchanged, to measure how far rules generalize.

Each perturbation rewrites a text notice the way another site could have typed the same notice:
another numbering style, cells split by spaces or pipes instead of tabs, full-width characters,
indentation, blank lines, traditional script, page furniture around the article. A careful reader
gets the same gold from the rewritten text (for traditional script, the gold's names go through the
same round trip), so any drop in score is a rule that read the surface instead of the structure.

    python -m tests.perturb CORPUS... [--only NAME,...]   # scores each perturbation beside the original
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ITEM_NUMBER_RE = re.compile(r"^([ \t\u3000]*)(\d{1,3})[.、．]\s*(?=\S)", re.M)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
_DIGITS_TO_FULL = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
_FURNITURE_TOP = "首页 > 政务公开 > 通知公告\n【字体：大 中 小】 浏览次数：1024\n"
_FURNITURE_BOTTOM = "\n打印本页 关闭窗口\n上一篇：关于做好培训工作的通知\n下一篇：无\n"


def _numbered(style: Callable[[int], str]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        return _ITEM_NUMBER_RE.sub(lambda m: m.group(1) + style(int(m.group(2))), text)

    return rewrite


def _circled(n: int) -> str:
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"


def _cells(join: Callable[[list[str]], str]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        return "\n".join(
            join(line.split("\t")) if "\t" in line else line for line in text.split("\n")
        )

    return rewrite


_ALIGNED_RE = re.compile(r"\S(?: {2,}|\u3000)\S|^[ \u3000]{4,}\S|[^\x00-\x7f] [^\x00-\x7f]")


def _double_spaced(text: str) -> str:
    """A blank line after every line, as pages that set each paragraph or row apart; columns
    aligned with spaces (a table copied from a PDF, its cells wrapped) are left as they are."""
    lines = text.split("\n")
    out = []
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        out.append(line)
        if not (_ALIGNED_RE.search(line) or _ALIGNED_RE.search(after)):
            out.append("")
    return "\n".join(out)


def _full_width(text: str) -> str:
    """Brackets, colons, commas and digits full width (not in columns aligned with spaces, whose
    layout assumed their width)."""
    return "\n".join(
        line if _ALIGNED_RE.search(line) else line.translate(_HALF_TO_FULL).translate(_DIGITS_TO_FULL)
        for line in text.split("\n")
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _aligned_block(rows: list[list[str]]) -> list[str]:
    """Cells padded with spaces to their column's width, two spaces apart (a PDF's text layer: an
    empty cell as spaces)."""
    widths = [0] * max(len(row) for row in rows)
    for row in rows:
        for col, cell in enumerate(row):
            widths[col] = max(widths[col], _width(cell.strip()))
    return [
        "  ".join(cell.strip() + " " * (widths[col] - _width(cell.strip())) for col, cell in enumerate(row)).rstrip()
        for row in rows
    ]


@functools.cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def _tab_blocks(text: str, rewrite: Callable[[list[list[str]]], list[str]]) -> str:
    """Each run of tab-separated lines whose rows are all as wide, rewritten as lines by `rewrite`
    (a block whose rows differ in width left merged cells out: kept as it is)."""
    out: list[str] = []
    block: list[list[str]] = []
    for line in [*text.split("\n"), None]:
        if line is not None and "\t" in line:
            block.append(line.split("\t"))
            continue
        if block:
            same = len({len(row) for row in block}) == 1
            out += rewrite(block) if same else ["\t".join(row) for row in block]
            block = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


def _as_tabs(rewrite: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[list[list[str]]], list[str]]:
    """A rewrite of a block's cells, written back as tab-separated lines."""
    return lambda block: ["\t".join(row) for row in rewrite(block)]


def _rotated(block: list[list[str]]) -> list[list[str]]:
    """The last column moved to second place (序号 | 结论 | 名称 | …): another order of columns (not
    in a table of two halves side by side, 序号 | 名称 | 结论 | 序号 | 名称 | 结论)."""
    header = [cell.strip() for cell in block[0]]
    if len(header) < 4 or len(set(header)) < len(header):
        return block
    return [[row[0], row[-1], *row[1:-1]] for row in block]


_HEADER_WORD_RE = re.compile(r"序号|名称")
_GRADE_CELL_RE = re.compile(r"优秀|良好|合格|基本合格|不合格|限期整改|撤销|暂停|注销")
_GRADE_HEADER_RE = re.compile(r"优秀|合格|整改|撤销|等次|星级")  # a matrix's header: its grades


def _headless(block: list[list[str]]) -> list[list[str]]:
    """The header row dropped (a table copied without it), when three rows or more stay; not a
    matrix's, whose header holds the grades."""
    header = "".join(block[0])
    numbered = len(block) > 1 and block[1][0].strip().isdecimal()  # (no header over two lines)
    if len(block) >= 4 and numbered and _HEADER_WORD_RE.search(header) and not _GRADE_HEADER_RE.search(header):
        return block[1:]
    return block


def _one_cell_per_line(block: list[list[str]]) -> list[str]:
    """Each cell on a line of its own (a table copied from a PDF or a phone page), when no cell is
    empty (an empty cell would leave no line, and the rows could no longer be told apart); not a
    matrix or a table of counts (a column per grade: no name column keys its rows)."""
    matrix = sum(bool(_GRADE_CELL_RE.fullmatch(cell.strip())) for cell in block[0]) >= 2
    if matrix or any(not cell.strip() for row in block for cell in row):
        return ["\t".join(row) for row in block]
    return [cell.strip() for row in block for cell in row]


_WORD_CELL = '<td style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center"><span style="font-size:12.0pt;font-family:仿宋_GB2312">{}</span></p></td>'
_WORD_PARA = '<p class="MsoNormal" style="text-indent:32.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">{}</span></p>'


def _html_page(text: str) -> str:
    """The notice as a saved web page exported from Word: each line a styled paragraph, each tab
    block a bordered table of styled cells, inside a layout table with a navigation bar; text laid
    out in columns with spaces (a PDF's), from its first such line on, one preformatted block."""
    import html

    lines = text.split("\n")
    aligned = next((i for i, line in enumerate(lines) if _ALIGNED_RE.search(line)), len(lines))
    body: list[str] = []
    block: list[list[str]] = []
    for line in [*lines[:aligned], None]:
        if line is not None and "\t" in line:
            block.append(line.split("\t"))
            continue
        if block:
            rows = ("<tr>" + "".join(_WORD_CELL.format(html.escape(c.strip())) for c in row) + "</tr>" for row in block)
            body.append('<table class="MsoNormalTable" border="1" cellspacing="0">' + "".join(rows) + "</table>")
            block = []
        if line is not None:
            body.append(_WORD_PARA.format(html.escape(line.strip()) or "&nbsp;"))
    if aligned < len(lines):
        body.append("<pre>" + html.escape("\n".join(lines[aligned:])) + "</pre>")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
        '<div class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/tzgg/">通知公告</a></div>'
        '<table width="100%"><tr><td class="content">' + "\n".join(body) + "</td></tr></table>"
        '<div class="footer">主办单位：人力资源和社会保障厅 网站标识码：1100000001</div></body></html>'
    )


def _traditional(text: str) -> str:
    return _converter("s2t").convert(text)


PERTURBATIONS: dict[str, Callable[[str], str]] = {
    "paren_numbers": _numbered(lambda n: f"（{n}）"),
    "circled_numbers": _numbered(_circled),
    "no_numbers": _numbered(lambda n: ""),
    "space_cells": lambda text: _tab_blocks(text, _aligned_block),
    "pipe_cells": _cells(lambda cells: "| " + " | ".join(cells) + " |"),
    "full_width": _full_width,
    "indented": lambda text: "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n")),
    "blank_lines": _double_spaced,
    "columns_rotated": lambda text: _tab_blocks(text, _as_tabs(_rotated)),
    "header_lost": lambda text: _tab_blocks(text, _as_tabs(_headless)),
    "furniture": lambda text: _FURNITURE_TOP + text + _FURNITURE_BOTTOM,
    "traditional": _traditional,
    "cell_lines": lambda text: _tab_blocks(text, _one_cell_per_line),
    "html_page": _html_page,
}
_SUFFIX = {"html_page": ".html"}  # the file a rewrite writes (notice.txt otherwise)


def _round_trip_gold(gold: dict) -> dict:
    """The gold a reader gets from the traditional-script text: names through s2t and back."""
    s2t, t2s = _converter("s2t"), _converter("t2s")
    for inst in gold.get("institutions") or []:
        inst["name"] = t2s.convert(s2t.convert(inst["name"]))
    return gold


def perturb_corpus(corpus: Path, dest: Path, name: str) -> int:
    """Write `corpus`'s text notices perturbed by `name` into `dest`; return how many."""
    rewrite = PERTURBATIONS[name]
    written = 0
    for folder in sorted(p for p in corpus.iterdir() if (p / "notice.txt").is_file()):
        out = dest / folder.name
        out.mkdir(parents=True)
        text = (folder / "notice.txt").read_text(encoding="utf-8")
        (out / f"notice{_SUFFIX.get(name, '.txt')}").write_text(rewrite(text), encoding="utf-8")
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        if name == "traditional":
            gold = _round_trip_gold(gold)
        (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        written += 1
    return written


def _score(corpus: Path) -> str:
    from tests.conftest import load_corpus
    from tests.scoring import extraction_tables, format_metrics, score_tables

    loaded = load_corpus(corpus)
    tables = extraction_tables({nid: path for nid, (path, _) in loaded.items()})
    metrics, _ = score_tables({nid: gold for nid, (_, gold) in loaded.items()}, *tables)
    keep = ("inst_f1", "counts", "relevance", "region", "year", "vol_f1")
    return format_metrics({k: metrics[k] for k in keep})


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--only", default=",".join(PERTURBATIONS))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in args.corpora:
            base = Path(tmp) / "original"
            base.mkdir()
            for folder in corpus.iterdir():
                if (folder / "notice.txt").is_file():
                    shutil.copytree(folder, base / folder.name)
            print(f"{corpus.name:<16} {'original':<16} {_score(base)}")
            for name in args.only.split(","):
                dest = Path(tmp) / name
                perturb_corpus(corpus, dest, name)
                print(f"{'':<16} {name:<16} {_score(dest)}")
                shutil.rmtree(dest)
            shutil.rmtree(base)


if __name__ == "__main__":
    main(sys.argv[1:])
