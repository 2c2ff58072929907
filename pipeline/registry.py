"""The column registry: one home for every table's columns, Arrow types, units and descriptions.

The Parquet schemas, the field descriptions stored inside each Parquet file and the published data
dictionary (`docs/data-dictionary.md`) are all generated from `TABLES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from .vocabulary import GRADES

_GRADE_LIST = " / ".join(GRADES)

_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "list<string>": pa.list_(pa.string()),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str = ""

    @property
    def arrow_type(self) -> pa.DataType:
        return _TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    layer: str  # "work" (between steps) or "curated" (the published contract)
    description: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema(self) -> pa.Schema:
        fields = [
            pa.field(
                c.name,
                c.arrow_type,
                metadata={"description": c.description, **({"unit": c.unit} if c.unit else {})},
            )
            for c in self.columns
        ]
        return pa.schema(fields, metadata={"table": self.name, "description": self.description})


def _c(name: str, type_: str, description: str, unit: str = "") -> Column:
    return Column(name, type_, description, unit)


_REGION = (
    _c(
        "region_name",
        "string",
        "jurisdiction whose institutions were evaluated (current GB/T 2260 name, or 全国)",
    ),
    _c("region_code", "string", "GB/T 2260 six-digit code of the region; 100000 for 全国"),
    _c("region_level", "string", "province / prefecture / county / national"),
)
_PROVINCE = (
    _c("province_name", "string", "province the region belongs to (全国 for national)"),
    _c("province_code", "string", "GB/T 2260 code of that province"),
)
_STATED = tuple(
    _c(
        f"stated_{g}",
        "int32",
        f"number of institutions the text states as {g}; null when it states none",
        "institutions",
    )
    for g in ("total", *GRADES)
)
_LISTED = tuple(
    _c(
        f"listed_{g}",
        "int32",
        f"number of institutions listed by name as {g}" if g != "total" else "institutions listed by name",
        "institutions",
    )
    for g in ("total", *GRADES)
)
_N = tuple(
    _c(
        f"n_{g}",
        "int32",
        f"institutions graded {g} (see count_source and the precedence rules)",
        "institutions",
    )
    for g in GRADES
)

# provenance of an extracted row beyond its line: the file and sheet or page the line came from
_SOURCE = (
    _c(
        "source_file",
        "string",
        "the raw file the line came from (the page or an attachment), relative to the raw folder",
    ),
    _c(
        "source_part",
        "string",
        "the sheet or page (第N页) of that file; null for a text, a page or a document's body",
    ),
)

NOTICES = Table(
    "notices",
    "curated",
    "One row per raw file, every raw file: its status, the notice's metadata and its counts.",
    (
        _c(
            "notice_id",
            "string",
            "stable id of the notice: the file's path in the raw folder without extension (a notice "
            "folder: the folder's path)",
        ),
        _c(
            "source_path",
            "string",
            "the file's path relative to the raw folder; a notice folder's path ends in '/'",
        ),
        _c("sha256", "string", "SHA-256 of the raw bytes (a folder: of its files' names and hashes)"),
        _c("size_bytes", "int64", "size of the raw file (a folder: of its files)", "bytes"),
        _c("source_url", "string", "the notice's address (from notice.json); null when unknown"),
        _c("status", "string", "ok / irrelevant (readable, not a results notice) / rejected (unreadable)"),
        _c("status_reason", "string", "why the notice is irrelevant or rejected; null when ok"),
        _c("duplicate_of", "string", "notice_id of an earlier file with the same bytes; null when unique"),
        _c("title", "string", "title as the notice gives it, normalized"),
        _c("issuer", "string", "issuing body as the notice names it; null when absent"),
        _c("doc_number", "string", "document number (发文字号) as written, simplified script"),
        _c("publish_date", "date32", "date of issue (signature date; else the page's date)"),
        *_REGION,
        _c(
            "sector",
            "string",
            "industry system when the notice covers only its stations (粮食行业 …), else null",
        ),
        *_PROVINCE,
        _c(
            "evaluation_year",
            "int32",
            "year the evaluation covers: 年度 named, else year inspected, else the year the text "
            "names most (up to the year issued), else year issued",
        ),
        _c("script", "string", "traditional / simplified: script of the raw text"),
        _c("encoding", "string", "character encoding detected for the raw bytes"),
        *_STATED,
        *_LISTED,
        _c("n_volumes", "int32", "appraisal-volume figures extracted", "figures"),
        _c(
            "warnings",
            "list<string>",
            "what a reader should check: counts disagree, list cut off, unknown labels …",
        ),
        _c(
            "issue_codes",
            "list<string>",
            "the code of each extraction issue, in the order of `warnings` (pipeline/issues.py's catalogue)",
        ),
        _c("code_version", "string", "version of the extraction code that produced the row"),
    ),
    ("notice_id",),
)

INSTITUTIONS = Table(
    "institutions",
    "curated",
    "One row per institution listed by name with a grade in an ok notice.",
    (
        _c("notice_id", "string", "notice the row comes from"),
        *_REGION[1::-1],
        _c("evaluation_year", "int32", "copied from the notice"),
        _c("institution_name", "string", "normalized name: numbering, junk and host parenthetical removed"),
        _c("host_organization", "string", "the 承建 (host) organization; null when not given"),
        _c("institution_number", "int32", "ordinal in the name, e.g. 55 for 第五十五国家职业技能鉴定所"),
        _c("grade", "string", _GRADE_LIST),
        _c("grade_label", "string", "the notice's own words for the grade"),
        _c("note", "string", "a note beside the item, e.g. 主动申请撤销"),
        _c("line", "int32", "1-based line of the normalized text the item came from (provenance)"),
        *_SOURCE,
        _c("item_source", "string", "the rule that read the row (list / table / inline / named_of_n …)"),
        _c("institution_key", "string", "stable key for the same institution across notices and years"),
    ),
    ("notice_id", "line", "institution_name"),
)

APPRAISAL_VOLUMES = Table(
    "appraisal_volumes",
    "curated",
    "One row per number of persons appraised or certified that a notice states.",
    (
        _c("notice_id", "string", "notice the figure comes from"),
        _c(
            "region_name", "string", "region the figure is about (may be a city inside the notice's province)"
        ),
        _c("region_code", "string", "GB/T 2260 code of that region"),
        _c("year", "int32", "year the figure refers to"),
        _c(
            "metric",
            "string",
            "appraised (参加鉴定) / certified (取得证书) / other (a sub-group, e.g. 农民工)",
        ),
        _c("persons", "int64", "number of persons; 68.48万 -> 684800", "persons"),
        _c("qualifier", "string", "exact / approx (余 约 近 多) / at_least (超过 突破 以上)"),
        _c("evidence", "string", "the sentence the figure came from"),
        _c("line", "int32", "1-based line of the normalized text (provenance)"),
        *_SOURCE,
    ),
    ("notice_id", "line", "region_code", "metric", "persons"),
)

REGION_YEAR = Table(
    "region_year",
    "curated",
    "One row per region, sector and evaluation year: grade counts, pass rate, revocations, volumes.",
    (
        *(_REGION[1], _REGION[0], _REGION[2]),
        _PROVINCE[1],
        _PROVINCE[0],
        _c("sector", "string", "industry system; null for the general system"),
        _c("evaluation_year", "int32", "evaluation year"),
        _c("n_evaluated", "int32", "institutions given any grade, revoked included", "institutions"),
        *_N,
        _c(
            "n_ungraded",
            "int32",
            "institutions the notice says were evaluated but gives no grade for (stated total minus the "
            "grade counts); counted in n_evaluated, not as passed",
            "institutions",
        ),
        _c("count_source", "string", "listed / stated / mixed: where the grade counts come from"),
        _c(
            "count_notice_id",
            "string",
            "the notice the counts come from: of several for one region, sector and year, the one with "
            "the largest n_evaluated, then the later publish date, then the larger notice_id",
        ),
        _c(
            "pass_rate",
            "float64",
            "(n_excellent + n_pass) / n_evaluated; null when no grade is known",
            "ratio 0-1",
        ),
        _c("revocation_count", "int32", "= n_revoked", "institutions"),
        _c(
            "persons_appraised",
            "int64",
            "region-level appraised figure for that year; null if none",
            "persons",
        ),
        _c("persons_appraised_qualifier", "string", "exact / approx / at_least"),
        _c("notice_ids", "list<string>", "the notices the row was built from"),
    ),
    ("region_code", "sector", "evaluation_year"),
)

INSTITUTION_HISTORY = Table(
    "institution_history",
    "curated",
    "One row per institution per evaluation year: its grade, linked across notices and years by "
    "institution_key, with the previous grade and the transition (e.g. rectify->revoked).",
    (
        _c(
            "institution_key",
            "string",
            "the institution: province code + name with script, brackets, spacing, numbering, 国家 and "
            "host evened out (see docs/definitions.md)",
        ),
        _c("evaluation_year", "int32", "evaluation year of the grade"),
        _c("institution_name", "string", "name as the chosen notice gives it (normalized)"),
        _c("institution_number", "int32", "ordinal in the name, e.g. 6 for 第六国家职业技能鉴定所"),
        _c("host_organization", "string", "the 承建 (host) organization that year; null when not given"),
        _c("region_code", "string", "GB/T 2260 code of the region of the chosen notice"),
        _c("region_name", "string", "region of the chosen notice"),
        _c("province_code", "string", "GB/T 2260 code of that region's province"),
        _c("province_name", "string", "that region's province"),
        _c("grade", "string", _GRADE_LIST),
        _c("grade_label", "string", "the notice's own words for the grade"),
        _c("note", "string", "a note beside the item, e.g. 主动申请撤销"),
        _c(
            "first_year",
            "int32",
            "first evaluation year in which the institution has a row in the dataset",
        ),
        _c(
            "previous_year",
            "int32",
            "latest earlier evaluation year with a row for the institution (not always year - 1); "
            "null in its first year",
        ),
        _c("previous_grade", "string", "the grade in previous_year; null in the first year"),
        _c(
            "transition",
            "string",
            "'<previous_grade>-><grade>', e.g. rectify->revoked, pass->excellent, pass->pass; "
            "null in the first year",
        ),
        _c(
            "notice_id",
            "string",
            "the notice the grade comes from: the one region_year counts, then the later, then the larger id",
        ),
        _c("line", "int32", "1-based line of that notice's normalized text (provenance)"),
        _c("notice_ids", "list<string>", "every notice naming the institution that year"),
        _c(
            "other_grades",
            "list<string>",
            "other grades given to it that year by other items or notices; empty when they agree",
        ),
    ),
    ("institution_key", "evaluation_year"),
)

RAW_FILES = Table(
    "raw_files",
    "curated",
    "One row per raw file, every one: the notice it belongs to, its role, the format read from its "
    "bytes, and whether it was read (and why not).",
    (
        _c("notice_id", "string", "the notice the file belongs to (notices.notice_id)"),
        _c("path", "string", "the file's path relative to the raw folder"),
        _c("role", "string", "page / attachment / sidecar (notice.json) / resources (a browser's folder)"),
        _c(
            "format",
            "string",
            "format decided from the bytes: text, html, mhtml, xlsx, xls, docx, doc, pdf, ofd …",
        ),
        _c("sha256", "string", "SHA-256 of the bytes; null when the file could not be read"),
        _c("size_bytes", "int64", "size of the file", "bytes"),
        _c("status", "string", "read / rejected / skipped (not meant to be read: a resource folder)"),
        _c("reason", "string", "why the file was rejected or skipped, and what to do; null when read"),
        _c("units", "int32", "pages of a PDF or sheets of a workbook; null otherwise", "pages or sheets"),
    ),
    ("path",),
)

# Work tables: what each step hands to the next (in the work folder, keyed by content sha256).
_SOURCE_PATH = _c("source_path", "string", "path relative to the raw folder")
_RAW_FILE_FACTS = (  # what the raw scan says of a file (or a notice folder), in both raw work tables
    _c("sha256", "string", "SHA-256 of the bytes; empty when the file could not be read"),
    _c("size_bytes", "int64", "file size", "bytes"),
    _c("reject_reason", "string", "why the file cannot be used; null when usable"),
)
RAW_MANIFEST = Table(
    "raw_manifest",
    "work",
    "Every notice found in the raw folder: a loose file, or a notice folder.",
    (
        _SOURCE_PATH,
        *_RAW_FILE_FACTS,
    ),
    ("source_path",),
)
RAW_FILE_LIST = Table(
    "raw_file_list",
    "work",
    "Every file found in the raw folder, with the notice it belongs to and its role.",
    (
        _SOURCE_PATH,
        _c("notice_path", "string", "source_path of its notice (a folder's ends in '/')"),
        _c("role", "string", "page / attachment / sidecar / resources"),
        *_RAW_FILE_FACTS,
    ),
    ("source_path",),
)
RAW_HASHES = Table(
    "raw_hashes",
    "work",
    "The raw scan's hash cache: a file whose size, mtime, ctime, inode and device are unchanged since "
    "this row was written keeps its sha256 without being read again.",
    (
        _SOURCE_PATH,
        _c("size_bytes", "int64", "file size", "bytes"),
        _c("mtime_ns", "int64", "modification time", "ns since the epoch"),
        _c("ctime_ns", "int64", "status change time", "ns since the epoch"),
        _c("inode", "int64", "inode number"),
        _c("device", "int64", "device number"),
        _c("sha256", "string", "SHA-256 of the bytes"),
    ),
    ("source_path",),
)
NORMALIZED_NOTICES = Table(
    "normalized_notices",
    "work",
    "Decoded, simplified, de-noised text per distinct raw content.",
    (
        _c("sha256", "string", "content key"),
        _c("code_version", "string", "normalize code version"),
        _c("status", "string", "ok / rejected"),
        _c("status_reason", "string", "why rejected"),
        _c("encoding", "string", "encoding detected"),
        _c("script", "string", "traditional / simplified"),
        _c("text", "string", "normalized text"),
        _c("text_sha256", "string", "SHA-256 of the normalized text: the same notice in other bytes"),
        _c(
            "line_sources",
            "list<string>",
            "where each file's (and sheet's or page's) lines begin: 'line<TAB>file<TAB>sheet or page'; "
            "empty for a text or HTML file",
        ),
        _c(
            "file_reads",
            "list<string>",
            "one JSON object per file of the notice: format, status, reason, units",
        ),
        _c("read_warnings", "list<string>", "issues of reading the notice's files (attachment missing …)"),
        _c("read_issue_codes", "list<string>", "the code of each read warning"),
        _c("source_url", "string", "the notice's address, from notice.json; null when unknown"),
    ),
    ("sha256",),
)
NOTICE_RECORDS = Table(
    "notice_records",
    "work",
    "Extracted metadata and counts per distinct content.",
    (
        _c("sha256", "string", "content key"),
        _c("code_version", "string", "extract code version"),
        _c("status", "string", "ok / irrelevant / rejected"),
        _c("status_reason", "string", "why not ok"),
        *(
            c
            for c in NOTICES.columns
            if c.name
            in {
                "title",
                "issuer",
                "doc_number",
                "publish_date",
                "region_code",
                "sector",
                "evaluation_year",
                "script",
                "encoding",
            }
        ),
        *_STATED,
        *_LISTED,
        _c("warnings", "list<string>", "warnings"),
        _c("issue_codes", "list<string>", "issue codes"),
    ),
    ("sha256",),
)
INSTITUTION_GRADES = Table(
    "institution_grades",
    "work",
    "Institutions listed with a grade, per distinct content.",
    (
        _c("sha256", "string", "content key"),
        _c("line", "int32", "line of the normalized text"),
        _c("institution_name", "string", "name"),
        _c("host_organization", "string", "host"),
        _c("institution_number", "int32", "ordinal"),
        _c("grade", "string", "grade"),
        _c("grade_label", "string", "label"),
        _c("note", "string", "note"),
        _c("item_source", "string", "list / table / inline / named_of_n"),
        _c("institution_key", "string", "names.institution_key with the notice's province"),
    ),
    ("sha256", "line", "institution_name"),
)
APPRAISAL_FIGURES = Table(
    "appraisal_figures",
    "work",
    "Appraisal volumes stated, per distinct content.",
    (
        _c("sha256", "string", "content key"),
        *(c for c in APPRAISAL_VOLUMES.columns if c.name not in {"notice_id", "region_name"}),
    ),
    ("sha256", "line", "region_code", "metric", "persons"),
)

# Written by `jianding fetch` (pipeline/fetch/) beside the raw folder, not by the build.
FETCH_LOG = Table(
    "fetch_log",
    "fetch",
    "One row per URL the last `jianding fetch` run requested (list pages, notice pages, attachments): "
    "what became of it and why. Written to the fetch folder (data/fetch/ by default).",
    (
        _c("url", "string", "the URL as listed or linked"),
        _c("kind", "string", "listing (a list page) / page (a notice page) / attachment"),
        _c(
            "status",
            "string",
            "ok (saved) / not_modified (unchanged: a 304, or the same bytes) / failed / disallowed "
            "(robots.txt)",
        ),
        _c("reason", "string", "why it failed or was disallowed, or what was unchanged; null when ok"),
        _c("http_status", "int32", "the last HTTP status received; null when no response came"),
        _c("final_url", "string", "the URL after redirects"),
        _c(
            "notice_id",
            "string",
            "the notice folder in the raw folder (= notices.notice_id); null for a list page",
        ),
        _c("file", "string", "the file saved in that folder (page.html or the attachment's name)"),
        _c("sha256", "string", "SHA-256 of the bytes received; null when none were"),
        _c("size_bytes", "int64", "bytes received", "bytes"),
        _c("attempts", "int32", "requests made for it (retries and redirects included)", "requests"),
        _c("fetched_at", "string", "when it was requested (UTC, ISO 8601)"),
        _c(
            "found_on",
            "string",
            "the list page it was found on, sources.csv, or the page an attachment is linked from",
        ),
    ),
    ("notice_id", "kind", "url"),
)

CURATED_TABLES: tuple[Table, ...] = (
    NOTICES,
    INSTITUTIONS,
    APPRAISAL_VOLUMES,
    REGION_YEAR,
    INSTITUTION_HISTORY,
    RAW_FILES,
)
WORK_TABLES: tuple[Table, ...] = (
    RAW_MANIFEST,
    RAW_FILE_LIST,
    RAW_HASHES,
    NORMALIZED_NOTICES,
    NOTICE_RECORDS,
    INSTITUTION_GRADES,
    APPRAISAL_FIGURES,
)
TABLES: dict[str, Table] = {t.name: t for t in (*CURATED_TABLES, *WORK_TABLES, FETCH_LOG)}


def data_dictionary() -> str:
    """Render the registry as Markdown (docs/data-dictionary.md is this text)."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `pipeline/registry.py` by `jianding dictionary`; do not edit by hand.",
        "The same descriptions are stored as Arrow field metadata (`description`, `unit`) in each file.",
        "",
    ]
    for table in TABLES.values():
        if table.layer not in ("curated", "fetch"):
            continue
        out += [
            f"## {table.name}.parquet",
            "",
            table.description,
            "",
            f"Sorted by: {', '.join(table.sort_by)}.",
            "",
        ]
        out += ["| column | type | unit | meaning |", "| --- | --- | --- | --- |"]
        out += [f"| {c.name} | {c.type} | {c.unit} | {c.description} |" for c in table.columns]
        out.append("")
    return "\n".join(out)
