"""Every curated table reads the same in DuckDB, polars and pandas, with the registry's schema and order.

Strings stay plain Arrow strings (no dictionary type): Parquet already dictionary-encodes them on disk
(checked below), while an Arrow dictionary type would make pandas and polars return categoricals whose
categories differ from file to file, and DuckDB ignores it anyway.
"""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline.registry import CURATED_TABLES, Table
from pipeline.storage import _sort_key
from tests.test_history import GANSU_2011, build_tables, write_tables

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
LOW_CARDINALITY = {
    "notices": ["status", "region_level", "script"],
    "institutions": ["grade"],
    "raw_files": ["role", "status"],
    "appraisal_volumes": ["metric", "qualifier"],
    "region_year": ["region_level", "count_source"],
    "institution_history": ["grade", "transition"],
}


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("readers")
    shutil.copytree(RAW, tmp / "raw")
    shutil.copy(GANSU_2011, tmp / "raw" / "gansu_2011.txt")
    write_tables(build_tables(tmp / "raw"), tmp / "curated")
    return tmp / "curated"


def _plain(value: Any) -> Any:
    """One Python value per cell, whichever reader produced it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return value  # compared with ints below: 63.0 == 63
    return value


def _records(columns: list[str], rows: list[tuple | list]) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in rows]


def _read_all(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    con = duckdb.connect()
    rel = con.sql(f"select * from read_parquet('{path}')")
    frame = pd.read_parquet(path)
    polars = pl.read_parquet(path)
    return {
        "duckdb": (rel.columns, _records(rel.columns, rel.fetchall())),
        "pandas": (
            list(frame.columns),
            _records(list(frame.columns), frame.itertuples(index=False, name=None)),
        ),
        "polars": (polars.columns, _records(polars.columns, polars.rows())),
        "pyarrow": (
            pq.read_schema(path).names,
            _records([], [tuple(r.values()) for r in pq.read_table(path).to_pylist()]),
        ),
    }


@pytest.mark.parametrize("table", CURATED_TABLES, ids=lambda t: t.name)
def test_three_readers_agree(curated: Path, table: Table) -> None:
    results = _read_all(curated / f"{table.name}.parquet")
    columns, reference = results.pop("pyarrow")
    assert columns == table.column_names and reference, table.name
    for reader, (cols, rows) in results.items():
        assert cols == columns, reader
        assert len(rows) == len(reference), reader
        for i, (mine, ref) in enumerate(zip(rows, reference, strict=True)):
            assert mine == ref, f"{table.name} row {i} differs in {reader}"


@pytest.mark.parametrize("table", CURATED_TABLES, ids=lambda t: t.name)
def test_schema_types_descriptions_and_order(curated: Path, table: Table) -> None:
    path = curated / f"{table.name}.parquet"
    schema = pq.read_schema(path)
    expected = table.schema()
    assert schema.names == expected.names and schema.metadata == expected.metadata
    for field, want in zip(schema, expected, strict=True):
        assert field.type == want.type and field.metadata == want.metadata, field.name
        assert field.metadata[b"description"], field.name
    rows = pq.read_table(path).to_pylist()
    assert rows == sorted(rows, key=lambda r: _sort_key(r, table.sort_by))  # stable, documented order
    # nullable integers stay integers for readers that keep types
    frame = pd.read_parquet(path, dtype_backend="numpy_nullable")
    for column in table.columns:
        if column.type == "int32":
            assert str(frame[column.name].dtype) == "Int32", column.name
    assert all(str(dtype).startswith("Int") or dtype != "float64" for dtype in frame.dtypes)


def test_dates_and_lists_read_as_dates_and_lists(curated: Path) -> None:
    path = curated / "notices.parquet"
    con = duckdb.connect()
    query = f"select publish_date from read_parquet('{path}') where notice_id = 'gansu_2011'"
    assert con.execute(query).fetchall() == [(date(2012, 3, 15),)]
    assert pl.read_parquet(path).schema["warnings"] == pl.List(pl.String)
    history = pd.read_parquet(curated / "institution_history.parquet")
    assert list(history.loc[history.transition == "rectify->revoked", "institution_number"]) == [2, 38]


@pytest.mark.parametrize("table", CURATED_TABLES, ids=lambda t: t.name)
def test_low_cardinality_strings_are_dictionary_encoded_on_disk_and_plain_in_readers(
    curated: Path, table: Table
) -> None:
    path = curated / f"{table.name}.parquet"
    meta = pq.ParquetFile(path).metadata
    names = pq.read_schema(path).names
    for column in LOW_CARDINALITY[table.name]:
        chunk = meta.row_group(0).column(names.index(column))
        assert "RLE_DICTIONARY" in chunk.encodings or "PLAIN_DICTIONARY" in chunk.encodings, column
        assert pl.read_parquet(path).schema[column] == pl.String
        assert pd.read_parquet(path)[column].dtype == object
