"""region_year precedence rules and the curated checks, on crafted notice rows (see pipeline/curate's docstring)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from pipeline.curate import build_region_year
from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
from pipeline.defs.checks import BLOCKING, CURATED_CHECKS, run_curated_checks
from pipeline.registry import GRADES
from tests.conftest import FIXTURE_CORPUS


def notice(
    nid: str,
    code: str = "620000",
    year: int = 2010,
    *,
    stated: dict[str, int] | None = None,
    listed: dict[str, int] | None = None,
    sector: str | None = None,
    published: date | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A notices.parquet row as build_notices makes it for an ok notice."""
    stated, listed = stated or {}, listed or {}
    row: dict[str, Any] = {
        "notice_id": nid,
        "source_path": f"{nid}.txt",
        "status": "ok",
        "region_code": code,
        "sector": sector,
        "evaluation_year": year,
        "publish_date": published,
        "duplicate_of": None,
        "warnings": [],
        "n_volumes": 0,
        **{f"stated_{g}": stated.get(g) for g in ("total", *GRADES)},
        **{f"listed_{g}": listed.get(g, 0) for g in GRADES},
        "listed_total": sum(listed.values()),
    }
    return {**row, **extra}


def volume(nid: str, code: str, persons: int, qualifier: str = "exact", year: int = 2010) -> dict[str, Any]:
    return {
        "notice_id": nid,
        "region_code": code,
        "year": year,
        "metric": "appraised",
        "persons": persons,
        "qualifier": qualifier,
    }


def by_region(rows: list[dict]) -> dict[tuple, dict]:
    return {(r["region_code"], r["sector"], r["evaluation_year"]): r for r in rows}


# --- stated versus listed -------------------------------------------------------------------------


def test_news_report_states_counts_it_does_not_list() -> None:
    # 通过年检的共222个；7个…限期整改；12个被撤销 (and names only the 12 revoked)
    n = notice(
        "news",
        "610000",
        2013,
        stated={"total": 241, "pass": 222, "rectify": 7, "revoked": 12},
        listed={"revoked": 12},
    )
    (row,) = build_region_year([n], [])
    assert (row["n_evaluated"], row["n_pass"], row["n_rectify"], row["n_revoked"]) == (241, 222, 7, 12)
    assert row["n_excellent"] == 0 and row["n_ungraded"] == 0
    assert row["pass_rate"] == pytest.approx(222 / 241) and row["revocation_count"] == 12
    assert row["count_source"] == "stated" and row["count_notice_id"] == "news"


def test_stated_count_wins_over_a_shorter_list() -> None:
    # "X等10家…优秀": names one, states ten
    n = notice(
        "qh", "630000", 2005, stated={"excellent": 10, "rectify": 3}, listed={"excellent": 1, "rectify": 3}
    )
    (row,) = build_region_year([n], [])
    assert (row["n_excellent"], row["n_rectify"], row["n_evaluated"]) == (10, 3, 13)
    assert row["count_source"] == "stated"


def test_listed_only_and_mixed_sources() -> None:
    listed = notice("a", "350100", 2014, listed={"excellent": 2, "pass": 5, "revoked": 1})
    mixed = notice("b", "350200", 2014, stated={"pass": 40}, listed={"revoked": 2})
    rows = by_region(build_region_year([listed, mixed], []))
    a, b = rows[("350100", None, 2014)], rows[("350200", None, 2014)]
    assert (a["n_evaluated"], a["count_source"], a["pass_rate"]) == (8, "listed", pytest.approx(7 / 8))
    assert (b["n_evaluated"], b["n_pass"], b["n_revoked"], b["count_source"]) == (42, 40, 2, "mixed")
    assert b["n_conditional"] == 0  # neither stated nor listed, once any grade is known: 0


def test_stated_total_larger_than_the_grades_makes_ungraded_institutions() -> None:
    # 全国共有47个…参加了评估…其中，优秀等次11个、合格等次18个、基本合格等次13个
    n = notice(
        "grain",
        "100000",
        2009,
        sector="粮食行业",
        stated={"total": 47, "excellent": 11, "pass": 18, "conditional": 13},
    )
    (row,) = build_region_year([n], [])
    assert (row["n_evaluated"], row["n_ungraded"], row["pass_rate"]) == (47, 5, pytest.approx(29 / 47))
    assert row["sector"] == "粮食行业" and row["region_level"] == "national"


def test_stated_total_smaller_than_the_grades_is_not_used() -> None:
    n = notice("odd", stated={"total": 10, "pass": 20, "rectify": 2})
    (row,) = build_region_year([n], [])
    assert (row["n_evaluated"], row["n_ungraded"]) == (22, 0)
    (result,) = [
        r for r in run_curated_checks(_tables([n], []), []) if r.check_name == "stated_matches_listed"
    ]
    assert not result.passed


