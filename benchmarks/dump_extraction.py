"""Dump what the library path makes of every notice in corpus folders, one JSON line per notice.

    python benchmarks/dump_extraction.py --out before.jsonl ../shared/corpus tests/fixtures/extra
    # change the extractor, then
    python benchmarks/dump_extraction.py --out after.jsonl ../shared/corpus tests/fixtures/extra
    python benchmarks/dump_extraction.py --diff before.jsonl after.jsonl

Each line holds the notice id, a hash of the decoded and of the normalized text, and the whole
extraction (metadata, stated counts, institutions, volumes, issues), so a rewrite of a step can be
reviewed difference by difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.extract import extract_notice
from pipeline.ingest import decode_bytes
from pipeline.normalize import normalize_text


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dump_notice(nid: str, path: Path) -> dict[str, Any]:
    decoded = decode_bytes(path.read_bytes(), path.suffix)
    text = normalize_text(decoded.text or "", decoded.is_html).text
    extraction = _plain(extract_notice(text))
    return {
        "id": nid,
        "decoded_sha": hashlib.sha256((decoded.text or "").encode()).hexdigest()[:16],
        "normalized_sha": hashlib.sha256(text.encode()).hexdigest()[:16],
        "extraction": extraction,
    }


def _notices(folders: list[Path]) -> list[tuple[str, Path]]:
    out = []
    for folder in folders:
        for gold in sorted(folder.glob("**/gold.json")):
            notice = next(iter(sorted(gold.parent.glob("notice.*"))), None)
            if notice is not None:
                out.append((gold.parent.name, notice))
    return out


def _diff(before: Path, after: Path) -> int:
    old = {r["id"]: r for r in map(json.loads, before.read_text(encoding="utf-8").splitlines())}
    new = {r["id"]: r for r in map(json.loads, after.read_text(encoding="utf-8").splitlines())}
    changed = 0
    for nid in sorted(old.keys() | new.keys()):
        a, b = old.get(nid), new.get(nid)
        if a == b:
            continue
        changed += 1
        print(f"== {nid}")
        if a is None or b is None:
            print("  only in", "after" if a is None else "before")
            continue
        for key in sorted(a.keys() | b.keys()):
            if key != "extraction" and a.get(key) != b.get(key):
                print(f"  {key}: {a.get(key)} -> {b.get(key)}")
        xa, xb = a["extraction"], b["extraction"]
        for key in sorted(xa.keys() | xb.keys()):
            if xa.get(key) != xb.get(key):
                print(f"  {key}:\n    - {xa.get(key)}\n    + {xb.get(key)}")
    print(f"{changed} of {len(old.keys() | new.keys())} notices differ", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path, help="corpus folders (<id>/notice.* + gold.json)")
    ap.add_argument("--out", type=Path, help="JSON lines to write")
    ap.add_argument("--diff", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.diff:
        return _diff(*args.diff)
    if not args.out:
        ap.error("--out is required unless --diff is given")
    with args.out.open("w", encoding="utf-8") as fh:
        for nid, path in _notices(args.folders):
            fh.write(json.dumps(dump_notice(nid, path), ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
