"""Fuzz the decode -> normalize -> extract -> curated-schema path with random and mutated notices.

    .venv/bin/python benchmarks/fuzz.py                 # 100,000 cases, all CPUs
    .venv/bin/python benchmarks/fuzz.py --n 2000 --seed 3 --workers 1

A case fails when any step raises (extraction errors that `extract_rows` would turn into a
`rejected` row count as failures too), when a row does not fit its registry schema (pyarrow refuses
it: wrong type, int32 overflow, an unknown column), or when a controlled value leaves its vocabulary.
Cases are generated from the seed alone, so a failure is reproduced with `--only INDEX`.
The default test run covers the same checks with hypothesis (tests/test_fuzz.py, ~200 examples).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402

from pipeline import curate, registry  # noqa: E402
from pipeline.extract import extract_notice  # noqa: E402
from pipeline.extract.batch import extract_rows  # noqa: E402
from pipeline.ingest import decode_bytes  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402
from pipeline.storage import to_arrow  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
# Tokens the extractor keys on: mutations splice them in so that fuzzing reaches the rules.
_WORDS = (
    "优秀 合格 基本合格 不合格 限期整改 撤销 吊销 注销 暂停 通过 暂缓通过 良好 A级 鉴定所 鉴定站 指导中心 "
    "国家职业技能鉴定所 名单 附件 年检 年度检查 检查评估 质量督导 结果 通报 公告 承建 第 号 〔 〕 【 】 "
    "年度 年 月 日 二〇一四 二0一一 十 百 千 万 万人 余人 超过 突破 约 近 人次 取得证书 参加鉴定 "
    "所 家 个 共 其中 ： : 、 ； ; ， 。 ( ) （ ） 1. 2、 (3) ① 一、 二、 甘肃省 福州市 襄樊 全国 粮食行业 "
    "人力资源和社会保障厅 人社 甘人社通 榕人社培 | _8 z5 Y; Q. R! 關(guān) \u3000 \xa0 \t \n \n\n"
)
TOKENS = _WORDS.split(" ")
ALPHABET = "".join(sorted(set("".join(TOKENS)))) + "0123456789abcXYZ<>&;#/=\"' -.\r\u200b\ufeff"
HTML_TAGS = (
    "<p>",
    "</p>",
    "<br>",
    "<div>",
    "</div>",
    "<table><tr><td>",
    "</td><td>",
    "</td></tr></table>",
    "<script>var a='合格';</script>",
    "<style>p{}</style>",
    "<!-- 优秀 -->",
    "&nbsp;",
    "&#21512;",
    "<title>",
    "</title>",
    "<![CDATA[x]]>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE html>",
    "&amp;",
)
GRADES = set(registry.GRADES)
VOCAB = {
    "status": {"ok", "irrelevant", "rejected"},
    "metric": {"appraised", "certified", "other"},
    "qualifier": {"exact", "approx", "at_least"},
    "count_source": {"listed", "stated", "mixed", None},
}


def load_seeds(root: Path = CORPUS) -> list[str]:
    """The fixture notices' texts (mutation seeds)."""
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.glob("*/notice.txt"))]