def test_only_a_total_gives_n_evaluated_without_grades() -> None:
    (row,) = build_region_year([notice("t", stated={"total": 120})], [])
    assert row["n_evaluated"] == 120 and row["n_ungraded"] == 120
    assert row.get("n_pass") is None and row["pass_rate"] is None and row.get("revocation_count") is None


def test_notice_without_counts_has_none() -> None:
    (row,) = build_region_year([notice("none")], [])
    assert row["n_evaluated"] is None and row["count_notice_id"] is None and row["notice_ids"] == ["none"]


# --- several notices for one region, sector and year --------------------------------------------------


def test_several_notices_are_never_summed_the_most_complete_wins() -> None:
    draft = notice("a_list", listed={"pass": 50, "rectify": 5}, published=date(2011, 5, 1))
    final = notice("b_final", stated={"pass": 53, "rectify": 5, "revoked": 5}, published=date(2011, 3, 3))
    (row,) = build_region_year([draft, final], [])
    assert row["n_evaluated"] == 63 and row["count_notice_id"] == "b_final"
    assert row["notice_ids"] == ["a_list", "b_final"]


def test_equal_notices_the_later_wins_then_a_dated_one_then_the_larger_id() -> None:
    early = notice("z_early", stated={"pass": 60}, published=date(2011, 1, 1))
    late = notice("a_late", stated={"pass": 55, "revoked": 5}, published=date(2011, 6, 1))
    undated = notice("zz_undated", stated={"pass": 59, "revoked": 1})
    (row,) = build_region_year([early, late, undated], [])
    assert row["count_notice_id"] == "a_late" and row["n_revoked"] == 5
    assert row["notice_ids"] == ["a_late", "z_early", "zz_undated"]
    # no dates at all: the larger notice_id
    (row,) = build_region_year(
        [notice("n1", stated={"pass": 9}), notice("n2", stated={"pass": 8, "revoked": 1})], []
    )
    assert row["count_notice_id"] == "n2"
    # a dated notice beats an undated one of the same size
    (row,) = build_region_year(
        [notice("n9", stated={"pass": 9}), notice("n1", stated={"pass": 9}, published=date(2011, 1, 1))], []
    )
    assert row["count_notice_id"] == "n1"


def test_duplicate_files_are_not_counted() -> None:
    first = notice("a", stated={"pass": 10})
    dup = notice("b", stated={"pass": 10}, duplicate_of="a")
    (row,) = build_region_year([first, dup], [])
    assert row["notice_ids"] == ["a"] and row["n_evaluated"] == 10


def test_sectors_and_years_are_separate_rows() -> None:
    rows = by_region(
        build_region_year(
            [
                notice("gen", "100000", 2009, stated={"pass": 3}),
                notice("grain", "100000", 2009, sector="粮食行业", stated={"pass": 4}),
                notice("next", "100000", 2010, sector="粮食行业", stated={"pass": 5}),
            ],
            [],
        )
    )
    assert {k: r["n_pass"] for k, r in rows.items()} == {
        ("100000", None, 2009): 3,
        ("100000", "粮食行业", 2009): 4,
        ("100000", "粮食行业", 2010): 5,
    }


# --- a city beside its province; volumes for cities -------------------------------------------------


def test_city_notice_beside_its_province_notice() -> None:
    province = notice("fj", "350000", 2014, stated={"pass": 100, "revoked": 4})
    city = notice("fz", "350100", 2014, stated={"excellent": 11, "pass": 39, "rectify": 4, "revoked": 3})
    rows = by_region(build_region_year([province, city], []))
    p, c = rows[("350000", None, 2014)], rows[("350100", None, 2014)]
    assert (p["n_evaluated"], p["revocation_count"], p["notice_ids"]) == (104, 4, ["fj"])
    assert (c["n_evaluated"], c["revocation_count"], c["notice_ids"]) == (57, 3, ["fz"])
    assert (c["region_level"], c["province_code"], c["province_name"]) == ("prefecture", "350000", "福建省")


