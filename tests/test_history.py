"""institution_history: the key rule and linking one region's notices across years.

The corpus has no region with two years, so tests/fixtures/history/gansu_2011.txt is a hand-made
2011 notice written from the real 2010 Gansu seed in another script, bracket and numbering style.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline import curate, ingest, normalize, registry, storage
from pipeline.curate.history import build_history
from pipeline.extract.batch import extract_notices
from tests.conftest import FIXTURE_CORPUS, ROOT

HISTORY_FIXTURES = ROOT / "tests" / "fixtures" / "history"
GANSU_2010 = FIXTURE_CORPUS / "000_3dbae8d17e1ab243" / "notice.txt"
GANSU_2011 = HISTORY_FIXTURES / "gansu_2011.txt"


def build_tables(raw: Path) -> dict[str, list[dict]]:
    """The curated tables for a raw folder, through the step functions (no Dagster, no cache)."""
    manifest = ingest.build_manifest(raw)
    normalized, _ = normalize.normalize_notices(raw, manifest, [])
    records, grades, figures, _ = extract_notices(normalized, ([], [], []))
    tables = curate.build_curated(manifest, normalized, records, grades, figures)
    return {name: table.to_pylist() for name, table in tables.items()}


def write_tables(tables: dict[str, list[dict]], folder: Path) -> None:
    for table in registry.CURATED_TABLES:
        storage.write_table(tables[table.name], table, folder)


@pytest.fixture(scope="module")
def gansu(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    raw = tmp_path_factory.mktemp("gansu") / "raw"
    raw.mkdir()
    shutil.copy(GANSU_2010, raw / "gansu_2010.txt")
    shutil.copy(GANSU_2011, raw / "gansu_2011.txt")
    return build_tables(raw)


@pytest.mark.parametrize(
    "name",
    [
        "甘肃省第六国家职业技能鉴定所",
        "甘肃省第6国家职业技能鉴定所",
        "甘肃省第 6 国家职业技能鉴定所（中核四零四厂承建）",
        "甘肃省第六国家职业技能鉴定所 (中核四零四厂承建)",
        "1．甘肃省第06国家职业技能鉴定所",
        "（3）甘肃第六国家职业技能鉴定所",
        "①甘肃省第六职业技能鉴定所",
        "甘肃省第６国家职业技能鉴定所",
    ],
)
def test_key_survives_spacing_brackets_numbering_and_host(name: str) -> None:
    assert curate.institution_key(name, "620000") == "620000:甘肃省第6职业技能鉴定所"


def test_key_keeps_different_institutions_apart() -> None:
    key = curate.institution_key
    assert key("甘肃省第六国家职业技能鉴定所", "620000") != key("甘肃省第六十国家职业技能鉴定所", "620000")
    assert key("第一国家职业技能鉴定所", "620000") != key("第一国家职业技能鉴定所", "350000")
    assert key("福州市育婴员（师）职业技能鉴定站", "350000") == "350000:福州市育婴员(师)职业技能鉴定站"
    assert key("鉴定站", None) == "000000:鉴定站"


def test_fixture_says_it_is_hand_made() -> None:
    first = GANSU_2011.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "hand-made" in first
    assert "hand-made" in (HISTORY_FIXTURES / "README.md").read_text(encoding="utf-8")


def test_two_years_of_one_region_link_into_histories(gansu: dict[str, list[dict]]) -> None:
    notices = {n["notice_id"]: n for n in gansu["notices"]}
    assert {n: (r["status"], r["region_code"], r["evaluation_year"]) for n, r in notices.items()} == {
        "gansu_2010": ("ok", "620000", 2010),
        "gansu_2011": ("ok", "620000", 2011),
    }
    assert (
        notices["gansu_2010"]["script"] == "traditional" and notices["gansu_2011"]["script"] == "simplified"
    )
    history = gansu["institution_history"]
    rows = {(h["institution_number"], h["evaluation_year"]): h for h in history}
    assert len(rows) == len(history)
    assert len({h["institution_key"] for h in history}) == 63  # every 2011 institution was graded in 2010
    y2011 = [h for h in history if h["evaluation_year"] == 2011]
    assert len(y2011) == 58 and all(h["previous_year"] == 2010 for h in y2011)
    expected = {
        2: "rectify->revoked",  # 第二 (2010, with host) / 第2 and 第二 (2011, no host)
        38: "rectify->revoked",
        30: "rectify->pass",
        49: "rectify->pass",
        83: "rectify->pass",
        6: "pass->excellent",  # 第六 (2010) / 第6 (2011)
        51: "pass->excellent",
        57: "pass->excellent",
        19: "pass->rectify",
        26: "pass->rectify",
        1: "pass->pass",
    }
    assert {n: rows[(n, 2011)]["transition"] for n in expected} == expected
    revoked_2010 = rows[(55, 2010)]
    assert (revoked_2010["grade"], revoked_2010["transition"], revoked_2010["first_year"]) == (
        "revoked",
        None,
        2010,
    )
    assert (55, 2011) not in rows
    six = rows[(6, 2011)]
    assert (six["previous_grade"], six["first_year"], six["host_organization"]) == (
        "pass",
        2010,
        "中核四零四厂",
    )
    assert six["institution_key"] == rows[(6, 2010)]["institution_key"] == "620000:甘肃省第6职业技能鉴定所"
    two = rows[(2, 2011)]
    assert two["notice_ids"] == ["gansu_2011"] and two["other_grades"] == []  # named twice, one row


def test_region_year_for_both_years(gansu: dict[str, list[dict]]) -> None:
    rows = {r["evaluation_year"]: r for r in gansu["region_year"] if r["region_code"] == "620000"}
    assert (rows[2010]["n_evaluated"], rows[2010]["n_revoked"]) == (63, 5)
    assert (rows[2011]["n_evaluated"], rows[2011]["n_excellent"], rows[2011]["n_pass"]) == (58, 3, 51)
    assert (rows[2011]["n_rectify"], rows[2011]["n_revoked"], rows[2011]["persons_appraised"]) == (
        2,
        2,
        235612,
    )


def _inst(nid: str, year: int, grade: str, line: int = 1, name: str = "甘肃省第六国家职业技能鉴定所") -> dict:
    return {
        "notice_id": nid,
        "region_code": "620000",
        "region_name": "甘肃省",
        "evaluation_year": year,
        "institution_name": name,
        "host_organization": None,
        "institution_number": 6,
        "grade": grade,
        "grade_label": grade,
        "note": None,
        "line": line,
        "institution_key": curate.institution_key(name, "620000"),
    }


def test_several_notices_in_one_year_give_one_row_the_counted_notice_wins() -> None:
    notices = [
        {
            "notice_id": "draft",
            "publish_date": date(2012, 4, 1),
            "province_code": "620000",
            "province_name": "甘肃省",
        },
        {
            "notice_id": "final",
            "publish_date": date(2012, 3, 1),
            "province_code": "620000",
            "province_name": "甘肃省",
        },
    ]
    institutions = [
        _inst("draft", 2011, "rectify"),
        _inst("final", 2011, "revoked"),
        _inst("final", 2009, "pass"),
    ]
    (_, y2011) = build_history(institutions, notices, [{"count_notice_id": "final"}]).to_pylist()
    assert (y2011["grade"], y2011["notice_id"], y2011["notice_ids"]) == (
        "revoked",
        "final",
        ["draft", "final"],
    )
    assert y2011["other_grades"] == ["rectify"]
    assert (y2011["previous_year"], y2011["transition"]) == (2009, "pass->revoked")  # a gap year is fine
    # without region_year's choice: the later publish date wins
    (_, y2011) = build_history(institutions, notices, []).to_pylist()
    assert y2011["notice_id"] == "draft"


def test_two_grades_in_one_notice_the_most_severe_wins() -> None:
    notices = [{"notice_id": "n", "publish_date": None, "province_code": "620000", "province_name": "甘肃省"}]
    (row,) = build_history(
        [_inst("n", 2011, "rectify", 10), _inst("n", 2011, "revoked", 40)], notices, []
    ).to_pylist()
    assert (row["grade"], row["line"], row["other_grades"]) == ("revoked", 40, ["rectify"])


def test_rows_tied_on_every_rule_keep_their_order_the_first_wins() -> None:
    notices = [{"notice_id": "n", "publish_date": None, "province_code": "620000", "province_name": "甘肃省"}]
    first = _inst("n", 2011, "pass", 5, name="甘肃省第六职业技能鉴定所")
    second = {**_inst("n", 2011, "pass", 5), "host_organization": "中核四零四厂"}
    assert first["institution_key"] == second["institution_key"]
    (row,) = build_history([first, second], notices, []).to_pylist()
    # the first row's name; its missing host filled from the other row
    assert (row["institution_name"], row["host_organization"]) == ("甘肃省第六职业技能鉴定所", "中核四零四厂")


def test_an_empty_key_or_host_counts_as_missing() -> None:
    notices = [{"notice_id": "n", "publish_date": None, "province_code": "620000", "province_name": "甘肃省"}]
    no_key = {**_inst("n", 2011, "pass", 3), "institution_key": ""}
    blank_host = {**_inst("n", 2011, "revoked", 4), "host_organization": ""}
    hosted = {**_inst("n", 2011, "pass", 5), "host_organization": "中核四零四厂"}
    (row,) = build_history([no_key, blank_host, hosted], notices, []).to_pylist()
    assert (row["grade"], row["host_organization"]) == ("revoked", "中核四零四厂")


def test_rows_come_out_in_the_registry_sort_order() -> None:
    """build_history skips the final sort: its row choice already runs in (key, year) order. Keys
    mixing ASCII, CJK and a character outside the BMP, and years out of order, must come out as the
    registry's sort (Arrow, by UTF-8 bytes) would put them."""
    notices = [{"notice_id": "n", "publish_date": None, "province_code": "620000", "province_name": "甘肃省"}]
    names = [
        "甘肃省第六职业技能鉴定所",
        "A甘肃鉴定站",
        "𠀋甘肃鉴定站",
        "甘肃省第十职业技能鉴定所",
        "Z鉴定所",
        "ａ鉴定所",
    ]
    rows = [
        _inst("n", year, "pass", i, name=name) for i, name in enumerate(names) for year in (2012, 2009, 2010)
    ]
    history = build_history(rows, notices, [])
    assert history.equals(storage.to_arrow(history, registry.INSTITUTION_HISTORY))
    assert history.num_rows == len(rows)


