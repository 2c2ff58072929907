"""Parquet in and out: explicit schemas from the registry, stable row order, atomic replace.

A folder is a local path or an fsspec URL (`s3://bucket/curated`, `gs://…`, `memory://…`, given as
a string or a `upath.UPath`). Local folders are written to a temp file that is then renamed over the
target; object stores have no rename, so the finished file is uploaded in one PUT, which replaces
the object atomically (readers see the old file or the new one, never half of one).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .budget import OVER_BUDGET
from .registry import Table

if TYPE_CHECKING:
    import pandas as pd
    from upath import UPath

_LOCAL_PROTOCOLS = ("", "file", "local")
Rows = list[dict[str, Any]]


def as_folder(folder: str | os.PathLike[str] | UPath) -> Path | UPath:
    """A local `Path` for local folders (and file:// URLs), a `UPath` for object-store URLs."""
    if isinstance(folder, Path) and type(folder).__module__.startswith("pathlib"):
        return folder
    text = str(folder) if not hasattr(folder, "protocol") else None
    if text is not None and "://" not in text:
        return Path(text)
    from upath import UPath

    upath = folder if text is None else UPath(text)
    if upath.protocol in _LOCAL_PROTOCOLS:
        return Path(upath.path)
    return upath


def is_remote(folder: str | os.PathLike[str] | UPath) -> bool:
    return not isinstance(as_folder(folder), Path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sort_key(row: dict[str, Any], keys: tuple[str, ...]) -> tuple:
    # None sorts first; every key is compared as (is_not_none, value) so mixed None/values never clash
    return tuple((row.get(k) is not None, row.get(k) if row.get(k) is not None else 0) for k in keys)


def to_arrow(data: Rows | pa.Table | pd.DataFrame, table: Table, sort: bool = True) -> pa.Table:
    """Rows (dicts), a DataFrame or an Arrow table -> an Arrow table with the registry's schema, sorted
    by the table's sort_by (nulls first; stable), or in the given order with `sort=False`. Unknown
    columns are an error; missing ones are null."""
    if not isinstance(data, (list, pa.Table)):  # a DataFrame (pandas is imported only by its users)
        data = frame_to_arrow(data, table)
    if isinstance(data, pa.Table):
        if data.schema.names != table.column_names:
            raise ValueError(f"{table.name}: columns {data.schema.names} are not {table.column_names}")
        data = data.cast(table.schema())
        if not sort:
            return data
        return data.take(
            pc.sort_indices(data, sort_keys=[(k, "ascending", "at_start") for k in table.sort_by])
        )
    names = set(table.column_names)
    for row in data[:1]:
        extra = set(row) - names
        if extra:
            raise ValueError(f"{table.name}: columns not in the registry: {sorted(extra)}")
    ordered = sorted(data, key=lambda r: _sort_key(r, table.sort_by)) if sort else data
    # column by column: one list of values per column, not a second copy of every row as a dict
    return pa.Table.from_pydict(
        {k: [r.get(k) for r in ordered] for k in table.column_names}, schema=table.schema()
    )


def frame_to_arrow(frame: pd.DataFrame, table: Table) -> pa.Table:
    """A DataFrame as Arrow with the registry's schema, rows in the frame's order (NaN in a float
    column becomes null of an int column; a column the frame lacks is all null)."""
    extra = set(frame.columns) - set(table.column_names)
    if extra:
        raise ValueError(f"{table.name}: columns not in the registry: {sorted(extra)}")
    if frame.empty:  # an empty column has no values to tell a list or a string from a float
        return table.schema().empty_table()
    arrays = [
        pa.array(frame[c], type=c_type, from_pandas=True)
        if c in frame.columns
        else pa.nulls(len(frame), type=c_type)
        for c, c_type in zip(table.column_names, table.schema().types, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=table.schema())


def write_table(
    data: Rows | pa.Table | pd.DataFrame,
    table: Table,
    folder: str | os.PathLike[str] | UPath,
    manifest: bool = False,
    row_group_size: int | None = None,
) -> dict[str, Any]:
    """Write `<folder>/<table>.parquet` atomically (rows, a DataFrame or an Arrow table, see
    `to_arrow`); return path, rows and sha256. With `manifest` (the work tables), also write
    `<folder>/<table>.manifest.json` with its row count and sha256, which `verify_table` checks.
    `row_group_size`: rows per row group (pyarrow's default otherwise), so that a reader filtering
    on the sort key decompresses only the groups that hold what it wants.

    Local: temp file + fsync + rename. Object store (a URL): one upload of the finished file.
    """
    info = _write_table(data, table, folder, row_group_size)
    if manifest:
        entry = {"table": table.name, "rows": info["rows"], "sha256": info["sha256"]}
        write_bytes(as_folder(folder) / f"{table.name}{MANIFEST_SUFFIX}", json.dumps(entry).encode())
    return info


# each work table's row count and checksum, written after the table (a build killed between the two
# leaves a mismatch: the table is then rebuilt, never trusted)
MANIFEST_SUFFIX = ".manifest.json"


def write_bytes(target: Path | UPath, data: bytes) -> None:
    """`data` to `target` atomically (temp file, fsync, rename; one upload on an object store)."""
    if not isinstance(target, Path):
        target.fs.pipe_file(target.path, data)
        return
    with _replacing(target, ".tmp") as fh:
        fh.write(data)


@contextlib.contextmanager
def _replacing(target: Path, suffix: str, readable: bool = False) -> Iterator[BinaryIO]:
    """A temp file beside `target`, written through the block, fsynced and renamed over `target`
    (removed if the block fails); `readable`: as readable as any file the umask allows, not 0600."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    if readable:
        os.fchmod(fd, 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify_table(folder: str | os.PathLike[str] | UPath, table: Table) -> str | None:
    """Why the work table `<folder>/<table>.parquet` cannot be trusted (no manifest, another row count
    or checksum than its manifest says, unreadable), or None when it matches (or does not exist)."""
    folder = as_folder(folder)
    path = folder / f"{table.name}.parquet"
    if not path.exists():
        return None
    try:
        entry = json.loads((folder / f"{table.name}{MANIFEST_SUFFIX}").read_bytes())
    except (OSError, ValueError):
        return f"{table.name}.parquet has no readable manifest"
    try:
        if file_sha256(path) != entry.get("sha256"):
            return f"{table.name}.parquet does not match its manifest's checksum"
        with path.open("rb") as fh:
            rows = pq.read_metadata(fh).num_rows
    except (OSError, pa.ArrowInvalid) as exc:
        return f"{table.name}.parquet is unreadable ({exc})"
    if rows != entry.get("rows"):
        return f"{table.name}.parquet has {rows} rows, its manifest {entry.get('rows')}"
    return None


def read_work_table(
    folder: str | os.PathLike[str] | UPath, table: Table, columns: list[str] | None = None
) -> tuple[pa.Table | None, str | None]:
    """(table, None) for a work table that matches its manifest (`read_table`), (None, why) otherwise."""
    problem = verify_table(folder, table)
    return (None, problem) if problem else (read_table(folder, table, columns), None)


def _write_table(
    data: Rows | pa.Table | pd.DataFrame,
    table: Table,
    folder: str | os.PathLike[str] | UPath,
    row_group_size: int | None = None,
) -> dict[str, Any]:
    folder = as_folder(folder)
    if not isinstance(folder, Path):
        return _write_remote(to_arrow(data, table), table, folder, row_group_size)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{table.name}.parquet"
    arrow = to_arrow(data, table)
    with _replacing(target, ".tmp", readable=True) as fh:  # (mkstemp alone makes 0600)
        pq.write_table(arrow, fh, compression="zstd", write_statistics=True, row_group_size=row_group_size)
    return {"path": str(target), "rows": arrow.num_rows, "sha256": file_sha256(target)}


# pyarrow's write_table cuts a table into row groups of this many rows when given no row_group_size
WRITE_ROW_GROUP = 1024 * 1024


def write_batches(
    batches: Iterable[pa.RecordBatch],
    table: Table,
    folder: Path,
) -> dict[str, Any]:
    """Write `<folder>/<table>.parquet` from record batches already in the table's sort order,
    holding one row group at a time: the same bytes as `write_table` of the whole table (the same
    writer settings, row groups of WRITE_ROW_GROUP rows, each written as one contiguous chunk, as
    write_table's sort leaves it)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{table.name}.parquet"
    schema, rows, groups = table.schema(), 0, 0
    with _replacing(target, ".tmp", readable=True) as fh:
        writer = pq.ParquetWriter(fh, schema, compression="zstd", write_statistics=True)
        for group in _row_groups(batches, WRITE_ROW_GROUP):
            group = group.cast(schema).combine_chunks()
            writer.write_table(group)
            rows, groups = rows + group.num_rows, groups + 1
        if not groups:  # as write_table writes an empty table
            writer.write_table(schema.empty_table())
        writer.close()
    return {"path": str(target), "rows": rows, "sha256": file_sha256(target)}


def _row_groups(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.Table]:
    """The batches regrouped into tables of exactly `size` rows (the last one shorter)."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        while batch.num_rows:
            take = min(size - held, batch.num_rows)
            pending.append(batch.slice(0, take))
            held += take
            batch = batch.slice(take)
            if held == size:
                yield pa.Table.from_batches(pending)
                pending, held = [], 0
    if held:
        yield pa.Table.from_batches(pending)


def table_info(folder: str | os.PathLike[str] | UPath, table: Table) -> dict[str, Any]:
    """What `write_table` returned when it wrote this work table (path, rows, sha256), from its
    manifest: for a step that keeps last run's table as it is."""
    folder = as_folder(folder)
    entry = json.loads((folder / f"{table.name}{MANIFEST_SUFFIX}").read_bytes())
    return {"path": str(folder / f"{table.name}.parquet"), "rows": entry["rows"], "sha256": entry["sha256"]}


def _write_remote(
    arrow: pa.Table, table: Table, folder: UPath, row_group_size: int | None = None
) -> dict[str, Any]:
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd", write_statistics=True, row_group_size=row_group_size)
    data = sink.getvalue().to_pybytes()
    target = folder / f"{table.name}.parquet"
    folder.fs.makedirs(folder.path, exist_ok=True)
    folder.fs.pipe_file(target.path, data)  # one PUT: the object is replaced whole
    return {"path": str(target), "rows": arrow.num_rows, "sha256": hashlib.sha256(data).hexdigest()}


def read_table(
    folder: str | os.PathLike[str] | UPath,
    table: Table,
    columns: list[str] | None = None,
    filters: pc.Expression | None = None,
) -> pa.Table | None:
    """A previously written table as Arrow, or None when it does not exist or no longer fits the
    schema. `columns` reads only those columns (e.g. every column but a notice's full text, which is
    most of the bytes of normalized_notices and of a build's memory); `filters` only the rows that
    match (row groups whose statistics rule them out are not read)."""
    path = as_folder(folder) / f"{table.name}.parquet"
    if not path.exists():
        return None
    try:
        if isinstance(path, Path):
            schema = pq.read_schema(path)
        else:
            with path.open("rb") as fh:
                schema = pq.read_schema(fh)
        if schema.names != table.column_names:
            return None
        if isinstance(path, Path):
            return pq.read_table(path, columns=columns, filters=filters)
        with path.open("rb") as fh:
            return pq.read_table(fh, columns=columns, filters=filters)
    except (OSError, pa.ArrowInvalid):
        return None


def read_rows(folder: str | os.PathLike[str] | UPath, table: Table, columns: list[str] | None = None) -> Rows:
    """`read_table` as a list of dicts ([] when there is no usable table)."""
    data = read_table(folder, table, columns)
    return [] if data is None else data.to_pylist()


# a failure of the moment (the file vanished, could not be read, changed while read) is never
# cached: the next run tries again
TRANSIENT_REASONS = ("file vanished", "cannot read file", "file changed while", OVER_BUDGET)


def reusable_rows(
    previous: pa.Table | None, wanted: pa.Array | Iterable[str], version: str
) -> pa.Table | None:
    """The rows of a cached work table whose sha256 is in `wanted`, whose code_version is `version`
    and whose status_reason is not a failure of the moment (None when there is no cache): what a
    step need not compute again."""
    if previous is None or previous.num_rows == 0:
        return None
    keep = pc.and_(
        pc.equal(previous["code_version"], version),
        pc.is_in(
            previous["sha256"],
            value_set=wanted if isinstance(wanted, pa.Array) else pa.array(list(wanted), pa.string()),
        ),
    )
    reason = pc.fill_null(previous["status_reason"], "")
    for prefix in TRANSIENT_REASONS:
        keep = pc.and_(keep, pc.invert(pc.starts_with(reason, prefix)))
    return previous.filter(keep)


def file_sha256(path: str | os.PathLike[str] | UPath) -> str:
    path = path if hasattr(path, "protocol") else Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the work folder ------------------------------------------------------------------------------
WORK_NAME = ".work"  # the default work folder (the content cache) lives inside its curated folder


def default_work_dir(curated: str | os.PathLike[str]) -> str:
    """`<curated>/.work`: each curated folder has its own cache, guarded by that folder's build lock
    (two outputs sharing one work folder could publish each other's notices). A remote curated
    folder keeps its work tables locally, in data/work."""
    if is_remote(curated):
        return "data/work"
    return str(Path(curated) / WORK_NAME)
