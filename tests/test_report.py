"""The report: PNG charts and a self-contained HTML page; it never fails, whatever it is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import report
from pipeline.defs import make_definitions
from tests.test_history import GANSU_2010, GANSU_2011, build_tables, write_tables


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    (tmp / "raw").mkdir()
    shutil.copy(GANSU_2010, tmp / "raw" / "gansu_2010.txt")
    shutil.copy(GANSU_2011, tmp / "raw" / "gansu_2011.txt")
    write_tables(build_tables(tmp / "raw"), tmp / "curated")
    return tmp / "curated"


def test_report_renders_charts_and_one_self_contained_page(curated: Path) -> None:
    result = report.render_report(curated)
    assert result["errors"] == []
    for name in report.CHARTS.values():
        png = (curated / "report" / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    page = (curated / "report" / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2 and "<img" in page and "src='http" not in page
    assert "rectify-&gt;revoked" in page and "甘肃省第38国家职业技能鉴定所" in page
    if result["font"] is None:  # charts labelled by code: the page names the codes
        assert "<td>620000</td><td>甘肃省</td>" in page


def test_region_labels_with_and_without_a_cjk_font() -> None:
    row = {"region_code": "100000", "region_name": "全国", "sector": "粮食行业"}
    assert report.region_label(row, cjk=True) == "全国 粮食行业"
    assert report.region_label(row, cjk=False) == "100000 (sector)"
    # the packaged font (mplfonts' Noto Sans CJK SC), by its path: no system font, no font cache
    font = report.find_cjk_font()
    assert font == report.packaged_font() and Path(font).name == "NotoSansCJKsc-Regular.otf"


def test_charts_show_names_years_run_on_and_numbers_have_separators(curated: Path) -> None:
    result = report.render_report(curated, force=True)
    assert result["font"] and result["errors"] == []
    page = (curated / "report" / "index.html").read_text(encoding="utf-8")
    assert "Region codes in the charts" not in page  # names are on the charts themselves
    assert "<a href='#definitions'>" in page and "<h2 id='definitions'>" in page
    assert report.consecutive_years({2010, 2013}) == [2010, 2011, 2012, 2013]
    assert report.consecutive_years(set()) == []
    assert report._number(1234567) == "1,234,567" and report._number(None) is None


def test_the_report_is_redrawn_when_its_font_changes(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert report.render_report(curated, force=True)["errors"] == []
    assert report.render_report(curated)["unchanged"]  # same tables, code and font: kept
    monkeypatch.setattr(report, "font_candidates", lambda: [])  # the font is gone
    monkeypatch.setattr(report, "find_cjk_font", lambda: None)
    again = report.render_report(curated)
    assert not again["unchanged"] and again["font"] is None
    page = (curated / "report" / "index.html").read_text(encoding="utf-8")
    assert "<td>620000</td><td>甘肃省</td>" in page  # without a font: codes, and their legend


def test_a_failing_chart_is_named_not_raised(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> Path:
        raise RuntimeError("no canvas")

    monkeypatch.setattr(report, "pass_rate_chart", broken)
    result = report.render_report(curated, force=True)
    assert result["errors"] == ["pass_rate_by_region_year.png: RuntimeError: no canvas"]
    assert not (curated / "report" / "pass_rate_by_region_year.png").exists()
    page = (curated / "report" / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 1 and "no canvas" in page


def test_empty_or_broken_folders_never_raise(tmp_path: Path) -> None:
    result = report.render_report(tmp_path / "empty")  # no tables at all: charts say so
    assert result["errors"] == [] and Path(result["html"]).exists()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "region_year.parquet").write_bytes(b"not parquet")
    result = report.render_report(tmp_path / "bad")
    assert result["errors"] and result["html"] is None
    (tmp_path / "file").write_text("x")
    assert report.render_report(tmp_path / "file")["errors"]


def test_report_asset_is_in_the_graph() -> None:
    graph = make_definitions().resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"curated_report", "curated/institution_history"} <= keys


def test_report_is_kept_when_inputs_are_unchanged_and_heatmap_is_capped(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline import report
    from pipeline.registry import TABLES

    rows = [
        {
            "region_code": f"{110101 + i}",
            "region_name": f"区{i}",
            "region_level": "county",
            "province_code": "110000",
            "province_name": "北京市",
            "evaluation_year": 2010,
            "n_evaluated": i + 1,
            "pass_rate": 0.5,
            "n_revoked": 0,
            "revocation_count": 0,
            "notice_ids": ["n"],
        }
        for i in range(report.MAX_HEATMAP_REGIONS + 20)
    ]
    table = TABLES["region_year"]
    pq.write_table(
        pa.Table.from_pylist(
            [{c: r.get(c) for c in table.column_names} for r in rows], schema=table.schema()
        ),
        tmp_path / "region_year.parquet",
    )
    first = report.render_report(tmp_path)
    assert not first["errors"] and not first["unchanged"]
    png = (tmp_path / "report" / report.CHARTS["pass_rate"]).read_bytes()
    assert len(png) < 2_000_000  # a capped heat map, not one row per region
    second = report.render_report(tmp_path)
    assert second["unchanged"] and second["html"] == first["html"]


def test_a_cli_rebuild_with_unchanged_tables_keeps_the_published_report(tmp_path) -> None:
    import shutil

    from pipeline import report
    from pipeline.cli import main as cli_main

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures/corpus/003_81f32f06dd791a64/notice.txt", raw / "fz.txt")
    args = ["build", "--raw-dir", str(raw), "--curated-dir", str(tmp_path / "curated"), "--quiet"]
    assert cli_main(args) == 0
    page = tmp_path / "curated" / "report" / "index.html"
    stamp = (tmp_path / "curated" / "report" / ".inputs.sha256").read_text()
    before = page.read_bytes()
    calls = []
    original = report._html
    report._html = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        assert cli_main(args) == 0
    finally:
        report._html = original
    assert calls == []  # not rendered again
    assert page.read_bytes() == before
    assert (tmp_path / "curated" / "report" / ".inputs.sha256").read_text() == stamp


_RENDER_AND_SAY_IF_MATPLOTLIB = (
    "import sys; from pipeline import report; r = report.render_report(sys.argv[1]); "
    "print(r['unchanged'], not r['errors'], 'matplotlib' in sys.modules)"
)


def _render_in_fresh_process(curated: Path) -> str:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _RENDER_AND_SAY_IF_MATPLOTLIB, str(curated)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return out.stdout.strip()


def test_matplotlib_is_imported_only_to_draw(curated: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    folder = tmp_path / "curated"
    shutil.copytree(curated, folder)
    shutil.rmtree(folder / "report", ignore_errors=True)
    assert _render_in_fresh_process(folder) == "False True True"  # first report: drawn
    charts = {name: (folder / "report" / name).read_bytes() for name in report.CHARTS.values()}
    assert _render_in_fresh_process(folder) == "True True False"  # same inputs: kept, not imported
    # a notice more that the charts do not draw (its status only): the page again, the same charts
    notices = pq.read_table(folder / "notices.parquet")
    pq.write_table(notices.slice(0, notices.num_rows - 1), folder / "notices.parquet")
    assert _render_in_fresh_process(folder) == "False True False"
    assert {name: (folder / "report" / name).read_bytes() for name in report.CHARTS.values()} == charts
    page = (folder / "report" / "index.html").read_text(encoding="utf-8")
    assert f"{notices.num_rows - 1:,} notices:" in page and page.count("data:image/png;base64,") == 2
    # what a chart draws changed: drawn again
    region_year = pq.read_table(folder / "region_year.parquet")
    pq.write_table(region_year.slice(1), folder / "region_year.parquet")
    assert _render_in_fresh_process(folder) == "False True True"
