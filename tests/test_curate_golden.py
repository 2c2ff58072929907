"""The DuckDB curate writes the bytes the curate before it wrote (tests/curate_golden/README.md).

Both ways a build may curate (streamed into files, for local folders; in memory then written, for an
object store and for callers of build_curated) must give every curated file byte for byte: the same
schema and metadata, column order, row order, types, row groups and writer settings.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import curate, registry, storage
from pipeline.defs.assets import WITHOUT_TEXT, _write_curated
from pipeline.defs.resources import JiandingPaths

GOLDEN = Path(__file__).parent / "curate_golden"
SETS = ("corpus", "fixtures")
GOLDEN_PYARROW = "26.0.1"  # the version that wrote the golden files (its name is in every file)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_file(got: Path, want: Path) -> None:
    """The same bytes; under another pyarrow (whose name and writer differ) the same Parquet content:
    schema with its metadata, row groups and their sizes, and every value."""
    if pa.__version__ == GOLDEN_PYARROW:
        assert _sha(got) == _sha(want), f"{got.name} differs from the golden file"
        return
    a, b = pq.ParquetFile(got), pq.ParquetFile(want)
    assert a.schema_arrow.equals(b.schema_arrow, check_metadata=True)
    assert [a.metadata.row_group(i).num_rows for i in range(a.num_row_groups)] == [
        b.metadata.row_group(i).num_rows for i in range(b.num_row_groups)
    ]
    assert a.read().equals(b.read())


@pytest.fixture(params=SETS)
def golden(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """(a copy of the set's work folder, its golden curated folder). notices.parquet names the
    extraction code's version; the golden files name that of the code that wrote them, so the test
    curates under that version: a change of the extraction rules leaves these bytes alone."""
    work = tmp_path / "work"
    shutil.copytree(GOLDEN / request.param / "work", work)
    want = GOLDEN / request.param / "curated"
    versions = pq.read_table(want / "notices.parquet", columns=["code_version"]).column(0).unique()
    assert len(versions) == 1
    monkeypatch.setattr(curate, "EXTRACT_VERSION", versions[0].as_py())
    return work, want


def test_a_build_curates_the_golden_bytes(golden: tuple[Path, Path], tmp_path: Path) -> None:
    work, want = golden
    out = tmp_path / "out"
    paths = JiandingPaths(raw_dir=str(tmp_path), curated_dir=str(out), work_dir=str(work))
    infos = _write_curated(paths, out)
    for table in registry.CURATED_TABLES:
        _same_file(out / f"{table.name}.parquet", want / f"{table.name}.parquet")
        assert infos[table.name]["sha256"] == _sha(out / f"{table.name}.parquet")
    assert not (work / ".duckdb-spill").exists()  # the spill folder goes with the step


def test_build_curated_in_memory_gives_the_same_tables(golden: tuple[Path, Path], tmp_path: Path) -> None:
    work, want = golden

    def rows(table: registry.Table, columns: list[str] | None = None) -> list[dict]:
        return storage.read_rows(work, table, columns)

    tables = curate.build_curated(
        rows(registry.RAW_MANIFEST),
        rows(registry.NORMALIZED_NOTICES, WITHOUT_TEXT),
        rows(registry.NOTICE_RECORDS),
        storage.read_table(work, registry.INSTITUTION_GRADES),
        rows(registry.APPRAISAL_FIGURES),
        rows(registry.RAW_FILE_LIST),
    )
    for table in registry.CURATED_TABLES:
        storage.write_table(tables[table.name], table, tmp_path)
        _same_file(tmp_path / f"{table.name}.parquet", want / f"{table.name}.parquet")


def test_the_streamed_writer_cuts_row_groups_as_write_table_does(tmp_path: Path) -> None:
    """Over 1,048,576 rows write_table writes several row groups; write_batches, fed small batches,
    must write the same bytes (and an empty table as write_table writes one)."""
    table = registry.INSTITUTION_GRADES
    n = storage.WRITE_ROW_GROUP + 1234
    data = pa.table(
        {
            c.name: pa.array([f"{c.name}{i % 977}" for i in range(n)], pa.string())
            if c.type == "string"
            else pa.array([i % 313 for i in range(n)], c.arrow_type)
            for c in table.columns
        }
    )
    data = storage.to_arrow(data, table)
    whole = storage.write_table(data, table, tmp_path / "whole")
    streamed = storage.write_batches(data.to_batches(max_chunksize=50_000), table, tmp_path / "streamed")
    assert pq.ParquetFile(tmp_path / "whole" / f"{table.name}.parquet").num_row_groups == 2
    assert (streamed["sha256"], streamed["rows"]) == (whole["sha256"], whole["rows"])
    empty = storage.write_table([], table, tmp_path / "empty_whole")
    assert storage.write_batches([], table, tmp_path / "empty_streamed")["sha256"] == empty["sha256"]
