"""Assets: thin wrappers that call the step functions and describe what they wrote.

One Dagster run processes every notice in bulk (no partition per notice: Dagster's bookkeeping
would cost more than the work); per-notice state lives in our own work tables, keyed by content.
"""

import hashlib
import json
import os
import shutil
from base64 import b64encode
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import curate, fragments, ingest, publish, registry, report, steps, storage, versions
from ..curate import duck
from .resources import JiandingPaths
from .sensors import raw_folder_fingerprint

RAW, NORMALIZED, EXTRACTED, CURATED = "raw", "normalized", "extracted", "curated"


OWNERS = ["team:jianding"]
TAGS = {"domain": "appraisal-inspections"}
TABLE_KINDS = {"python", "parquet"}


def column_schema(table: registry.Table) -> dg.TableSchema:
    """The registry's columns as Dagster's column schema (the asset page's Columns section)."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                c.name, c.type, description=c.description + (f" (unit: {c.unit})" if c.unit else "")
            )
            for c in table.columns
        ]
    )


def table_spec(table: registry.Table, layer: str) -> dict[str, Any]:
    """What every table asset declares: its column schema, kinds, owners, tags and code version."""
    return {
        "group_name": layer,
        "kinds": TABLE_KINDS,
        "owners": OWNERS,
        "tags": {**TAGS, "layer": layer},
        "code_version": versions.ASSET_VERSIONS[layer],
        "metadata": {"dagster/column_schema": column_schema(table), "table": table.name},
    }


def _cell(value: Any) -> str | int | float | bool | None:
    """A value as a preview cell: floats to 3 places, lists joined, dates in ISO form."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def preview(rows: list[dict], columns: list[str], table: registry.Table) -> dg.MetadataValue:
    """The first rows as a typed table (Dagster renders numbers right-aligned, nulls empty)."""
    types = {c.name: c.type for c in table.columns}
    schema = dg.TableSchema(columns=[dg.TableColumn(c, types.get(c, "string")) for c in columns])
    return dg.MetadataValue.table(
        records=[dg.TableRecord({c: _cell(r.get(c)) for c in columns}) for r in rows[:10]], schema=schema
    )


def _table_meta(
    info: dict, rows: list[dict], table: registry.Table, preview_cols: list[str] | None = None
) -> dict:
    meta = {
        "dagster/row_count": info["rows"],
        "path": dg.MetadataValue.path(info["path"]),
        "sha256": info["sha256"],
    }
    if preview_cols and rows:
        meta["preview"] = preview(rows, preview_cols, table)
    return meta


@contextmanager
def _work_lock(paths: JiandingPaths) -> Iterator[None]:
    """The work folder's lock, held while a step reads and rewrites its work tables (re-entrant:
    `jianding build` holds it for the whole run). Object stores have no lock."""
    if storage.is_remote(paths.work):
        yield
        return
    with publish.build_lock(paths.work):
        yield


def _written_this_run(paths: JiandingPaths, table: registry.Table, columns: list[str] | None = None):
    """A work table an earlier step of this run wrote (its live rows of the raw manifest's notices,
    for a table of fragments); a build fails (and publishes nothing) rather than read one that no
    longer matches its manifest."""
    if table.name in fragments.GROUPS:
        problem = fragments.verify(paths.work, fragments.group_of(table))
        if problem:
            raise RuntimeError(f"work table damaged during this build: {problem}; run the build again")
        return fragments.read(paths.work, table, columns, _wanted(paths))
    data, problem = storage.read_work_table(paths.work, table, columns)
    if problem:
        raise RuntimeError(f"work table damaged during this build: {problem}; run the build again")
    return data


def _wanted(paths: JiandingPaths) -> pa.Array:
    """The sha256 of the notices of this run's raw manifest (the rows of the fragments that count)."""
    return steps.wanted_keys(_manifest(paths))


def _manifest(paths: JiandingPaths) -> list[dict]:
    manifest = _written_this_run(paths, registry.RAW_MANIFEST)
    return [] if manifest is None else manifest.to_pylist()