def random_text(rng: random.Random, max_len: int = 400) -> str:
    """Text mixing notice tokens, the notice alphabet, digits and arbitrary code points."""
    parts: list[str] = []
    for _ in range(rng.randint(0, max_len // 4)):
        roll = rng.random()
        if roll < 0.45:
            parts.append(rng.choice(TOKENS))
        elif roll < 0.8:
            parts.append(rng.choice(ALPHABET))
        elif roll < 0.9:
            parts.append(str(rng.choice((0, 1, 7, 53, 222, 2010, 2014, 68.48, 10**6, 10**12, 2**31, 10**20))))
        else:
            cp = rng.randint(1, 0x10FFFF)
            parts.append(chr(cp) if not 0xD800 <= cp <= 0xDFFF else "?")
    return "".join(parts)


def mutate(text: str, rng: random.Random, n_mutations: int | None = None) -> str:
    """A real notice with a few random edits: spans cut, repeated, swapped; tokens, numbers, junk spliced."""
    for _ in range(n_mutations if n_mutations is not None else rng.randint(1, 6)):
        n = len(text)
        i, j = sorted((rng.randint(0, n), rng.randint(0, n)))
        j = min(j, i + rng.randint(1, 400))
        op = rng.randrange(9)
        if op == 0:  # delete a span
            text = text[:i] + text[j:]
        elif op == 1:  # repeat a span
            text = text[:j] + text[i:j] * rng.randint(1, 3) + text[j:]
        elif op == 2:  # splice tokens
            text = text[:i] + "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8))) + text[i:]
        elif op == 3:  # splice random text
            text = text[:i] + random_text(rng, 60) + text[i:]
        elif op == 4:  # cut off (a notice truncated mid-list)
            text = text[:i]
        elif op == 5:
            text = _swap_two_lines(text, rng)
        elif op == 6:
            text = _odd_number(text, rng)
        elif op == 7:  # join or split lines
            text = text.replace("\n", rng.choice(("", " ", "、", "\r", "\n\n")), rng.randint(1, 20))
        else:
            text = _repeat_a_line(text, rng)
    return text


def _swap_two_lines(text: str, rng: random.Random) -> str:
    """Two random lines swapped."""
    lines = text.split("\n")
    if len(lines) > 1:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def _odd_number(text: str, rng: random.Random) -> str:
    """A huge or odd number where a digit was."""
    digits = [k for k, c in enumerate(text) if c.isdigit()]
    if digits:
        k = rng.choice(digits)
        big = rng.choice(("9" * 12, "0", "99999999999999999999", "2147483648", "-1", "1e9", "3.5"))
        text = text[:k] + big + text[k + 1 :]
    return text


def _repeat_a_line(text: str, rng: random.Random) -> str:
    """One line repeated many times (long lists)."""
    lines = text.split("\n")
    if lines:
        k = rng.randrange(len(lines))
        lines[k:k] = [lines[k]] * rng.randint(2, 50)
    return "\n".join(lines)


def as_html(text: str, rng: random.Random) -> str:
    """Wrap lines in markup, with tables, scripts, comments and entities mixed in."""
    out = ["<html><head><title>", text.split("\n", 1)[0], "</title></head><body>"]
    for line in text.split("\n"):
        out.append(rng.choice(HTML_TAGS) if rng.random() < 0.3 else "")
        cells = line.split("\t") if rng.random() < 0.5 else [line]
        out.append(
            "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" if len(cells) > 1 else f"<p>{line}</p>"
        )
    out.append("</body></html>")
    return "".join(out)


def make_case(index: int, seed: int, seeds: list[str]) -> tuple[str, Any]:
    """Case `index` of the run: (kind, payload); payload is (text, is_html) or (bytes, suffix)."""
    rng = random.Random(f"{seed}:{index}")
    roll = rng.random()
    if roll < 0.3:
        return "random", (random_text(rng), rng.random() < 0.2)
    base = mutate(rng.choice(seeds), rng)
    if roll < 0.75:
        return "mutated", (base, False)
    if roll < 0.9:
        return "mutated_html", (as_html(base, rng), True)
    encoding = rng.choice(("utf-8", "gb18030", "big5", "utf-16"))
    data = bytearray(base.encode(encoding, errors="replace"))
    for _ in range(rng.randint(0, 8)):  # flip bytes: broken multi-byte sequences
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return "mutated_bytes", (bytes(data), rng.choice((".txt", ".html")))


def _fits(rows: list[dict[str, Any]], table: registry.Table) -> None:
    """Rows fit the table's registry schema (or AssertionError naming the table and the column)."""
    try:
        to_arrow(rows, table)
    except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
        bad = [c for c in table.column_names if _column_fails(rows, table, c)]
        msg = f"{table.name}.{','.join(bad) or '?'} does not fit: {type(exc).__name__}: {exc}"
        raise AssertionError(msg) from exc


def _column_fails(rows: list[dict[str, Any]], table: registry.Table, column: str) -> bool:
    field = table.schema().field(column)
    try:
        pa.array([r.get(column) for r in rows], type=field.type)
    except (ValueError, TypeError, OverflowError, ArithmeticError, pa.ArrowException):
        return True
    return False


def check_text(text: str, is_html: bool = False, encoding: str | None = "utf-8") -> None:
    """normalize + extract one text and build every table from it; raise AssertionError or the error."""
    norm = normalize_text(text, is_html)
    assert isinstance(norm.text, str) and norm.script in ("traditional", "simplified")
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    norm_row = {
        "sha256": sha,
        "code_version": "fuzz",
        "status": "ok",
        "status_reason": None,
        "encoding": encoding,
        "script": norm.script,
        "text": norm.text,
    }
    record, grades, figures = extract_rows(norm_row)
    if (record["status_reason"] or "").startswith("extraction failed"):
        extract_notice(norm.text)  # re-raise with its traceback
        raise AssertionError(record["status_reason"])
    _fits([norm_row], registry.NORMALIZED_NOTICES)
    _fits([record], registry.NOTICE_RECORDS)
    _fits(grades, registry.INSTITUTION_GRADES)
    _fits(figures, registry.APPRAISAL_FIGURES)
    n_lines = norm.text.count("\n") + 1
    assert record["status"] in VOCAB["status"], record["status"]
    assert record["status"] == "ok" or record["status_reason"], "not ok without a reason"
    for g in grades:
        assert g["grade"] in GRADES and g["institution_name"], g
        assert 1 <= g["line"] <= n_lines, f"line {g['line']} outside 1..{n_lines}"
    for f in figures:
        assert f["metric"] in VOCAB["metric"] and f["qualifier"] in VOCAB["qualifier"], f
        assert f["persons"] >= 0, f
    manifest = [{"source_path": "fuzz.txt", "sha256": sha, "size_bytes": len(text), "reject_reason": None}]
    built = curate.build_curated(manifest, [norm_row], [record], grades, figures)
    tables = {name: table.to_pylist() for name, table in built.items()}
    for table in registry.CURATED_TABLES:
        _fits(tables[table.name], table)
    assert len(tables["notices"]) == 1
    for row in tables["region_year"]:
        assert row.get("count_source") in VOCAB["count_source"], row


def run_case(kind: str, payload: Any) -> None:
    """One fuzz case end to end (bytes cases go through decode_bytes first)."""
    if kind == "mutated_bytes":
        data, suffix = payload
        decoded = decode_bytes(data, suffix)
        assert (decoded.text is None) == bool(decoded.reject_reason), "text xor reason"
        if decoded.text is not None:
            check_text(decoded.text, decoded.is_html, decoded.encoding)
        return
    check_text(*payload)


_SEEDS: list[str] = []


def _init(seed_texts: list[str]) -> None:
    _SEEDS[:] = seed_texts


def _worker(args: tuple[int, int]) -> tuple[int, str, str | None]:
    index, seed = args
    kind, payload = make_case(index, seed, _SEEDS)
    try:
        run_case(kind, payload)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        first = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} at {where}"
        return index, kind, first
    return index, kind, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="number of cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=mp.cpu_count())
    parser.add_argument("--only", type=int, default=None, help="run case INDEX alone, with its traceback")
    parser.add_argument("--show", type=int, default=20, help="distinct failures to print")
    args = parser.parse_args(argv)
    seeds = load_seeds()
    if args.only is not None:
        _init(seeds)
        kind, payload = make_case(args.only, args.seed, seeds)
        print(f"case {args.only}: {kind}\n{payload[0]!r}"[:4000])
        run_case(kind, payload)
        print("passed")
        return 0

    started = time.perf_counter()
    ran, kinds, failures = 0, Counter(), []
    jobs = ((i, args.seed) for i in range(args.n))
    with mp.get_context("fork").Pool(args.workers, initializer=_init, initargs=(seeds,)) as pool:
        for index, kind, failure in pool.imap_unordered(_worker, jobs, chunksize=200):
            ran += 1
            kinds[kind] += 1
            if failure:
                failures.append((index, kind, failure))
            if ran % 10_000 == 0:
                print(
                    f"  {ran} cases, {len(failures)} failed, {time.perf_counter() - started:.0f}s", flush=True
                )
    elapsed = time.perf_counter() - started
    print(
        f"fuzz: {ran} cases run, {len(failures)} failed in {elapsed:.0f}s (seed {args.seed}; {dict(kinds)})"
    )
    by_first = Counter(f for _, _, f in failures)
    for first, count in by_first.most_common(args.show):
        example = min(i for i, _, f in failures if f == first)
        print(f"  {count:6d} x {first}  (e.g. --only {example})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
