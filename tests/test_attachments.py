"""A notice as it is published: a page and its attachments, read from files the tests make in every
format (.xls .xlsx .et .docx .doc .wps .pdf .mht), hostile ones too."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest

from pipeline import ingest
from pipeline.extract import extract_notice
from pipeline.normalize import normalize_file, normalize_text
from pipeline.normalize.assemble import order_attachments, page_links, read_notice
from pipeline.readers import isolate, read_in_process
from pipeline.readers.detect import detect_format
from pipeline.readers.isolate import read_isolated
from tests import office_files as of

HEADER = ["序号", "市（州）", "鉴定机构名称", "承建单位", "年检结论"]
PASSED = [
    [1, "成都市", "四川省第一职业技能鉴定站", "四川省劳动技工学校", "合格"],
    [2, None, "成都市第二职业技能鉴定所", "成都市技师学院", "合格"],
    [3, "绵阳市", "绵阳市职业技能鉴定中心", "绵阳职业技术学院", "合格"],
]
FAILED = [
    [1, "攀枝花市", "攀枝花市第三职业技能鉴定所", "攀枝花市技工学校", "不合格"],
    [2, None, "攀枝花市冶金行业职业技能鉴定站", "攀钢集团有限公司", "不合格"],
]
PAGE = """<html><head><title>关于2013年度职业技能鉴定机构年检结果的通报</title></head><body>
<p>四川省人力资源和社会保障厅关于2013年度职业技能鉴定机构年检结果的通报</p>
<p>川人社办发〔2014〕12号</p>
<p>各市（州）人力资源和社会保障局：</p>
<p>根据规定，我厅对全省5个职业技能鉴定机构进行了2013年度年检。经审核，年检合格3个，年检不合格2个。现将结果通报如下。</p>
<p>附件：<a href="/upload/{first}">1.2013年度职业技能鉴定机构年检合格名单</a></p>
<p><a href="/upload/{second}">2.2013年度职业技能鉴定机构年检不合格名单</a></p>
<p>四川省人力资源和社会保障厅</p><p>2014年6月12日</p>
</body></html>"""
# the same notice as a person pastes it into a text file: rows copied from the sheet keep their tabs,
# a merged cell only its first row
PASTED = """四川省人力资源和社会保障厅关于2013年度职业技能鉴定机构年检结果的通报
川人社办发〔2014〕12号
各市（州）人力资源和社会保障局：
根据规定，我厅对全省5个职业技能鉴定机构进行了2013年度年检。经审核，年检合格3个，年检不合格2个。现将结果通报如下。
附件：1.2013年度职业技能鉴定机构年检合格名单
2.2013年度职业技能鉴定机构年检不合格名单
四川省人力资源和社会保障厅
2014年6月12日
附件1：2013年度职业技能鉴定机构年检合格名单
序号\t市（州）\t鉴定机构名称\t承建单位\t年检结论
1\t成都市\t四川省第一职业技能鉴定站\t四川省劳动技工学校\t合格
2\t\t成都市第二职业技能鉴定所\t成都市技师学院\t合格
3\t绵阳市\t绵阳市职业技能鉴定中心\t绵阳职业技术学院\t合格
附件2：2013年度职业技能鉴定机构年检不合格名单
序号\t市（州）\t鉴定机构名称\t承建单位\t年检结论
1\t攀枝花市\t攀枝花市第三职业技能鉴定所\t攀枝花市技工学校\t不合格
2\t\t攀枝花市冶金行业职业技能鉴定站\t攀钢集团有限公司\t不合格
"""


def _cells(rows: list[list]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in rows]


def _attachment(fmt: str, rows: list[list]) -> bytes:
    """The list in one format, its city merged over the block of rows that shares it."""
    table = [HEADER, *rows]
    if fmt in ("xlsx",):
        return of.xlsx(table, merges=("B2:B3",))
    if fmt in ("xls", "et"):  # WPS saves .et as an Excel 97 workbook
        return of.xls(table, merges=((1, 2, 1, 1),))
    if fmt == "docx":
        return of.docx([], _cells(table), vmerge=(1, 1, 2))
    if fmt in ("doc", "wps"):  # WPS Writer saves .wps in the Word 97 format
        return of.word97(of.word97_rows(_cells(table)))
    if fmt == "pdf":
        return of.pdf([], _cells(table))
    raise AssertionError(fmt)


def _folder(root: Path, fmt: str, name: str = "notice") -> Path:
    """A notice folder: the page and its two attachments under CMS names the links explain."""
    folder = root / "2014" / name
    folder.mkdir(parents=True)
    first, second = f"P020140612345678901234.{fmt}", f"P020140612345678905678.{fmt}"
    (folder / "通报.html").write_text(PAGE.format(first=first, second=second), encoding="utf-8")
    (folder / first).write_bytes(_attachment(fmt, PASSED))
    (folder / second).write_bytes(_attachment(fmt, FAILED))
    return folder


def _institutions(text: str) -> set[tuple]:
    x = extract_notice(text)
    return {(i.name, i.grade, i.host) for i in x.institutions}


def _facts(text: str) -> tuple:
    x = extract_notice(text)
    return (x.status, x.title, x.issuer, x.doc_number, x.region.code if x.region else None, x.evaluation_year, x.stated)


def _notice_text(root: Path) -> dict:
    (entry,) = ingest.build_manifest(root)
    return normalize_file(root / entry["source_path"], entry["sha256"])


@pytest.mark.parametrize("fmt", ["xls", "xlsx", "et", "docx", "doc", "wps", "pdf"])
def test_a_page_and_its_attachments_read_as_the_pasted_text(tmp_path: Path, fmt: str) -> None:
    _folder(tmp_path, fmt)
    row = _notice_text(tmp_path)
    assert row["status"] == "ok", row["status_reason"]
    pasted = normalize_text(PASTED).text
    expected = _institutions(pasted)
    assert len(expected) == 5
    assert ("成都市第二职业技能鉴定所", "pass", "成都市技师学院") in expected
    assert ("攀枝花市冶金行业职业技能鉴定站", "rectify", "攀钢集团有限公司") in expected
    assert _institutions(row["text"]) == expected
    assert _facts(row["text"]) == _facts(pasted)
    assert "附件1:2013年度职业技能鉴定机构年检合格名单" in row["text"].split("\n")
    assert row["read_issue_codes"] == []
    formats = {json.loads(r)["file"]: json.loads(r)["format"] for r in row["file_reads"]}
    expected_format = {"et": "xls", "wps": "doc"}.get(fmt, fmt)
    assert formats == {
        "通报.html": "html",
        f"P020140612345678901234.{fmt}": expected_format,
        f"P020140612345678905678.{fmt}": expected_format,
    }


def test_every_line_remembers_its_file_and_sheet(tmp_path: Path) -> None:
    _folder(tmp_path, "xlsx")
    row = _notice_text(tmp_path)
    lines = row["text"].split("\n")
    starts = {int(e.split("\t")[0]): e.split("\t")[1:] for e in row["line_sources"]}
    sheet_start = next(line for line, (file, part) in starts.items() if file.endswith("1234.xlsx") and part)
    assert starts[sheet_start] == ["P020140612345678901234.xlsx", "Sheet1"]
    assert lines[sheet_start - 1].startswith("序号\t市(州)")
    assert starts[1] == ["通报.html", ""]


def test_spreadsheet_merged_ranges_fill_down_and_whole_numbers_stay_integers() -> None:
    data = of.xlsx([HEADER, *PASSED, [4.0, "德阳市", "德阳市鉴定站", None, 1.5]], merges=("B2:B3", "A6:E6"))
    reading = read_in_process(data)
    assert reading.format == "xlsx" and reading.units == 1
    assert reading.parts[0].lines[1:4] == [
        "1\t成都市\t四川省第一职业技能鉴定站\t四川省劳动技工学校\t合格",
        "2\t成都市\t成都市第二职业技能鉴定所\t成都市技师学院\t合格",
        "3\t绵阳市\t绵阳市职业技能鉴定中心\t绵阳职业技术学院\t合格",
    ]
    assert reading.parts[0].lines[4] == "4\t德阳市\t德阳市鉴定站\t\t1.5"


def test_docx_vmerge_and_gridspan_are_filled() -> None:
    data = of.docx(["附件1：合格名单"], [["2013年度名单", "", ""], ["序号", "市（州）", "名称"], ["1", "成都市", "A站"], ["2", "", "B站"]], vmerge=(1, 2, 3))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "vMerge" in xml
    lines = read_in_process(data).parts[0].lines
    assert lines == ["附件1：合格名单", "2013年度名单", "序号\t市（州）\t名称", "1\t成都市\tA站", "2\t成都市\tB站"]


def test_word97_piece_table_8bit_and_utf16_pieces_and_fields() -> None:
    text = of.word97_rows(["附件：名单", ["序号", "名称", "结论"], ["1", "甲鉴定站", "合格"]])
    text += "见\x13 HYPERLINK \"x\" \x14网站\x15。\r"
    reading = read_in_process(of.word97(text, ascii_head="Notice 2013\r"))
    assert reading.format == "doc"
    assert [line for line in reading.parts[0].lines if line] == [
        "Notice 2013",
        "附件：名单",
        "序号\t名称\t结论",
        "1\t甲鉴定站\t合格",
        "见网站。",
    ]


def test_mhtml_page_goes_through_the_html_path(tmp_path: Path) -> None:
    html = "<html><body><p>第一行</p><table><tr><td>1</td><td>甲站</td><td>合格</td></tr></table></body></html>"
    mht = (
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
        "Content-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(html.encode("gb2312")).decode()
        + "\r\n--B--\r\n"
    ).encode("ascii")
    (tmp_path / "page.mht").write_bytes(mht)
    row = normalize_file(tmp_path / "page.mht", ingest.describe_file(tmp_path / "page.mht", tmp_path).sha256)
    assert row["status"] == "ok"
    assert "1\t甲站\t合格" in row["text"].split("\n")
    assert json.loads(row["file_reads"][0])["format"] == "mhtml"


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (of.xlsx([["a"]]), "xlsx"),
        (of.xls([["a"]]), "xls"),
        (of.docx(["a"], [["b"]]), "docx"),
        (of.word97("a\r"), "doc"),
        (of.ole_file({"Foo": b"x"}), "ole"),
        (b"%PDF-1.4\n", "pdf"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b"<html><body>x</body></html>", "html"),
        (b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n", "mhtml"),
        (of.recompressed(of.xlsx([["a"]]), zipfile.ZIP_DEFLATED), "xlsx"),
        ("纯文本".encode("gb18030"), "text"),
    ],
)
def test_format_is_decided_from_the_bytes(data: bytes, fmt: str) -> None:
    assert detect_format(data) == fmt


def _ofd() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: of.zip_bomb(200), "inflates to 209,715,200 bytes (limit 52,428,800)"),
        (lambda: of.recompressed(of.xlsx([HEADER, *PASSED])), "uses compression method 12 (only stored and deflate"),
        (lambda: of.pdf_many_pages(100_000), "PDF of 100,000 pages (limit 200)"),
        (lambda: of.ole_file({"Foo": b"not word"}), "OLE compound file that is neither Word nor Excel"),
        (lambda: of.ole_file({"WordDocument": b"\0" * 5000}), "WordDocument stream is not Word 97-2003"),
        (_ofd, "OFD document: no maintained OFD reader"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "a PNG image: no text to read"),
    ],
)
def test_hostile_or_unreadable_files_are_rejected_with_a_reason(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "附件.xls"
    path.write_bytes(make())
    row = normalize_file(path, ingest.describe_file(path, tmp_path).sha256)
    assert row["status"] == "rejected"
    assert reason in row["status_reason"]


def test_a_pdf_compression_bomb_is_stopped_by_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDING_READER_MEMORY_MB", "400")
    reading = read_isolated(of.pdf_bomb(600))
    assert reading.reject_reason is not None
    assert "memory limit" in reading.reject_reason


def test_a_reader_past_its_timeout_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDING_READER_TIMEOUT", "0.01")
    reading = read_isolated(of.xlsx([["a"]]))
    assert reading.reject_reason.startswith("reading a zip archive took over 0.01 s (JIANDING_READER_TIMEOUT)")


def test_a_reader_that_aborts_rejects_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crash = tmp_path / "python"
    crash.write_text("#!/bin/sh\nkill -ABRT $$\n")
    crash.chmod(0o755)
    monkeypatch.setattr(isolate, "PYTHON", str(crash))
    reading = read_isolated(of.xlsx([["a"]]))
    assert reading.reject_reason.startswith("the reader of a zip archive crashed (SIGABRT), most likely out of memory")


def test_a_notice_keeps_its_other_files_when_attachments_are_hostile(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "xlsx")
    (folder / "bomb.xlsx").write_bytes(of.zip_bomb(200))
    (folder / "pages.pdf").write_bytes(of.pdf_many_pages(100_000))
    (folder / "ole.doc").write_bytes(of.ole_file({"Foo": b"x"}))
    row = _notice_text(tmp_path)
    assert row["status"] == "ok"
    assert len(_institutions(row["text"])) == 5
    reads = {json.loads(r)["file"]: json.loads(r) for r in row["file_reads"]}
    assert {n: reads[n]["status"] for n in ("bomb.xlsx", "pages.pdf", "ole.doc")} == dict.fromkeys(
        ("bomb.xlsx", "pages.pdf", "ole.doc"), "rejected"
    )
    assert "zip bomb" in reads["bomb.xlsx"]["reason"]
    assert row["read_issue_codes"].count("attachment_rejected") == 3
    assert row["read_issue_codes"].count("attachment_unlinked") == 3


def test_unlinked_file_missing_link_and_html_saved_as_doc(tmp_path: Path) -> None:
    folder = tmp_path / "n"
    folder.mkdir()
    page = PAGE.format(first="P1.doc", second="lost.xls")
    (folder / "page.htm").write_text(page, encoding="utf-8")
    rows = "".join(f"<tr><td>{'</td><td>'.join(c or '' for c in r)}</td></tr>" for r in _cells([HEADER, *PASSED]))
    (folder / "P1.doc").write_text(f"<html><body><table>{rows}</table></body></html>", encoding="gb18030")
    (folder / "extra.xlsx").write_bytes(of.xlsx([HEADER, *FAILED]))
    row = _notice_text(tmp_path)
    reads = {json.loads(r)["file"]: json.loads(r) for r in row["file_reads"]}
    assert reads["P1.doc"]["format"] == "html" and reads["P1.doc"]["status"] == "read"
    assert row["read_issue_codes"] == ["attachment_unlinked", "attachment_missing"]
    assert "attachment missing: 2013年度职业技能鉴定机构年检不合格名单" in row["read_warnings"][1]
    lines = row["text"].split("\n")
    assert lines.index("附件1:2013年度职业技能鉴定机构年检合格名单") < lines.index("附件2:extra")
    assert len(_institutions(row["text"])) == 5


def test_links_match_saved_names_by_target_or_by_text() -> None:
    links = page_links(
        '<p><a href="/u/P0201.xls">附件1：合格名单</a> <a href="d/%E5%90%8D%E5%8D%95.docx">2.名单</a>'
        '<a href="/x.html">首页</a> <a href="javascript:;">整改名单.pdf</a></p>'
    )
    assert [(lk.target, lk.text) for lk in links] == [("p0201.xls", "合格名单"), ("名单.docx", "名单"), ("", "整改名单.pdf")]
    ordered, missing = order_attachments(["名单.docx", "整改名单.pdf", "P0201.xls", "z.et"], links, [])
    assert ordered == [("P0201.xls", "合格名单", True), ("名单.docx", "名单", True), ("整改名单.pdf", "整改名单", True), ("z.et", "z", False)]
    assert missing == []
    ordered, missing = order_attachments(["b.xls"], [], [{"file": "b.xls", "title": "附件2：不合格名单"}, {"file": "a.pdf", "title": "合格名单"}])
    assert ordered == [("b.xls", "不合格名单", True)] and missing == ["合格名单"]


def test_folder_convention(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _folder(raw, "xls", "a")
    (raw / "2014" / "loose.txt").write_text("通知", encoding="utf-8")
    (raw / "2014" / "a" / "通报_files").mkdir()
    (raw / "2014" / "a" / "通报_files" / "logo.png").write_bytes(b"\x89PNG")
    only_pages = raw / "2015"
    only_pages.mkdir()
    (only_pages / "x.txt").write_text("x", encoding="utf-8")
    (only_pages / "y.html").write_text("<p>y</p>", encoding="utf-8")
    sidecar = raw / "fetched"
    sidecar.mkdir()
    (sidecar / "notice.json").write_text(json.dumps({"url": "https://example.gov.cn/n.html", "fetched_at": "2014-06-12", "attachments": [{"file": "list.xlsx", "title": "合格名单"}]}), encoding="utf-8")
    (sidecar / "list.xlsx").write_bytes(of.xlsx([HEADER, *PASSED]))
    files = ingest.scan_raw_folder(raw)
    manifest = [m["source_path"] for m in ingest.manifest_rows(files)]
    assert manifest == ["2014/a/", "2014/loose.txt", "2015/x.txt", "2015/y.html", "fetched/"]
    roles = {f.source_path: (f.notice, f.role) for f in files}
    assert roles["2014/a/通报_files/"] == ("2014/a/", "resources")
    assert roles["fetched/notice.json"] == ("fetched/", "sidecar")
    assert roles["2014/a/通报.html"] == ("2014/a/", "page")
    notice = read_notice(raw / "fetched", ingest.folder_digest([f for f in files if f.notice == "fetched/"]))
    assert notice.source_url == "https://example.gov.cn/n.html"
    assert "附件1：合格名单" in notice.text.split("\n")


def test_antiword_is_used_when_present_and_the_piece_table_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.readers import word97

    broken = _without_piece_table(of.word97("a\r"))
    monkeypatch.setenv("PATH", str(tmp_path))
    absent = read_in_process(broken)
    assert absent.reject_reason.startswith("Word 97 piece table not readable (no piece table); install antiword")
    fake = tmp_path / "antiword"
    fake.write_text("#!/bin/sh\nprintf '附件：名单\\n1 甲鉴定站 合格\\n'\n")
    fake.chmod(0o755)
    assert word97.shutil.which("antiword") == str(fake)
    present = read_in_process(broken)
    assert present.reject_reason is None
    assert present.parts[0].lines == ["附件：名单", "1 甲鉴定站 合格"]


def _without_piece_table(doc: bytes) -> bytes:
    """The Word file with its CLX's piece-table marker (0x02) overwritten: no piece table."""
    import olefile

    with olefile.OleFileIO(doc) as ole:
        table = ole.openstream("1Table").read()
    start = doc.index(table[:16])
    return doc[:start] + b"\x09" + doc[start + 1 :]