def _discarded(context: dg.AssetExecutionContext, paths: JiandingPaths, group: fragments.Group) -> str | None:
    """Why last run's fragments of a step (the content cache) are not trusted, all of them (a record
    vouches for its notice's grade and figure rows), logged: their notices are then rebuilt."""
    problem = fragments.verify(paths.work, group)
    if problem:
        context.log.warning(f"cache discarded, rebuilt from the raw files: {problem}")
    return problem


# the normalized texts are most of the bytes: a step reads them only for the notices it processes
WITHOUT_TEXT = [c for c in registry.NORMALIZED_NOTICES.column_names if c != "text"]


@dg.asset(
    **table_spec(registry.RAW_MANIFEST, RAW),
    deps=["fetched_notices"],  # pipeline/defs/fetching.py (its own job: the build never fetches)
    description="Every notice in the raw folder (a loose file or a notice folder) and every file: path, "
    "size, sha256, and why it is unusable.",
)
def raw_notices(context: dg.AssetExecutionContext, paths: JiandingPaths) -> dg.MaterializeResult:
    with _work_lock(paths):
        fingerprint = raw_folder_fingerprint(paths)  # before the scan: a file added meanwhile is news
        local = tuple(f for f in (paths.curated, paths.work) if isinstance(f, Path))
        # only new or changed files are read and hashed (their stat: see ingest.RACY_NS)
        known, _ = storage.read_work_table(paths.work, registry.RAW_HASHES)
        files = ingest.scan_raw_folder(paths.raw, exclude=local, known=ingest.known_hashes(known))
        del known
        manifest = ingest.manifest_rows(files)
        storage.write_table(ingest.hash_rows(files), registry.RAW_HASHES, paths.work, manifest=True)
        storage.write_table(ingest.file_rows(files), registry.RAW_FILE_LIST, paths.work, manifest=True)
        info = storage.write_table(manifest, registry.RAW_MANIFEST, paths.work, manifest=True)
    rejected = [m for m in manifest if m["reject_reason"]]
    context.log.info(
        f"raw: {len(files)} files, {len(manifest)} notices in {paths.raw}, {len(rejected)} unusable"
    )
    return dg.MaterializeResult(
        metadata={
            **_table_meta(info, rejected, registry.RAW_MANIFEST, ["source_path", "reject_reason"]),
            "raw_fingerprint": fingerprint,
            "files": len(files),
            "notices": len(manifest),
            "unusable": len(rejected),
        }
    )


