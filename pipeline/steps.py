"""The normalize and extract steps over their append-only fragments (pipeline/fragments.py).

Each step reads, of its cached rows, only the keys that decide what is reusable (sha256, code
version, status reason), works out which notices to process, streams them through the workers in
batches and appends one fragment with their rows: no table of all texts is held, and the workers
are handed file names and keys, not texts. The rows a step reuses and the rows it writes are
exactly those of the whole tables the steps wrote before (`normalize.normalize_table`,
`extract.batch.extract_tables`): the same cache rule (`storage.reusable_rows`), the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import fragments, normalize
from .extract import batch
from .ingest import source_file
from .parallel import ordered_imap
from .registry import NORMALIZED_NOTICES, NOTICE_RECORDS, Table
from .storage import reusable_rows, to_arrow
from .versions import EXTRACT_VERSION, NORMALIZE_VERSION

CACHE_KEYS = ["sha256", "code_version", "status_reason"]  # what decides whether a row is reusable
_WRITE_ROWS = 1000  # normalized rows per Arrow batch written


# sha256 -> the first usable file with that content (normalize's rule; its module, whose source is
# its code version, is left as it is)
usable_contents = normalize._usable_contents


def wanted_keys(manifest: list[dict[str, Any]]) -> pa.Array:
    """The sha256 of every usable distinct content of the raw manifest, sorted."""
    return pa.array(sorted(usable_contents(manifest)), pa.string())


def _todo(work: Path, table: Table, wanted: pa.Array, version: str, discard: bool) -> list[str]:
    """The keys of `wanted` with no reusable live row in `table` (sorted)."""
    cached = None if discard else fragments.read(work, table, CACHE_KEYS, wanted)
    reusable = reusable_rows(cached, wanted, version)
    if reusable is None:
        return wanted.to_pylist()
    return wanted.filter(pc.invert(pc.is_in(wanted, value_set=reusable["sha256"]))).to_pylist()


def _plan(
    work: Path,
    group: fragments.Group,
    table: Table,
    manifest: list[dict[str, Any]],
    version: str,
    discard: bool,
) -> tuple[pa.Array, list[str]]:
    """(the manifest's wanted keys, those a step must process into `group`, keyed by `table`); with
    `discard` and nothing to process, the group's cached fragments are dropped."""
    wanted = wanted_keys(manifest)
    todo = _todo(work, table, wanted, version, discard)
    if not todo and discard:
        fragments.reset(work, group)
    return wanted, todo


def _appender(work: Path, group: fragments.Group, discard: bool) -> fragments.Appender:
    return fragments.Appender(work, group, base=[] if discard else None)


def normalize_step(raw_dir: Path, work: Path, manifest: list[dict[str, Any]], discard: bool = False) -> int:
    """Normalize the usable contents of `manifest` that have no reusable row, into one new fragment
    (sorted by sha256, in row groups of 1,000); `discard`: the cached fragments are not trusted.
    Returns the number of notices normalized."""
    wanted, todo = _plan(work, fragments.NORMALIZED, NORMALIZED_NOTICES, manifest, NORMALIZE_VERSION, discard)
    if not todo:
        return 0
    first_path = usable_contents(manifest)
    items = [(source_file(Path(raw_dir), first_path[sha]), sha) for sha in todo]
    out = _appender(work, fragments.NORMALIZED, discard)
    results = ordered_imap(normalize.normalize_file, items, star=True, watched=True)
    for rows in _batched(results, _WRITE_ROWS):
        out.write(NORMALIZED_NOTICES, to_arrow(rows, NORMALIZED_NOTICES))
    out.commit(wanted)
    return len(todo)


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_items(work: Path, todo: list[str]) -> list[tuple[str, int, list[str]]]:
    """(fragment file, row group, keys) for every row group of normalized_notices holding a text to
    extract: what a worker reads for itself."""
    items = []
    for part in fragments.parts(work, NORMALIZED_NOTICES, pa.array(todo, pa.string())):
        with open(part.path, "rb") as fh:
            meta = pq.read_metadata(fh)
        keys = sorted(part.keys.to_pylist())
        items += [(part.path, group, inside) for group, inside in fragments.row_group_keys(meta, keys)]
    return items


# the columns of normalized_notices extract_rows reads
_EXTRACT_READS = ["sha256", "status", "status_reason", "script", "encoding", "text"]


def extract_part(path: str, row_group: int, keys: list[str]) -> tuple[pa.Table, pa.Table, pa.Table]:
    """batch.extract_batch over the notices `keys` of one row group of a normalized_notices fragment
    (run in a worker, which reads the texts itself: none is copied to it)."""
    with open(path, "rb") as fh:
        rows = pq.ParquetFile(fh).read_row_group(row_group, columns=_EXTRACT_READS)
    return batch.extract_batch(rows.filter(pc.is_in(rows["sha256"], value_set=pa.array(keys, pa.string()))))


def extract_step(work: Path, manifest: list[dict[str, Any]], discard: bool = False) -> int:
    """Extract the normalized notices of `manifest` that have no reusable notice_records row, into
    one new fragment of the three tables (each batch sorted as the registry sorts the table);
    `discard`: the cached fragments are not trusted. Returns the number of notices extracted."""
    wanted, todo = _plan(work, fragments.EXTRACTED, NOTICE_RECORDS, manifest, EXTRACT_VERSION, discard)
    if not todo:
        return 0
    items = extract_items(work, todo)
    out = _appender(work, fragments.EXTRACTED, discard)
    # the weight is the notices per item on average, so a pool starts for JIANDING_POOL_MIN notices
    weight = -(-len(todo) // len(items)) if items else 1
    results = ordered_imap(extract_part, items, star=True, weight=weight, watched=True, step="extract")
    for result in results:
        for table, data in zip(fragments.EXTRACTED.tables, result, strict=True):
            out.write(table, to_arrow(data, table))
    out.commit(wanted)
    return len(todo)