def test_a_build_reads_a_notice_folder_and_accounts_for_every_file(tmp_path: Path) -> None:
    import dagster as dg
    import pyarrow.parquet as pq

    from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions
    from pipeline.registry import CURATED_TABLES

    folder = _folder(tmp_path / "raw", "xlsx")
    (folder / "bomb.xlsx").write_bytes(of.zip_bomb(200))
    (folder / "通报_files").mkdir()
    (folder / "通报_files" / "logo.gif").write_bytes(b"GIF89a")
    (tmp_path / "raw" / "pasted.txt").write_text(PASTED, encoding="utf-8")
    paths = JiandingPaths(
        raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "curated"), work_dir=str(tmp_path / "work")
    )

    def build() -> dg.ExecuteInProcessResult:
        with dg.DagsterInstance.ephemeral() as instance:
            return make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)

    result = build()
    assert result.success
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = {c.check_name for c in checks if not c.passed}
    assert not failed & {"every_raw_file_has_a_row", "unused_files_have_a_reason"}

    def rows(name: str) -> list[dict]:
        return pq.read_table(tmp_path / "curated" / f"{name}.parquet").to_pylist()

    notices = {n["notice_id"]: n for n in rows("notices")}
    assert set(notices) == {"2014/notice", "pasted"}
    assert notices["2014/notice"]["source_path"] == "2014/notice/" and notices["2014/notice"]["status"] == "ok"
    assert "attachment_rejected" in notices["2014/notice"]["issue_codes"]
    files = {f["path"]: f for f in rows("raw_files")}
    assert {p: (f["role"], f["status"]) for p, f in files.items()} == {
        "2014/notice/P020140612345678901234.xlsx": ("attachment", "read"),
        "2014/notice/P020140612345678905678.xlsx": ("attachment", "read"),
        "2014/notice/bomb.xlsx": ("attachment", "rejected"),
        "2014/notice/通报.html": ("page", "read"),
        "2014/notice/通报_files/": ("resources", "skipped"),
        "pasted.txt": ("page", "read"),
    }
    assert "zip bomb" in files["2014/notice/bomb.xlsx"]["reason"]
    assert files["2014/notice/P020140612345678901234.xlsx"]["units"] == 1
    institutions = rows("institutions")
    by_notice = {
        nid: {(r["institution_name"], r["grade"], r["host_organization"]) for r in institutions if r["notice_id"] == nid}
        for nid in notices
    }
    assert len(by_notice["pasted"]) == 5 and by_notice["2014/notice"] == by_notice["pasted"]
    sources = {r["source_file"] for r in institutions if r["notice_id"] == "2014/notice"}
    assert sources == {"2014/notice/P020140612345678901234.xlsx", "2014/notice/P020140612345678905678.xlsx"}
    assert {r["source_file"] for r in institutions if r["notice_id"] == "pasted"} == {"pasted.txt"}
    first = {t.name: (tmp_path / "curated" / f"{t.name}.parquet").read_bytes() for t in CURATED_TABLES}
    assert build().success
    assert {t.name: (tmp_path / "curated" / f"{t.name}.parquet").read_bytes() for t in CURATED_TABLES} == first