@dg.asset(
    **table_spec(registry.NORMALIZED_NOTICES, NORMALIZED),
    deps=[raw_notices],
    description="Decoded, simplified-script, de-noised text per distinct raw content (cached by sha256).",
)
def normalized_notices(context: dg.AssetExecutionContext, paths: JiandingPaths) -> dg.MaterializeResult:
    with _work_lock(paths):
        manifest = _manifest(paths)
        discarded = _discarded(context, paths, fragments.NORMALIZED)
        processed = steps.normalize_step(paths.raw, paths.work, manifest, discard=discarded is not None)
        info = fragments.table_info(paths.work, registry.NORMALIZED_NOTICES)
        wanted = steps.wanted_keys(manifest)
        summary = fragments.read(
            paths.work, registry.NORMALIZED_NOTICES, ["sha256", "status", "status_reason", "script"], wanted
        )
    scripts = Counter(summary.filter(pc.equal(summary["status"], "ok"))["script"].to_pylist())
    rejected = summary.filter(pc.not_equal(summary["status"], "ok"))
    context.log.info(
        f"normalized: {summary.num_rows} distinct texts, {processed} processed, "
        f"{summary.num_rows - processed} cached"
    )
    return dg.MaterializeResult(
        metadata={
            **_table_meta(
                info,
                rejected.slice(0, 10).to_pylist(),
                registry.NORMALIZED_NOTICES,
                ["sha256", "status_reason"],
            ),
            "processed": processed,
            "reused_from_cache": summary.num_rows - processed,
            "traditional": scripts.get("traditional", 0),
            "rejected": rejected.num_rows,
            **({"cache_discarded": discarded} if discarded else {}),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "notice_records",
            **table_spec(registry.NOTICE_RECORDS, EXTRACTED),
            deps=[normalized_notices],
            description="Per notice: status, metadata, region, year, stated counts, warnings.",
        ),
        dg.AssetSpec(
            "institution_grades",
            **table_spec(registry.INSTITUTION_GRADES, EXTRACTED),
            deps=[normalized_notices],
            description="Every institution listed with a grade, with its line.",
        ),
        dg.AssetSpec(
            "appraisal_figures",
            **table_spec(registry.APPRAISAL_FIGURES, EXTRACTED),
            deps=[normalized_notices],
            description="Every stated number of persons appraised or certified, with its sentence.",
        ),
    ]
)
def extracted_tables(context: dg.AssetExecutionContext, paths: JiandingPaths):
    with _work_lock(paths):
        manifest = _manifest(paths)
        discarded = _discarded(context, paths, fragments.EXTRACTED)
        processed = steps.extract_step(paths.work, manifest, discard=discarded is not None)
        wanted = steps.wanted_keys(manifest)
        statuses = Counter(
            fragments.read(paths.work, registry.NOTICE_RECORDS, ["status"], wanted)["status"].to_pylist()
        )
        previews = {t.name: fragments.head(paths.work, t).to_pylist() for t in fragments.EXTRACTED.tables}
        infos = {t.name: fragments.table_info(paths.work, t) for t in fragments.EXTRACTED.tables}
    n_records = sum(statuses.values())
    context.log.info(f"extracted: {processed} processed, {n_records - processed} cached; {dict(statuses)}")
    for key, table, cols in (
        ("notice_records", registry.NOTICE_RECORDS, ["sha256", "status", "status_reason"]),
        ("institution_grades", registry.INSTITUTION_GRADES, ["institution_name", "grade", "line"]),
        ("appraisal_figures", registry.APPRAISAL_FIGURES, ["region_code", "metric", "persons"]),
    ):
        extra = (
            {"processed": processed, **{f"status_{k}": v for k, v in statuses.items()}}
            | ({"cache_discarded": discarded} if discarded else {})
            if key == "notice_records"
            else {}
        )
        meta = _table_meta(infos[table.name], previews[table.name], table, cols)
        yield dg.MaterializeResult(asset_key=key, metadata={**meta, **extra})


CURATED_SPECS = [
    dg.AssetSpec(
        ["curated", t.name],
        **table_spec(t, CURATED),
        description=t.description,
        deps=["notice_records", "institution_grades", "appraisal_figures"],
    )
    for t in registry.CURATED_TABLES
]


def published_folder(paths: JiandingPaths) -> Any:
    """Where the curated files end up: `jianding build` hands the job a staging folder and names the
    folder it publishes into (paths.published_dir), so the UI names the published path."""
    return paths.published


@contextmanager
def _publishing(paths: JiandingPaths) -> Iterator[Any]:
    """Where curated_tables writes, so that the curated files always come from one build: a run from
    the UI, the sensor or the schedule publishes them through publish.publishing (a run killed
    mid-way leaves the previous set); `jianding build` publishes the whole run that way itself (and
    holds the lock), so its run writes into the folder it was handed."""
    if paths.published_dir:
        yield paths.curated
        return
    with publish.publishing(paths.curated, paths.work) as publication:
        yield publication.folder


PREVIEWS = {
    "notices": ["notice_id", "status", "region_name", "evaluation_year", "status_reason"],
    "institutions": ["notice_id", "institution_name", "grade", "line"],
    "appraisal_volumes": ["notice_id", "region_name", "metric", "persons", "qualifier"],
    "region_year": ["region_name", "evaluation_year", "n_evaluated", "pass_rate", "revocation_count"],
    "institution_history": ["institution_key", "evaluation_year", "grade", "transition"],
    "raw_files": ["path", "role", "format", "status", "reason"],
}
# the work tables the curated tables are built from (their manifests' sha256 key the build)
CURATE_INPUTS = (
    registry.RAW_MANIFEST,
    registry.RAW_FILE_LIST,
    registry.NORMALIZED_NOTICES,
    registry.NOTICE_RECORDS,
    registry.INSTITUTION_GRADES,
    registry.APPRAISAL_FIGURES,
)
CURATED_KEY_NAME = "curated_inputs.json"  # in the work folder: the key and files of the last curate


