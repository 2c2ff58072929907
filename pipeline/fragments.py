"""The normalize and extract steps' work tables as append-only Parquet fragments (issue 15, part 2).

A step's tables form a *group* (`NORMALIZED`: normalized_notices; `EXTRACTED`: notice_records,
institution_grades, appraisal_figures). Each build that processes notices appends one fragment to
its group: a file per table, `<work>/<table>/<name>.parquet`, holding only the rows of the notices
it processed, streamed in batches; no fragment is ever written again. The group's manifest,
`<work>/<group>.fragments.json`, lists the fragments in the order they were written with each file's
row count and sha256; it is written last and atomically, so a build killed mid-way leaves the
previous list, and files no list names are removed by the next commit.

Which rows count (the *live* rows): a notice's rows (its sha256's) are those of the newest fragment
whose first table (the group's `key table`: normalized_notices, notice_records) holds it, so a
notice processed again (a failure of the moment, a new code version) supersedes its older rows
deterministically; readers also restrict them to the raw manifest's notices (`keys`). Within a
fragment, each table's rows are in the registry's sort order per batch, so a notice's rows keep
the order a whole table sorted by `sort_by` gave them.

Compaction, after each commit: a fragment with no live row is dropped; when the key table's stored
rows that are not live outnumber the live ones, the live rows of the wanted notices are rewritten
as one fragment; past MAX_FRAGMENTS, every fragment but the largest is merged into one fragment of
their live rows, placed last (the live rows are the same). A work folder from before fragments (one
`<table>.parquet` per table with its manifest) reads as one fragment.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import storage
from .registry import APPRAISAL_FIGURES, INSTITUTION_GRADES, NORMALIZED_NOTICES, NOTICE_RECORDS, Table

if TYPE_CHECKING:
    from upath import UPath

    Folder = Path | UPath

KEY = "sha256"
MAX_FRAGMENTS = 8
LEGACY = "legacy"  # the fragment a work folder from before fragments reads as
SUFFIX = ".fragments.json"


@dataclass(frozen=True)
class Group:
    """Tables a step writes together; the first decides which rows are live."""

    name: str
    tables: tuple[Table, ...]
    row_group: int  # rows per row group of each file (the key table's texts: a read of a few
    # notices decompresses only the groups that hold them)

    @property
    def key_table(self) -> Table:
        return self.tables[0]


NORMALIZED = Group("normalized", (NORMALIZED_NOTICES,), 1000)
EXTRACTED = Group("extracted", (NOTICE_RECORDS, INSTITUTION_GRADES, APPRAISAL_FIGURES), 64 * 1024)
GROUPS = {t.name: g for g in (NORMALIZED, EXTRACTED) for t in g.tables}
Fragment = dict[str, Any]  # {"name": ..., "files": {table: {"path", "rows", "sha256"}}}


def group_of(table: Table) -> Group:
    return GROUPS[table.name]


# --- the manifest ------------------------------------------------------------------------------


def _manifest_path(work: Folder, group: Group) -> Folder:
    return storage.as_folder(work) / f"{group.name}{SUFFIX}"


def fragments(work: Folder, group: Group) -> list[Fragment]:
    """The group's fragments, oldest first ([] when it has none, or a manifest unreadable)."""
    work = storage.as_folder(work)
    try:
        return list(json.loads(_manifest_path(work, group).read_bytes())["fragments"])
    except FileNotFoundError:
        return _legacy(work, group)
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _legacy(work: Folder, group: Group) -> list[Fragment]:
    """A work folder from before fragments: each table's one file, as one fragment."""
    files = {}
    for t in group.tables:
        try:
            entry = json.loads((work / f"{t.name}{storage.MANIFEST_SUFFIX}").read_bytes())
        except (OSError, ValueError):
            return []
        files[t.name] = {
            "path": f"{t.name}.parquet",
            "rows": entry.get("rows"),
            "sha256": entry.get("sha256"),
        }
    return [{"name": LEGACY, "files": files}]


def verify(work: Folder, group: Group) -> str | None:
    """Why the group's fragments cannot be trusted (a file missing, or not the rows and checksum its
    manifest says), or None."""
    work = storage.as_folder(work)
    if _manifest_path(work, group).exists():
        try:
            json.loads(_manifest_path(work, group).read_bytes())["fragments"]
        except (OSError, ValueError, KeyError, TypeError):
            return f"{group.name}{SUFFIX} is unreadable"
    for frag in fragments(work, group):
        for name, entry in frag["files"].items():
            try:
                problem = _verify_file(work / entry["path"], entry)
            except (OSError, pa.ArrowInvalid) as exc:
                problem = f"is unreadable ({exc})"
            if problem:
                return f"{name} ({entry['path']}) {problem}"
    return None


