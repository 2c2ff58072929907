"""The adversarial benchmark: `make adversarial` (or `python benchmarks/adversarial.py`).

Each input family of issue 12 (inputs built to make a pattern backtrack or a loop go quadratic) is
made at 100 KB, 1 MB and 5 MB and run through the library path (decode_bytes -> normalize_text ->
extract_notice), each run in a fresh subprocess with a time cap (--cap, default 60 s; a run past it
prints `>cap`). For each family it prints the seconds per size and the growth ratios 100 KB -> 1 MB
and 1 MB -> 5 MB: linear work grows about 10x and 5x, quadratic work 100x and 25x.

    python benchmarks/adversarial.py [--sizes 100000 1000000 5000000] [--family NAME ...] [--cap 60]
    python benchmarks/adversarial.py --patterns

`--patterns` audits every module-level compiled pattern of `pipeline/` instead: each is run with
`finditer` over runs of one or two characters (digits, spaces, tabs, brackets, CJK, and the
pattern's own non-ASCII characters) of 600 and 4,800 characters (best of three runs), and a
pattern whose time grows more than 20x for those 8x, to over 10 ms, is printed with its worst run
(64x is quadratic; `>2s` is worse). `finditer` tries every start, so a pattern only ever used with
`match` or `fullmatch` (one start), or on a short, bounded slice, may show here and still be linear
where it is used.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PERSONS = "x共鉴定5人"
HEAD = "甘肃省人力资源和社会保障厅关于2013年度职业技能鉴定所年检结果的通报\n"


def _repeat(unit: str, size: int, head: str = HEAD, tail: str = "") -> str:
    """`head` + `unit` repeated to about `size` UTF-8 bytes + `tail`."""
    return head + unit * max(1, size // len(unit.encode("utf-8"))) + tail


def _numbered(template: str, size: int) -> str:
    """`template` with 0, 1, 2 … in it, repeated to about `size` UTF-8 bytes (each repeat differs)."""
    parts, n, i = [HEAD], len(HEAD.encode()), 0
    while n < size:
        part = template.format(i=i)
        parts.append(part)
        n += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


def _deep_title(size: int) -> str:
    # deeper than libxml2's limit, so the regex fallback reads it; an unclosed <title> and many tags
    return "<html><body><title>" + _repeat("<div><b>甘肃省鉴定所", size, head="", tail="")


# family -> (file suffix, text of about `size` bytes)
FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    # PERSONS_RE: a digit run, then a persons figure (issue 12, item 1)
    "persons_digits": (".txt", lambda s: _repeat("1", s, head="甘肃省鉴定所年检。全省鉴定", tail=PERSONS)),
    # the same with spaces between the number and its unit words
    "persons_spaces": (".txt", lambda s: _repeat(" ", s, head="甘肃省鉴定所年检。全省鉴定1万", tail=PERSONS)),
    # the duplicate check over volume figures (item 3)
    "volume_figures": (".txt", lambda s: _numbered("全省参加鉴定{i}人。", s)),
    # grade words on one very long line (item 3: grade_labels)
    "grade_line": (".txt", lambda s: _repeat("甘肃省第一鉴定所合格，", s)),
    # stated counts, each different (item 3: a warning per count, checked against all before it)
    "stated_counts": (".txt", lambda s: _numbered("合格的{i}所，", s)),
    # strip_junk's closer test (item 3)
    "junk": (".txt", lambda s: _repeat("审) a; b. c! ", s)),
    # the fallback HTML parser: deep tags, an unclosed <title> (item 3)
    "html_deep_title": (".html", _deep_title),
    # the fallback HTML parser: '<' never closed
    "html_open_tags": (".html", lambda s: "<html><body>" + "<div>" * 300 + _repeat("<a", s, head="")),
    # lxml: one element with very many attributes (item 3)
    "html_attributes": (
        ".html",
        lambda s: "<html><body><p " + _numbered('a{i}="1" ', s).removeprefix(HEAD) + ">甘肃省鉴定所合格</p>",
    ),
}


def run_one(family: str, size: int) -> float:
    """Seconds the library path takes on `family` at `size` bytes, in this process."""
    from pipeline.extract import extract_notice
    from pipeline.ingest import decode_bytes
    from pipeline.normalize import normalize_text

    suffix, make = FAMILIES[family]
    data = make(size).encode("utf-8")
    start = time.perf_counter()
    decoded = decode_bytes(data, suffix)
    if decoded.text is not None:
        extract_notice(normalize_text(decoded.text, decoded.is_html).text)
    return time.perf_counter() - start


def _timed(family: str, size: int, cap: float) -> float | None:
    """run_one in a fresh subprocess; None past `cap` seconds (the subprocess is killed)."""
    code = f"from benchmarks.adversarial import run_one; print(run_one({family!r}, {size}))"
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=cap, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def _cell(seconds: float | None, cap: float) -> str:
    return f">{cap:g}" if seconds is None else f"{seconds:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{b / max(a, 1e-3):.1f}x"


def _pattern_cost(pattern: re.Pattern[str], text: str, cap: float = 2.0) -> float:
    """Seconds `pattern.finditer(text)` takes to run out; `cap` when the budget stopped it."""
    from pipeline.budget import BudgetExceeded, notice_budget

    best = cap
    for _ in range(3):  # the best of three: a loaded machine adds noise, never removes work
        start = time.perf_counter()
        try:
            with notice_budget(cap):
                for _ in pattern.finditer(text):
                    pass
        except BudgetExceeded:
            return cap
        best = min(best, time.perf_counter() - start)
    return best


def _module_patterns() -> dict[str, re.Pattern[str]]:
    """Every module-level str pattern of the pipeline package, by module.name (first name of each)."""
    import pipeline

    found: dict[str, tuple[str, re.Pattern[str]]] = {}
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if any(part in info.name for part in ("defs", "data.", "__main__", "cli")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(value.pattern, (f"{info.name}.{name}", value))
    return dict(found.values())


def audit_patterns(threshold: float = 20.0) -> int:
    """Print each pipeline pattern whose finditer time grows over `threshold`x for 8x the text."""
    base = list("1 \t中鉴人。(),.;、:第所x-<>/")
    flagged = 0
    patterns = _module_patterns()
    for name, pattern in patterns.items():
        chars = base + sorted({c for c in pattern.pattern if ord(c) > 127})[:40]
        units = chars + [a + b for a, b in itertools.product(chars[:12], repeat=2) if a != b]
        worst: tuple[float, str, float, float] = (0.0, "", 0.0, 0.0)
        for unit in units:
            small = _pattern_cost(pattern, unit * (600 // len(unit)))
            if small < 2e-4:
                continue
            big = _pattern_cost(pattern, unit * (4800 // len(unit)))
            worst = max(worst, (big / max(small, 1e-6), unit, small, big))
        if worst[0] > threshold and worst[3] > 0.01:  # (a few ms is noise, not growth)
            flagged += 1
            big = ">2s" if worst[3] >= 2.0 else f"{worst[3]:.4f}s"
            print(f"{worst[0]:7.1f}x  {name}  run of {worst[1]!r}: {worst[2]:.4f}s -> {big}", flush=True)
    print(f"{flagged} of {len(patterns)} patterns grow faster than linear on some run")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--family", nargs="+", choices=sorted(FAMILIES), default=list(FAMILIES))
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per run before it is killed")
    parser.add_argument("--patterns", action="store_true", help="audit every pattern of pipeline/ instead")
    args = parser.parse_args(argv)
    if args.patterns:
        return audit_patterns()
    sizes = args.sizes
    growth = [f"x{b / a:g}" for a, b in itertools.pairwise(sizes)]
    header = ["family", *(f"{s / 1e6:g} MB s" for s in sizes), *growth]
    print(" | ".join(header))
    for family in args.family:
        times = [_timed(family, size, args.cap) for size in sizes]
        ratios = [_ratio(a, b) for a, b in itertools.pairwise(times)]
        print(" | ".join([family, *(_cell(t, args.cap) for t in times), *ratios]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