def _write_curated(paths: JiandingPaths, out: Path | Any) -> dict[str, dict]:
    """Every curated table written into `out` from this run's work tables; what write_table says of
    each file. Local folders: curate.write_curated (DuckDB scans the grade rows' fragments, and
    nothing with a row per institution is held whole); an object store: build_curated."""
    manifest = _manifest(paths)
    wanted = steps.wanted_keys(manifest)
    for group in (fragments.NORMALIZED, fragments.EXTRACTED):  # each checked once, against its manifest
        if problem := fragments.verify(paths.work, group):
            raise RuntimeError(f"work table damaged during this build: {problem}; run the build again")

    def rows(table: registry.Table, columns: list[str] | None = None) -> list[dict]:
        return fragments.read(paths.work, table, columns, wanted).to_pylist()

    inputs = {  # curate.INPUT_NAMES
        "manifest": manifest,
        "normalized": rows(registry.NORMALIZED_NOTICES, WITHOUT_TEXT),  # only their hashes are needed
        "records": rows(registry.NOTICE_RECORDS),
        "figures": rows(registry.APPRAISAL_FIGURES),
        "files": []
        if (files := _written_this_run(paths, registry.RAW_FILE_LIST)) is None
        else files.to_pylist(),
    }
    if isinstance(out, Path) and isinstance(paths.work, Path):
        grades = fragments.parts(paths.work, registry.INSTITUTION_GRADES, wanted)
        spill = paths.work / duck.TEMP_NAME
        try:
            return curate.write_curated(inputs, grades, out, spill)  # the rows handed over
        finally:
            shutil.rmtree(spill, ignore_errors=True)
    tables = curate.build_curated(
        *(inputs.pop(name) for name in ("manifest", "normalized", "records")),
        fragments.read(paths.work, registry.INSTITUTION_GRADES, None, wanted),
        inputs.pop("figures"),
        inputs.pop("files"),
    )
    return {t.name: storage.write_table(tables[t.name], t, out) for t in registry.CURATED_TABLES}


def _work_info(paths: JiandingPaths, table: registry.Table) -> dict[str, Any]:
    """What a work table is (path, rows, sha256): a table of fragments', or a file's manifest."""
    if table.name in fragments.GROUPS:
        return fragments.table_info(paths.work, table)
    return storage.table_info(paths.work, table)


def _curate_key(paths: JiandingPaths) -> str | None:
    """What the curated tables are a function of: the curate code version and the sha256 of every
    work table they are built from (None when one has no manifest: then they are built)."""
    digest = hashlib.sha256(versions.ASSET_VERSIONS[CURATED].encode())
    for table in CURATE_INPUTS:
        try:
            digest.update(_work_info(paths, table)["sha256"].encode())
        except (OSError, ValueError, KeyError):
            return None
    return digest.hexdigest()