def test_volumes_for_cities_inside_a_provincial_notice() -> None:
    gansu = notice("gs", "620000", 2010, stated={"pass": 53})
    volumes = [
        volume("gs", "620000", 211390),
        volume("gs", "620900", 23300, "approx"),
        volume("gs", "620100", 10000, "at_least"),
        volume("gs", "620100", 12000, "approx"),
    ]
    rows = by_region(build_region_year([gansu], volumes))
    assert rows[("620000", None, 2010)]["persons_appraised"] == 211390
    jiuquan = rows[("620900", None, 2010)]
    assert (jiuquan["region_name"], jiuquan["persons_appraised"], jiuquan["persons_appraised_qualifier"]) == (
        "酒泉市",
        23300,
        "approx",
    )
    assert all(jiuquan.get(k) is None for k in ("n_evaluated", "n_pass", "count_source", "pass_rate"))
    assert jiuquan["notice_ids"] == ["gs"]
    lanzhou = rows[("620100", None, 2010)]
    assert (lanzhou["persons_appraised"], lanzhou["persons_appraised_qualifier"]) == (12000, "approx")


def test_a_citys_own_figure_beats_its_provinces_figure_for_it() -> None:
    province = notice("gs", "620000", 2010, stated={"pass": 53})
    city = notice("jq", "620900", 2010, stated={"pass": 8})
    rows = by_region(
        build_region_year([province, city], [volume("gs", "620900", 23300), volume("jq", "620900", 23312)])
    )
    row = rows[("620900", None, 2010)]
    assert row["persons_appraised"] == 23312 and row["n_evaluated"] == 8
    assert row["notice_ids"] == ["gs", "jq"]


# --- checks -----------------------------------------------------------------------------------------


def _tables(notices: list[dict], institutions: list[dict], region_year: list[dict] | None = None) -> dict:
    return {
        "notices": notices,
        "institutions": institutions,
        "appraisal_volumes": [],
        "region_year": build_region_year(notices, []) if region_year is None else region_year,
        "institution_history": [],
        "raw_files": [
            {"path": f"{n['notice_id']}.txt", "status": "read", "reason": None} for n in notices
        ],
    }


def test_every_declared_check_runs_and_passes_on_consistent_rows() -> None:
    notices = [notice("a", stated={"pass": 2}, listed={"pass": 2})]
    results = list(run_curated_checks(_tables(notices, []), [{"source_path": "a.txt"}]))
    assert [(r.asset_key, r.check_name) for r in results] == [(s.asset_key, s.name) for s in CURATED_CHECKS]
    assert all(r.passed for r in results), [r.check_name for r in results if not r.passed]


@pytest.mark.parametrize(
    ("check", "tables", "manifest"),
    [
        (
            "stated_matches_listed",
            _tables(
                [
                    notice(
                        "a",
                        stated={"pass": 10},
                        listed={"pass": 8},
                        warnings=["stated and listed counts disagree: pass stated 10, listed 8"],
                        issue_codes=["counts_disagree"],
                    )
                ],
                [],
            ),
            [],
        ),
        (
            "every_raw_file_has_a_row",
            _tables([notice("a", stated={"pass": 1})], []),
            [{"source_path": "gone.txt"}],
        ),
        ("region_codes_valid", _tables([notice("a", "999999", stated={"pass": 1})], []), []),
        ("ok_notices_have_rows", _tables([notice("empty")], []), []),
        (
            "pass_rate_in_range",
            _tables(
                [],
                [],
                [
                    {
                        "region_code": "620000",
                        "region_name": "甘肃省",
                        "sector": None,
                        "evaluation_year": 2010,
                        "pass_rate": 1.2,
                    }
                ],
            ),
            [],
        ),
        (
            "counts_add_up",
            _tables(
                [], [], [{**build_region_year([notice("a", stated={"pass": 5})], [])[0], "n_evaluated": 6}]
            ),
            [],
        ),
    ],
)
def test_a_check_fires_on_a_crafted_mismatch_and_changes_nothing(check: str, tables: dict, manifest: list) -> None:
    before = copy.deepcopy(tables)
    results = {(r.asset_key.path[-1], r.check_name): r for r in run_curated_checks(tables, manifest)}
    fired = [k for k, r in results.items() if not r.passed]
    assert check in {name for _, name in fired}
    # contract invariants fail with ERROR (blocking), data-quality checks with WARN
    severity = {k: dg.AssetCheckSeverity.ERROR if k in BLOCKING else dg.AssetCheckSeverity.WARN for k in results}
    assert all(r.severity == severity[k] for k, r in results.items())
    assert tables == before  # a check never drops or changes data


def test_unique_key_checks_fire_on_duplicates() -> None:
    inst = {"notice_id": "a", "line": 3, "institution_name": "x", "grade": "pass"}
    hist = {"institution_key": "620000:x", "evaluation_year": 2010}
    tables = {**_tables([notice("a", stated={"pass": 1})], [inst, inst]), "institution_history": [hist, hist]}
    tables["region_year"] = tables["region_year"] * 2
    failed = {(r.asset_key.path[-1], r.check_name) for r in run_curated_checks(tables, []) if not r.passed}
    assert {
        ("institutions", "unique_keys"),
        ("region_year", "unique_keys"),
        ("institution_history", "unique_keys"),
    } <= failed