def _rtf_escaped(text: str) -> str:
    """Text as an RTF writer on a Chinese system writes it: each GBK byte as \'xx."""
    return "".join(f"\\'{b:02x}" for b in text.encode("gbk"))


def test_rtf_saved_as_doc_is_read_with_its_code_page_and_table_rows(tmp_path: Path) -> None:
    cells = "".join(f"\\intbl {_rtf_escaped(c)}\\cell " for c in ["1", "甲鉴定站", "合格"])
    rtf = (
        "{\\rtf1\\ansi\\ansicpg936\\pard " + _rtf_escaped("附件1：合格名单")
        + "\\par \\trowd\\cellx1000\\cellx2000\\cellx3000 " + cells + "\\row}"
    )
    path = tmp_path / "名单.doc"
    path.write_bytes(rtf.encode("ascii"))
    row = normalize_file(path, ingest.describe_file(path, tmp_path).sha256)
    assert json.loads(row["file_reads"][0])["format"] == "rtf"
    assert [line for line in row["text"].split("\n") if line] == ["附件1:合格名单", "1\t甲鉴定站\t合格"]


def test_a_download_link_is_titled_by_the_text_around_it() -> None:
    links = page_links('<p>附件2：2013年度撤销名单 <a href="/u/P02.xls">点击下载</a></p><p><a href="/u/P03.pdf">附件3</a></p>')
    assert [(lk.target, lk.text) for lk in links] == [("p02.xls", "2013年度撤销名单"), ("p03.pdf", "")]


def test_sheets_of_a_workbook_head_their_rows_and_breaks_split_lines() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "合格单位"
    book.active.append(["甲鉴定站"])
    book.create_sheet("撤销资格单位").append(["乙鉴定站"])
    book.create_sheet("Sheet3")
    out = io.BytesIO()
    book.save(out)
    reading = read_in_process(out.getvalue())
    assert [(p.label, p.lines) for p in reading.parts] == [("合格单位", ["合格单位", "甲鉴定站"]), ("撤销资格单位", ["撤销资格单位", "乙鉴定站"])]
    assert reading.units == 3
    doc = read_in_process(of.word97("合格：\r1.甲鉴定站\x0b2.乙鉴定站\r"))
    assert [line for line in doc.parts[0].lines if line] == ["合格：", "1.甲鉴定站", "2.乙鉴定站"]