def _reusable_curated(paths: JiandingPaths, key: str | None) -> dict[str, str] | None:
    """The sha256 of each published curated file when they are the tables the last curate built
    from the same inputs (`key`), each file checked against the sha256 recorded then; None
    otherwise (always for an object store, whose files are always built)."""
    folder = published_folder(paths)
    if key is None or not isinstance(folder, Path) or not isinstance(paths.work, Path):
        return None
    try:
        last = json.loads((paths.work / CURATED_KEY_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    files = last.get("files") or {}
    if last.get("key") != key or sorted(files) != sorted(t.name for t in registry.CURATED_TABLES):
        return None
    for name, sha in files.items():
        path = folder / f"{name}.parquet"
        if not path.is_file() or storage.file_sha256(path) != sha:
            return None
    return files


def _keep_curated(paths: JiandingPaths, files: dict[str, str], out: Path) -> tuple[dict, dict]:
    """Link the published curated files into `out` (the new set); (the columns the metadata reads
    of each, what write_table would have said of each)."""
    tables, infos = {}, {}
    for t in registry.CURATED_TABLES:
        target = out / f"{t.name}.parquet"
        _link_or_copy(published_folder(paths) / f"{t.name}.parquet", target)
        tables[t.name] = pq.read_table(target, columns=_summary_columns(t))
        infos[t.name] = {"rows": tables[t.name].num_rows, "sha256": files[t.name]}
    return tables, infos


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)  # a published file is never written again, only replaced: linking is safe
    except OSError:
        shutil.copyfile(source, target)


def _summary_columns(table: registry.Table) -> list[str]:
    """The columns the asset's metadata reads of a curated table (preview and counts)."""
    extra = {"notices": ["status"], "institution_history": ["institution_key", "transition"]}
    return sorted(set(PREVIEWS[table.name]) | set(extra.get(table.name, [])), key=table.column_names.index)


def _table_extra(name: str, data: pa.Table) -> dict[str, Any]:
    """Counts shown on a curated table's asset page (statuses, transitions)."""
    if name == "notices":
        return {f"status_{k}": v for k, v in sorted(Counter(data["status"].to_pylist()).items())}
    if name == "institution_history":
        moves = Counter(t for t in data["transition"].to_pylist() if t)
        extra = {"institutions": pc.count_distinct(data["institution_key"]).as_py()}
        return extra | {f"transition {k}": v for k, v in sorted(moves.items())}
    return {}


@dg.multi_asset(specs=CURATED_SPECS)
def curated_tables(context: dg.AssetExecutionContext, paths: JiandingPaths):
    """The published Parquet files of the output contract, rebuilt together so they always agree;
    when every work table they come from and the curate code are those of the last build, the
    published files are that build's output already, and are kept (linked into the new set)."""
    key = _curate_key(paths)
    with _publishing(paths) as out:
        kept = _reusable_curated(paths, key)
        if kept is not None:
            tables, infos = _keep_curated(paths, kept, out)
            context.log.info("curated: inputs unchanged since the last build; its tables are kept")
        else:
            infos = _write_curated(paths, out)
            tables = {
                t.name: storage.read_table(out, t, _summary_columns(t)) for t in registry.CURATED_TABLES
            }
        if key is not None and isinstance(paths.work, Path):
            record = {"key": key, "files": {name: info["sha256"] for name, info in infos.items()}}
            storage.write_bytes(paths.work / CURATED_KEY_NAME, json.dumps(record, sort_keys=True).encode())
    for table in registry.CURATED_TABLES:
        data = tables[table.name]
        info = {**infos[table.name], "path": str(published_folder(paths) / f"{table.name}.parquet")}
        context.log.info(f"curated: {table.name}.parquet {info['rows']} rows")
        yield dg.MaterializeResult(
            asset_key=["curated", table.name],
            metadata={
                **_table_meta(info, data.slice(0, 10).to_pylist(), table, PREVIEWS[table.name]),
                **_table_extra(table.name, data),
            },
        )


@dg.asset(
    key="curated_report",
    group_name=CURATED,
    kinds={"python", "html"},
    owners=OWNERS,
    tags={**TAGS, "layer": CURATED},
    code_version=versions.ASSET_VERSIONS["report"],
    deps=[["curated", "region_year"], ["curated", "institutions"], ["curated", "institution_history"]],
    description="Charts (pass rate by region and year, revocations by year) as PNG and one "
    "self-contained HTML page in `<curated>/report/`. Never fails the build.",
)
def curated_report(context: dg.AssetExecutionContext, paths: JiandingPaths) -> dg.MaterializeResult:
    result = report.render_report(paths.curated, published=published_folder(paths))
    for error in result["errors"]:
        context.log.warning(f"report: {error}")
    meta: dict = {
        "charts": len(result["charts"]),
        "font": result["font"] or "none with CJK glyphs: charts labelled with region codes",
        "errors": len(result["errors"]),
        "unchanged": result.get("unchanged", False),
    }
    if result["html"]:
        meta["path"] = dg.MetadataValue.path(str(published_folder(paths) / "report" / "index.html"))
    try:  # the first chart as a preview in the UI; the report never fails the build
        png = (paths.curated / "report" / report.CHARTS["pass_rate"]).read_bytes()
        meta["preview"] = dg.MetadataValue.md(
            f"![pass rate](data:image/png;base64,{b64encode(png).decode()})"
        )
    except OSError:
        pass
    return dg.MaterializeResult(metadata=meta)