# files this process found matching their manifest entry, by their stat: a fragment is never
# written again, so one verified earlier in the build (by an earlier step) is not hashed again
_verified: dict[str, tuple] = {}


def _verify_file(path: Folder, entry: dict[str, Any]) -> str | None:
    stat = path.stat() if isinstance(path, Path) else None
    seen = None if stat is None else (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    if seen is not None and _verified.get(str(path)) == (*seen, entry["sha256"], entry["rows"]):
        return None
    if storage.file_sha256(path) != entry["sha256"]:
        return "does not match its manifest's checksum"
    with path.open("rb") as fh:
        rows = pq.read_metadata(fh).num_rows
    if rows != entry["rows"]:
        return f"has {rows} rows, its manifest {entry['rows']}"
    if seen is not None:
        _verified[str(path)] = (*seen, entry["sha256"], entry["rows"])
    return None


def table_info(work: Folder, table: Table) -> dict[str, Any]:
    """What a work table is (path of its folder, rows stored, a sha256 over its fragments' files):
    the key a later step's cache is checked against."""
    frags = fragments(work, group_of(table))
    digest = hashlib.sha256(table.name.encode())
    rows = 0
    for frag in frags:
        entry = frag["files"][table.name]
        digest.update(f"{entry['path']}:{entry['sha256']}\n".encode())
        rows += entry["rows"]
    return {"path": str(storage.as_folder(work) / table.name), "rows": rows, "sha256": digest.hexdigest()}


def _commit(work: Folder, group: Group, frags: list[Fragment]) -> None:
    """The manifest written (atomically), then every file of the group's folders it no longer names
    removed, and a work folder from before fragments' files once none is named."""
    work = storage.as_folder(work)
    storage.write_bytes(_manifest_path(work, group), json.dumps({"fragments": frags}, indent=1).encode())
    named = {e["path"] for f in frags for e in f["files"].values()}
    for t in group.tables:
        folder = work / t.name
        if folder.exists():
            for path in folder.iterdir():
                if f"{t.name}/{path.name}" not in named:
                    path.unlink()
        if f"{t.name}.parquet" not in named:
            for name in (f"{t.name}.parquet", f"{t.name}{storage.MANIFEST_SUFFIX}"):
                (work / name).unlink(missing_ok=True)


def _next_name(work: Folder, group: Group, frags: list[Fragment]) -> str:
    taken = [int(f["name"]) for f in frags if f["name"].isdigit()]
    for t in group.tables:
        folder = storage.as_folder(work) / t.name
        if folder.exists():
            taken += [int(p.name.split(".")[0]) for p in folder.iterdir() if p.name.split(".")[0].isdigit()]
    return f"{max(taken, default=0) + 1:06d}"


# --- reading -----------------------------------------------------------------------------------


def live_keys(work: Folder, group: Group, frags: list[Fragment] | None = None) -> list[pa.Array]:
    """Per fragment (oldest first), the keys whose live rows it holds: those its key table holds
    and no newer fragment does."""
    work = storage.as_folder(work)
    frags = fragments(work, group) if frags is None else frags
    seen = pa.array([], pa.string())
    out: list[pa.Array] = []
    for frag in reversed(frags):
        entry = frag["files"][group.key_table.name]
        with (work / entry["path"]).open("rb") as fh:
            keys = pc.unique(pq.read_table(fh, columns=[KEY])[KEY].combine_chunks())
        keys = keys.filter(pc.invert(pc.is_in(keys, value_set=seen)))
        seen = pa.concat_arrays([seen, keys])
        out.append(keys)
    return out[::-1]


def _wanted(keys: pa.Array, wanted: pa.Array | None) -> pa.Array:
    return keys if wanted is None else keys.filter(pc.is_in(keys, value_set=wanted))


def row_group_keys(meta: pq.FileMetaData, keys: list[str]) -> list[tuple[int, list[str]]]:
    """Per row group whose key statistics may hold one of `keys` (sorted), the keys they allow."""
    index = meta.schema.to_arrow_schema().get_field_index(KEY)
    out = []
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(index).statistics
        if stats is None or not stats.has_min_max:
            inside = keys
        else:
            inside = keys[bisect_left(keys, stats.min) : bisect_right(keys, stats.max)]
        if inside:
            out.append((i, inside))
    return out


@dataclass(frozen=True)
class Part:
    """The live rows of one table in one fragment: its file, the keys they belong to, and whether
    they are all of the file's rows (then no row is filtered out)."""

    path: str
    keys: pa.Array
    whole: bool = False


def parts(work: Folder, table: Table, wanted: pa.Array | None = None) -> list[Part]:
    """Where `table`'s live rows are (of the notices in `wanted`, when given), oldest fragment first."""
    group = group_of(table)
    work = storage.as_folder(work)
    frags = fragments(work, group)
    out = []
    for frag, keys in zip(frags, live_keys(work, group, frags), strict=True):
        keys = _wanted(keys, wanted)
        if len(keys):  # (the key table has one row per key)
            whole = len(keys) == frag["files"][group.key_table.name]["rows"]
            out.append(Part(str(work / frag["files"][table.name]["path"]), keys, whole))
    return out


def read_part(part: Part, columns: list[str] | None = None, batch_size: int = 1024) -> Iterator[pa.Table]:
    """The live rows of a part in batches, in their order in the file (row groups that cannot hold
    one of its keys are not read)."""
    with open(part.path, "rb") if "://" not in part.path else _open(part.path) as fh:
        pf = pq.ParquetFile(fh)
        names = pf.schema_arrow.names if columns is None else columns
        if part.whole:
            for batch in pf.iter_batches(batch_size=batch_size, columns=names):
                yield pa.Table.from_batches([batch])
            return
        groups = [g for g, _ in row_group_keys(pf.metadata, sorted(part.keys.to_pylist()))]
        read = names if KEY in names else [*names, KEY]
        lookup = pc.SetLookupOptions(part.keys)  # (the keys' hash table, built once per part)
        for batch in pf.iter_batches(batch_size=batch_size, row_groups=groups, columns=read):
            rows = pa.Table.from_batches([batch])
            rows = rows.filter(pc.is_in(rows[KEY], options=lookup)).select(names)
            if rows.num_rows:
                yield rows


def _open(url: str) -> Any:
    from upath import UPath

    return UPath(url).open("rb")


def scan(
    work: Folder, table: Table, columns: list[str] | None = None, wanted: pa.Array | None = None
) -> Iterator[pa.Table]:
    """The live rows of `table` in batches, fragment by fragment (a notice's rows in one batch or
    consecutive ones, in their stored order)."""
    for part in parts(work, table, wanted):
        yield from read_part(part, columns)


def read(
    work: Folder, table: Table, columns: list[str] | None = None, wanted: pa.Array | None = None
) -> pa.Table:
    """The live rows of `table` (of the notices in `wanted`) as one table, sorted as the registry
    sorts it (stably: a notice's rows keep their stored order); every column, or `columns`."""
    names = table.column_names if columns is None else columns
    batches = list(scan(work, table, [*names, *(c for c in table.sort_by if c not in names)], wanted))
    schema = pa.schema([table.schema().field(c) for c in names])
    if not batches:
        return schema.empty_table()
    data = pa.concat_tables(batches)
    order = pc.sort_indices(data, sort_keys=[(k, "ascending", "at_start") for k in table.sort_by])
    return data.take(order).select(names).cast(schema)


def head(work: Folder, table: Table, n: int = 10) -> pa.Table:
    """The first `n` live rows (a preview), reading no more than needed."""
    for batch in scan(work, table):
        return batch.slice(0, n)
    return table.schema().empty_table()


# --- writing -----------------------------------------------------------------------------------


class Appender:
    """One new fragment of a group: `write` batches of each table (each batch in the table's sort
    order), then `commit` (or nothing: an unfinished fragment is never named, and is removed)."""

    def __init__(self, work: Folder, group: Group, base: list[Fragment] | None = None) -> None:
        self.work, self.group = storage.as_folder(work), group
        self.base = fragments(self.work, group) if base is None else base
        self.name = _next_name(self.work, group, self.base)
        self._writers: dict[str, _FileWriter] = {}

    def write(self, table: Table, data: pa.Table) -> None:
        if table.name not in self._writers:
            self._writers[table.name] = _FileWriter(
                self.work / table.name / f"{self.name}.parquet", table, self.group.row_group
            )
        self._writers[table.name].write(data)

    def close(self) -> Fragment:
        """The fragment's entry (every table of the group has a file, empty if nothing was written)."""
        files = {}
        for t in self.group.tables:
            writer = self._writers.pop(t.name, None) or _FileWriter(
                self.work / t.name / f"{self.name}.parquet", t, self.group.row_group
            )
            files[t.name] = {"path": f"{t.name}/{self.name}.parquet", **writer.close()}
        return {"name": self.name, "files": files}

    def commit(self, wanted: pa.Array | None = None) -> None:
        """The fragment appended to the group's list, then the group compacted (`compact`)."""
        frags = [*self.base, self.close()]
        _commit(self.work, self.group, frags)
        compact(self.work, self.group, wanted)


class _FileWriter:
    """A fragment's file, written through a temp file in row groups of `size` rows."""

    def __init__(self, target: Folder, table: Table, size: int) -> None:
        self.target, self.table, self.size = target, table, size
        self.schema = table.schema()
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._held = 0
        local = isinstance(target, Path)
        if local:
            target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp") if local else None
        self._sink = self._tmp.open("wb") if self._tmp else pa.BufferOutputStream()
        self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd", write_statistics=True)

    def write(self, data: pa.Table) -> None:
        self._pending.append(data.cast(self.schema))
        self._held += data.num_rows
        while self._held >= self.size:
            self._flush(self.size)

    def _flush(self, n: int) -> None:
        whole = pa.concat_tables(self._pending).combine_chunks()
        self._writer.write_table(whole.slice(0, n), row_group_size=n)
        rest = whole.slice(n)
        self._pending, self._held = ([rest] if rest.num_rows else []), rest.num_rows
        self.rows += n

    def close(self) -> dict[str, Any]:
        if self._held:
            self._flush(self._held)
        if not self.rows:
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()
        if self._tmp is None:
            data = self._sink.getvalue().to_pybytes()
            storage.write_bytes(self.target, data)
            return {"rows": self.rows, "sha256": hashlib.sha256(data).hexdigest()}
        self._sink.flush()
        os.fsync(self._sink.fileno())
        self._sink.close()
        os.replace(self._tmp, self.target)
        return {"rows": self.rows, "sha256": storage.file_sha256(self.target)}


def reset(work: Folder, group: Group) -> None:
    """Forget the group's fragments (a damaged cache): the next commit starts a new list."""
    _commit(work, group, [])


# --- compaction --------------------------------------------------------------------------------


def compact(work: Folder, group: Group, wanted: pa.Array | None = None) -> None:
    """Drop fragments without live rows; rewrite the live rows of `wanted` as one fragment when the
    rows that are not outnumber them; past MAX_FRAGMENTS, merge all but the largest fragment."""
    work = storage.as_folder(work)
    frags = fragments(work, group)
    pairs = [(f, k) for f, k in zip(frags, live_keys(work, group, frags), strict=True) if len(k)]
    stored = sum(f["files"][group.key_table.name]["rows"] for f, _ in pairs)
    live = sum(len(_wanted(k, wanted)) for _, k in pairs)
    if stored - live > live:
        _commit(work, group, [_merge(work, group, pairs, wanted)] if live else [])
    elif len(pairs) > MAX_FRAGMENTS:
        largest = max(range(len(pairs)), key=lambda i: pairs[i][0]["files"][group.key_table.name]["rows"])
        rest = [p for i, p in enumerate(pairs) if i != largest]
        _commit(work, group, [pairs[largest][0], _merge(work, group, rest, None)])
    elif len(pairs) < len(frags):
        _commit(work, group, [f for f, _ in pairs])


def _merge(
    work: Folder, group: Group, pairs: list[tuple[Fragment, pa.Array]], wanted: pa.Array | None
) -> Fragment:
    """One new fragment holding the live rows (of `wanted`) of `pairs`, in their order."""
    out = Appender(work, group, base=[f for f, _ in pairs])
    for t in group.tables:
        for frag, keys in pairs:
            part = Part(str(work / frag["files"][t.name]["path"]), _wanted(keys, wanted))  # (filtered)
            if len(part.keys):
                for batch in read_part(part):
                    out.write(t, batch)
    return out.close()