# the 16 of issue 12 that survived into names and keys, and NUL, soft hyphen, a tag character, DEL
INVISIBLE = "\u200c\u200d\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2061\x00\xad\U000e0041\x7f"


def test_invisible_characters_do_not_split_a_history(tmp_path: Path) -> None:
    # 2010 rectify -> 2011 revoked for 第二 (see test_two_years_of_one_region_link_into_histories), with
    # zero-width, bidi and control characters inside every 2011 mention of its name
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GANSU_2010, raw / "gansu_2010.txt")
    text = GANSU_2011.read_text(encoding="utf-8")
    for name in ("第二国家职业技能鉴定所", "第2国家职业技能鉴定所"):
        text = text.replace(name, name[:2] + INVISIBLE + "国家\u200d职业技能鉴定所")
    (raw / "gansu_2011.txt").write_text(text, encoding="utf-8")
    tables = build_tables(raw)
    rows = {(h["institution_number"], h["evaluation_year"]): h for h in tables["institution_history"]}
    assert rows[(2, 2011)]["transition"] == "rectify->revoked"
    assert rows[(2, 2011)]["institution_key"] == rows[(2, 2010)]["institution_key"] == "620000:甘肃省第2职业技能鉴定所"
    names = [i["institution_name"] for i in tables["institutions"]]
    assert "甘肃省第二国家职业技能鉴定所" in names
    assert not [n for n in names if any(c in n for c in INVISIBLE)]