def test_build_warns_on_a_failed_check_keeps_the_notice_and_renders_the_report(tmp_path: Path) -> None:
    """A real notice whose heading states 11 excellent but lists 10: the build succeeds, the check warns."""
    text = (FIXTURE_CORPUS / "003_81f32f06dd791a64" / "notice.txt").read_text(encoding="utf-8")
    assert "鼓楼区职业技能鉴定站\n" in text
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "fuzhou_cut.txt").write_text(
        text.replace("鼓楼区职业技能鉴定站\n", "", 1), encoding="utf-8"
    )
    paths = JiandingPaths(
        raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "curated"), work_dir=str(tmp_path / "work")
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)
    assert result.success
    evaluations = {
        (
            e.asset_check_evaluation_data.asset_key.path[-1],
            e.asset_check_evaluation_data.check_name,
        ): e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert len(evaluations) == len(CURATED_CHECKS)
    mismatch = evaluations[("notices", "stated_matches_listed")]
    assert not mismatch.passed and mismatch.severity == dg.AssetCheckSeverity.WARN
    assert "excellent stated 11, listed 10" in mismatch.metadata["examples"].value
    import pyarrow.parquet as pq

    (row,) = pq.read_table(tmp_path / "curated" / "notices.parquet").to_pylist()
    assert row["status"] == "ok" and row["stated_excellent"] == 11 and row["listed_excellent"] == 10
    ry = pq.read_table(tmp_path / "curated" / "region_year.parquet").to_pylist()
    assert ry[0]["n_excellent"] == 11  # the stated count is used; nothing was dropped
    # the same build renders the report
    page = (tmp_path / "curated" / "report" / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2
    assert (tmp_path / "curated" / "report" / "pass_rate_by_region_year.png").read_bytes()[:4] == b"\x89PNG"
    (report,) = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key.to_user_string() == "curated_report"
    ]
    assert report.materialization.metadata["errors"].value == 0


def test_an_institution_named_twice_in_one_notice_is_counted_once() -> None:
    """Extraction.listed is the one definition of the listed counts: by canonical name (第3 = 第三),
    under the more severe grade; the record curate copies into notices.parquet holds the same."""
    from pipeline.extract.batch import extract_rows
    from pipeline.extract.model import Extraction, InstitutionItem

    names = [("第一", "pass"), ("第二", "pass"), ("第三", "rectify"), ("第3", "suspended")]
    x = Extraction(
        institutions=[InstitutionItem(f"甘肃省{n}国家职业技能鉴定所", g, "", i) for i, (n, g) in enumerate(names)]
    )
    assert x.listed() == {"pass": 2, "suspended": 1}
    text = (
        "甘肃省人力资源和社会保障厅关于2010年度职业技能鉴定所年检结果的通报\n"
        "一、年检合格单位\n甘肃省第一国家职业技能鉴定所\n甘肃省第二国家职业技能鉴定所\n"
        "二、限期整改单位\n甘肃省第三国家职业技能鉴定所\n"
        "对甘肃省第3国家职业技能鉴定所暂停鉴定业务六个月。\n"
    )
    record, grades, _ = extract_rows(
        {"sha256": "s", "status": "ok", "status_reason": None, "script": "simplified", "encoding": "utf-8", "text": text}
    )
    assert len(grades) == 4
    assert {k: v for k, v in record.items() if k.startswith("listed_") and v} == {
        "listed_pass": 2,
        "listed_suspended": 1,
        "listed_total": 3,
    }


def test_one_grade_order_and_one_severity_both_from_the_vocabulary() -> None:
    """registry.GRADES (the order of the stated_*, listed_* and n_* columns) and SEVERITY are derived
    from vocabulary.GRADE_LABELS and SANCTION_GRADES, in the orders the files were written in."""
    from pipeline.curate import history
    from pipeline.vocabulary import GRADE_LABELS

    assert GRADES == ("excellent", "pass", "conditional", "rectify", "revoked", "deregistered", "suspended")
    assert set(GRADES) == set(GRADE_LABELS.values())
    assert history.SEVERITY == ("revoked", "deregistered", "suspended", "rectify", "conditional", "pass", "excellent")


def test_a_resource_without_a_work_folder_uses_the_one_default(tmp_path: Path) -> None:
    from pipeline.storage import default_work_dir

    paths = JiandingPaths(raw_dir=str(tmp_path), curated_dir=str(tmp_path / "c"))
    assert paths.work == Path(default_work_dir(tmp_path / "c")) == tmp_path / "c" / ".work"
