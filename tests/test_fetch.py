"""The fetcher against a web site the tests run on 127.0.0.1 (tests/fetch_server.py): nothing leaves
the machine, and every wait is bounded (a timeout case waits about a second)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import ingest
from pipeline.fetch import FetchSettings, Listing, PoliteClient, Source, fetch, read_listings, read_sources
from pipeline.fetch.names import attachment_name, canonical_url, disposition_name, notice_id, safe_name
from pipeline.fetch.pages import decode_page
from tests import office_files as of
from tests.fetch_server import Site
from tests.test_attachments import FAILED, HEADER, PAGE, PASSED

CONTACT = "https://data.example/jianding-contact"
FAST = FetchSettings(delay=0, backoff=0, timeout=2, max_seconds=5, retries=2, contact=CONTACT, trust_env=False)
GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>关于2013年度鉴定机构年检结果的通报</title></head><body><p>经检查，年检合格3个。</p></body></html>"
).encode("gbk")


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


@pytest.fixture
def other():
    s = Site().start()
    yield s
    s.stop()


def _run(tmp: Path, sources: list[str], listings: list[Listing] = (), settings: FetchSettings = FAST):
    return fetch(tmp / "raw", tmp / "fetch", [Source(u) for u in sources], list(listings), settings)


def _log(tmp: Path) -> list[dict]:
    return pq.read_table(tmp / "fetch" / "fetch_log.parquet").to_pylist()


def _meta(tmp: Path, url: str) -> dict:
    return json.loads((tmp / "raw" / notice_id(url) / "notice.json").read_text(encoding="utf-8"))


# ---- names and decoding ---------------------------------------------------------------------------


def test_notice_ids_are_stable_per_url_and_canonical() -> None:
    a = notice_id("HTTP://Rst.Example.gov.cn:80/tzgg/t1.html#top")
    assert a == notice_id("http://rst.example.gov.cn/tzgg/t1.html")
    assert a.startswith("rst.example.gov.cn-") and len(a.rsplit("-", 1)[1]) == 12
    assert notice_id("http://rst.example.gov.cn/tzgg/t2.html") != a
    assert canonical_url("https://a.example:443") == "https://a.example/"


def test_content_disposition_names_are_decoded_and_never_a_path() -> None:
    assert disposition_name("attachment; filename*=UTF-8''%E5%90%8D%E5%8D%95.xls") == "名单.xls"
    # filename* wins over filename (RFC 6266)
    assert disposition_name("attachment; filename=\"a.xls\"; filename*=UTF-8''%E5%90%8D.xls") == "名.xls"
    assert disposition_name('attachment; filename="%E5%90%8D%E5%8D%95.xls"') == "名单.xls"
    raw_gbk = "名单.xls".encode("gbk").decode("latin-1")  # how a raw GBK header value arrives
    assert disposition_name(f'attachment; filename="{raw_gbk}"') == "名单.xls"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\win.ini") == "win.ini"
    assert safe_name(".htaccess") == "htaccess"
    assert safe_name("a\u200db<c>.xls") == "ab_c_.xls"
    assert safe_name("..") is None
    assert attachment_name('attachment; filename="page.html"', "http://x/a", None, 1, set()) == "page.html.bin"
    assert attachment_name(None, "http://x/dl.jsp?file=%E5%90%8D.xls", None, 1, {"名.xls"}) == "名-2.xls"
    assert attachment_name(None, "http://x/", "application/pdf", 3, set()) == "附件3.pdf"


def test_page_decoding_takes_the_header_then_meta_then_detection() -> None:
    assert decode_page(GBK_PAGE, "text/html").source == "meta"
    assert "年检合格" in decode_page(GBK_PAGE, "text/html").text
    utf8 = "<html><body>中文</body></html>".encode()
    assert utf8.decode("gb18030") != "<html><body>中文</body></html>"  # valid GB18030 too: mojibake
    wrong = decode_page(utf8, "text/html; charset=gbk")
    assert (wrong.encoding, wrong.source, "中文" in wrong.text) == ("utf-8", "utf-8", True)
    odd = "<html><body>关于年检结果的通报</body></html>".encode()  # not GB18030 at all
    assert decode_page(odd, "text/html; charset=gbk").encoding == "utf-8"
    big5 = "<html><body>關於年檢結果的通報，經檢查合格</body></html>".encode("big5")
    assert decode_page(big5, "text/html; charset=big5").source == "http"
    assert decode_page(big5, None).source == "detected" and "年檢" in decode_page(big5, None).text


def test_title_filters_are_re2_and_bad_rows_keep_their_reason(tmp_path: Path) -> None:
    (tmp_path / "listings.csv").write_text(
        "# a comment\nurl,title_filter,next_page,max_pages\n"
        "http://a.example/list.html,年检|督导,,2\n"
        "http://a.example/b.html,(年检)\\1,,\n"  # a backreference: Python's re takes it, RE2 does not
        "ftp://a.example/c.html,,,\n"
        "http://a.example/d.html,,,500\n",
        encoding="utf-8",
    )
    good, backref, ftp, pages = read_listings(tmp_path / "listings.csv")
    assert good.problem is None and good.max_pages == 2 and good.compiled().search("2013年度年检结果")
    assert "not a valid RE2 pattern" in backref.problem
    assert "only http and https" in ftp.problem
    assert "max_pages" in pages.problem
    assert read_sources(tmp_path / "missing.csv") == []
    (tmp_path / "excel.csv").write_bytes("url,note\nhttp://a.example/n.html,年检通报\n,no address\n".encode("gbk"))
    excel, empty = read_sources(tmp_path / "excel.csv")  # Excel on a Chinese Windows saves GBK
    assert (excel.note, excel.problem) == ("年检通报", None)
    assert empty.problem.startswith("a row without a url")
    (tmp_path / "bad.csv").write_bytes(b"url\n\xff\xfe\xff\x00\x81")
    with pytest.raises(ValueError, match="neither UTF-8 nor GB18030"):
        read_sources(tmp_path / "bad.csv")


def test_the_shipped_source_files_hold_no_live_address() -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    assert read_sources(data / "sources.csv") == []
    assert read_listings(data / "listings.csv") == []


# ---- the client ---------------------------------------------------------------------------------


def test_one_host_waits_its_delay_and_another_host_does_not(site: Site, other: Site) -> None:
    for s in (site, other):
        s.add("/a.html", "a")
        s.add("/b.html", "b")
    waits: list[float] = []
    settings = FetchSettings(delay=5, timeout=2, contact=CONTACT, trust_env=False)
    with PoliteClient(settings, sleep=waits.append) as client:
        client.get(site.url("/a.html"))  # robots.txt (404: all allowed), then the page
        assert len(waits) == 1 and 4 < waits[0] <= 5  # the page waited after robots.txt
        client.get(other.url("/a.html"))  # another host: its robots.txt at once, then its page waits
        assert len(waits) == 2
        client.get(site.url("/b.html"))
        assert len(waits) == 3 and 4 < waits[-1] <= 5
    agent = site.hits[-1].headers["user-agent"]
    assert agent.startswith("jianding/") and f"+{CONTACT}" in agent


def test_robots_txt_disallows_a_path_and_its_crawl_delay_counts(site: Site) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 7\n")
    site.add("/private/n.html", "secret")
    site.add("/open.html", "open")
    waits: list[float] = []
    with PoliteClient(FetchSettings(delay=1, timeout=2, trust_env=False), sleep=waits.append) as client:
        refused = client.get(site.url("/private/n.html"))
        ok = client.get(site.url("/open.html"))
    assert refused.status == "disallowed" and "disallows" in refused.reason
    assert ok.status == "ok" and waits and waits[0] > 6
    assert "/private/n.html" not in site.paths()


def test_a_robots_txt_that_fails_keeps_the_host_out_for_this_run(site: Site) -> None:
    site.add("/robots.txt", "", status=503)
    site.add("/n.html", "n")
    with PoliteClient(FAST) as client:
        got = client.get(site.url("/n.html"))
    assert got.status == "disallowed" and "could not be read" in got.reason
    assert "/n.html" not in site.paths()


def test_5xx_is_retried_with_backoff_then_succeeds(site: Site) -> None:
    site.sequence("/n.html", [(500, {}, b"busy"), (200, {}, b"<html>ok</html>")])
    waits: list[float] = []
    settings = FetchSettings(delay=0, backoff=3, timeout=2, trust_env=False)
    with PoliteClient(settings, sleep=waits.append) as client:
        got = client.get(site.url("/n.html"))
    assert got.status == "ok" and got.attempts == 2 and 3 in waits


def test_limits_404_timeout_redirect_loop_oversize_and_scheme(site: Site) -> None:
    site.add("/loop", "", status=302, Location="/loop2")
    site.add("/loop2", "", status=302, Location="/loop")
    site.add("/big.html", b"x" * 5000)
    site.add("/slow.html", b"1.5", status=0)  # the server stalls 1.5 s, the client waits 0.5 s
    site.add("/moved", "", status=301, Location="ftp://files.example/a.xls")
    settings = FetchSettings(delay=0, backoff=0, timeout=0.5, retries=1, max_bytes=1000, trust_env=False)
    with PoliteClient(settings) as client:
        missing = client.get(site.url("/none.html"))
        slow = client.get(site.url("/slow.html"))
        loop = client.get(site.url("/loop"))
        big = client.get(site.url("/big.html"))
        moved = client.get(site.url("/moved"))
        mail = client.get("mailto:someone@example.org")
    assert (missing.status, missing.http_status, missing.reason) == ("failed", 404, "HTTP 404 Not Found")
    assert slow.status == "failed" and "timed out" in slow.reason and slow.attempts == 2
    assert loop.status == "failed" and "more than 5 redirects" in loop.reason
    assert site.paths().count("/loop") == 3  # 6 requests in all, then it stops
    assert big.status == "failed" and "over the 1000 bytes cap" in big.reason and not big.content
    assert moved.status == "failed" and "only http and https" in moved.reason
    assert mail.status == "failed" and "only http and https" in mail.reason


# ---- fetch runs ---------------------------------------------------------------------------------


def _attachment_site(site: Site, other: Site) -> str:
    page = PAGE.format(first="P020140612.xlsx", second="x").replace(
        '<a href="/upload/x">', f'<a href="{other.url("/files/P020140612_2.xlsx")}">'
    )
    site.add("/n.html", page.encode("gbk").replace(b"<head>", b'<head><meta charset="gbk">'), Content_Type="text/html")
    site.add(
        "/upload/P020140612.xlsx",
        of.xlsx([HEADER, *PASSED]),
        Content_Disposition="attachment; filename*=UTF-8''%E5%90%88%E6%A0%BC%E5%90%8D%E5%8D%95.xlsx",
    )
    other.add("/robots.txt", "User-agent: *\nAllow: /\n")
    other.add(
        "/files/P020140612_2.xlsx",
        of.xlsx([HEADER, *FAILED]),
        Content_Disposition='attachment; filename="..%2F..%2F%E4%B8%8D%E5%90%88%E6%A0%BC%E5%90%8D%E5%8D%95.xlsx"',  # ../../不合格名单.xlsx
    )
    return site.url("/n.html")


def test_a_page_and_its_attachments_become_a_notice_folder(tmp_path: Path, site: Site, other: Site) -> None:
    url = _attachment_site(site, other)
    run = _run(tmp_path, [url, site.url("/gone.html")])
    folder = tmp_path / "raw" / notice_id(url)
    assert sorted(p.name for p in folder.iterdir()) == ["notice.json", "page.html", "不合格名单.xlsx", "合格名单.xlsx"]
    meta = _meta(tmp_path, url)
    assert (meta["url"], meta["http_status"], meta["encoding_source"]) == (url, 200, "meta")
    assert meta["title"] == "关于2013年度职业技能鉴定机构年检结果的通报"
    titles = [(a["file"], a["title"], a["url"]) for a in meta["attachments"]]
    assert titles == [
        ("合格名单.xlsx", "2013年度职业技能鉴定机构年检合格名单", site.url("/upload/P020140612.xlsx")),
        ("不合格名单.xlsx", "2013年度职业技能鉴定机构年检不合格名单", other.url("/files/P020140612_2.xlsx")),
    ]
    assert all(len(a["sha256"]) == 64 for a in meta["attachments"])
    assert "/robots.txt" in other.paths()  # the other host's robots.txt was asked
    log = {(r["kind"], r["url"]): r for r in _log(tmp_path)}
    assert {r["status"] for r in log.values()} == {"ok", "failed"} and len(log) == 4
    assert log[("page", site.url("/gone.html"))]["reason"] == "HTTP 404 Not Found"
    assert log[("page", url)]["notice_id"] == notice_id(url) == run.changed[0]
    assert not (tmp_path / "raw" / notice_id(site.url("/gone.html"))).exists()


def _etag_route(site: Site, path: str, versions: list[bytes]) -> None:
    """A page that answers 304 to its current ETag; `versions` is changed by the test."""

    def answer(headers: dict[str, str]):
        tag = f'"v{len(versions)}"'
        if headers.get("if-none-match") == tag:
            return 304, {"ETag": tag}, b""
        return 200, {"ETag": tag, "Content-Type": "text/html; charset=utf-8"}, versions[-1]

    site.routes[path] = answer


def test_a_second_run_costs_one_304_and_a_changed_page_keeps_its_history(tmp_path: Path, site: Site) -> None:
    versions = ["<html><body>年检结果 一</body></html>".encode()]
    _etag_route(site, "/n.html", versions)
    url = site.url("/n.html")
    _run(tmp_path, [url])
    folder = tmp_path / "raw" / notice_id(url)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    hits = len(site.hits)
    second = _run(tmp_path, [url])
    asked = [h.headers.get("if-none-match") for h in site.hits[hits:] if h.path == "/n.html"]
    assert asked == ['"v1"']  # one conditional GET (and robots.txt, read once per run)
    assert [r["status"] for r in second.rows] == ["not_modified"] and second.changed == []
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # nothing rewritten
    versions.append("<html><body>年检结果 二（更正）</body></html>".encode())
    third = _run(tmp_path, [url])
    assert third.rows[0]["status"] == "ok"
    meta = _meta(tmp_path, url)
    assert meta["etag"] == '"v2"' and len(meta["history"]) == 1 and meta["history"][0]["etag"] == '"v1"'
    kept = folder / meta["history"][0]["replaced_files"] / "page.html"
    assert kept.read_bytes() == versions[0] and (folder / "page.html").read_bytes() == versions[1]
    scanned = sorted(f.source_path for f in ingest.scan_raw_folder(tmp_path / "raw"))
    assert scanned == [f"{notice_id(url)}/notice.json", f"{notice_id(url)}/page.html"]  # never .history


def test_a_notice_that_is_a_file_is_saved_under_its_own_name(tmp_path: Path, site: Site) -> None:
    site.add("/doc/2014-12.pdf", of.pdf(["2013年度鉴定机构年检合格名单"], [HEADER, *PASSED]), Content_Type="application/pdf")
    url = site.url("/doc/2014-12.pdf")
    fetch(tmp_path / "raw", None, [Source(url, "年检合格名单")], [], FAST)
    folder = tmp_path / "raw" / notice_id(url)
    assert sorted(p.name for p in folder.iterdir()) == ["2014-12.pdf", "notice.json"]
    meta = _meta(tmp_path, url)
    assert (meta["file"], meta["title"], meta["attachments"]) == (
        "2014-12.pdf", None, [{"file": "2014-12.pdf", "title": "年检合格名单", "url": url}]
    )
    assert not (tmp_path / "fetch").exists()  # no log folder asked for, none written


def test_a_304_without_validators_or_an_empty_body_is_a_failure_not_an_empty_page(tmp_path: Path, site: Site) -> None:
    site.add("/n.html", "", status=304)
    run = _run(tmp_path, [site.url("/n.html")])
    assert (run.rows[0]["status"], run.changed) == ("failed", [])
    assert "304 to an unconditional request" in run.rows[0]["reason"]
    assert not (tmp_path / "raw" / notice_id(site.url("/n.html"))).exists()
    site.add("/blank.html", " \n")
    blank = _run(tmp_path, [site.url("/blank.html")]).rows[0]
    assert blank["status"] == "failed" and blank["reason"].startswith("empty response")
    assert not (tmp_path / "raw" / notice_id(site.url("/blank.html"))).exists()


def test_a_failed_url_never_fails_the_run_and_is_retried_next_time(tmp_path: Path, site: Site) -> None:
    site.add("/n.html", "busy", status=500)
    first = _run(tmp_path, [site.url("/n.html")])
    assert first.rows[0]["status"] == "failed" and "HTTP 500" in first.rows[0]["reason"]
    assert first.rows[0]["attempts"] == 3 and "after 3 tries" in first.rows[0]["reason"]
    site.add("/n.html", "<html><body>年检结果</body></html>", Content_Type="text/html")
    assert _run(tmp_path, [site.url("/n.html")]).rows[0]["status"] == "ok"


def test_a_failed_attachment_is_listed_missing_and_fetched_on_the_next_run(
    tmp_path: Path, site: Site
) -> None:
    site.add("/n.html", '<html><body>年检<a href="/a.xls">附件1：名单</a></body></html>', ETag='"p"')
    site.add("/a.xls", "", status=503)
    url = site.url("/n.html")
    _run(tmp_path, [url])
    assert _meta(tmp_path, url)["attachments"] == [
        {"title": "名单", "url": site.url("/a.xls"), "error": "HTTP 503 Service Unavailable (after 3 tries)",
         "fetched_at": _meta(tmp_path, url)["attachments"][0]["fetched_at"]}
    ]
    site.add("/a.xls", of.xls([HEADER, *PASSED]))
    second = _run(tmp_path, [url])
    assert [r["status"] for r in second.rows] == ["not_modified", "ok"]
    entry = _meta(tmp_path, url)["attachments"][0]
    assert entry["file"] == "a.xls" and (tmp_path / "raw" / notice_id(url) / "a.xls").is_file()


def test_a_listing_of_three_pages_with_a_title_filter(tmp_path: Path, site: Site) -> None:
    def page(n: int, items: list[tuple[str, str]], nxt: str | None) -> str:
        links = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in items)
        more = f'<a href="{nxt}">下一页</a>' if nxt else ""
        return f"<html><body><a href='/'>首页</a><ul>{links}</ul>{more}</body></html>"

    site.add("/list/index.html", page(1, [("/n/1.html", "关于2013年度鉴定机构年检结果的通报"), ("/n/x.html", "春节放假通知")], "index_1.html"))
    site.add("/list/index_1.html", page(2, [("/n/2.html", "2012年度鉴定所检查评估情况"), ("/n/y.html", "招聘公告")], "index_2.html"))
    site.add("/list/index_2.html", page(3, [("/n/3.html", "职业技能等级认定质量督导结果")], "index_3.html"))
    site.add("/list/index_3.html", page(4, [("/n/4.html", "年检结果（第四页，超出页数限制）")], None))
    for n in (1, 2, 3, 4):
        site.add(f"/n/{n}.html", f"<html><body>通报{n}</body></html>", Content_Type="text/html")
    listing = Listing(site.url("/list/index.html"), "年检|检查评估|督导", "", 3)
    run = _run(tmp_path, [], [listing])
    kinds = [(r["kind"], r["url"].removeprefix(site.base)) for r in run.rows]
    assert kinds == [
        ("listing", "/list/index.html"), ("listing", "/list/index_1.html"), ("listing", "/list/index_2.html"),
        ("page", "/n/1.html"), ("page", "/n/2.html"), ("page", "/n/3.html"),
    ]
    assert _meta(tmp_path, site.url("/n/2.html"))["found_on"] == site.url("/list/index_1.html")
    template = Listing(site.url("/list/index.html"), "年检", "index_{i}.html", 2)
    again = _run(tmp_path, [], [template])
    assert [r["url"].removeprefix(site.base) for r in again.rows if r["kind"] == "listing"] == [
        "/list/index.html", "/list/index_1.html"
    ]
    assert [r["status"] for r in again.rows if r["kind"] == "page"] == ["not_modified"]


def test_fetch_then_build_reads_the_notice_with_its_attachments_and_url(
    tmp_path: Path, site: Site, other: Site
) -> None:
    import dagster as dg

    from pipeline.defs import BUILD_JOB, JiandingPaths, make_definitions

    url = _attachment_site(site, other)
    _run(tmp_path, [url])
    paths = JiandingPaths(raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "cur"), work_dir=str(tmp_path / "work"))
    with dg.DagsterInstance.ephemeral() as instance:
        assert make_definitions(paths).resolve_job_def(BUILD_JOB).execute_in_process(instance=instance).success
    notices = pq.read_table(tmp_path / "cur" / "notices.parquet").to_pylist()
    assert [(n["notice_id"], n["status"], n["source_url"]) for n in notices] == [(notice_id(url), "ok", url)]
    assert (notices[0]["stated_pass"], notices[0]["listed_pass"], notices[0]["listed_rectify"]) == (3, 3, 2)
    inst = pq.read_table(tmp_path / "cur" / "institutions.parquet").to_pylist()
    by_file = {(i["institution_name"], i["grade"], i["source_file"].rsplit("/", 1)[1]) for i in inst}
    assert ("绵阳市职业技能鉴定中心", "pass", "合格名单.xlsx") in by_file
    assert ("攀枝花市第三职业技能鉴定所", "rectify", "不合格名单.xlsx") in by_file and len(inst) == 5
    roles = sorted(r["role"] for r in pq.read_table(tmp_path / "cur" / "raw_files.parquet").to_pylist())
    assert roles == ["attachment", "attachment", "page", "sidecar"]


def test_cli_fetch_prints_the_summary_and_the_build_never_fetches(
    tmp_path: Path, site: Site, capsys, monkeypatch
) -> None:
    from pipeline import cli
    from pipeline.defs import BUILD_JOB, make_definitions

    site.add("/n.html", GBK_PAGE, Content_Type="text/html")
    monkeypatch.setenv("JIANDING_FETCH_DELAY", "0")
    monkeypatch.delenv("JIANDING_FETCH_CONTACT", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    args = [site.url("/n.html"), "--raw-dir", str(tmp_path / "raw"), "--fetch-dir", str(tmp_path / "f")]
    assert cli.main(["fetch", *args]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("fetched 1 URLs") and "1 ok" in out and "no contact" in err
    assert "no contact set" in site.hits[-1].headers["user-agent"]
    assert (tmp_path / "raw" / notice_id(site.url("/n.html")) / "page.html").read_bytes() == GBK_PAGE
    empty = tmp_path / "none.csv"
    empty.write_text("# nothing\nurl,note\n", encoding="utf-8")
    assert cli.main(["fetch", "--sources", str(empty), "--listings", str(empty)]) == 0
    assert "nothing to fetch" in capsys.readouterr().err
    assert cli.main(["fetch", "--sources", str(tmp_path), "--listings", str(empty)]) == 2  # a folder
    assert "error: cannot read" in capsys.readouterr().err
    nodes = {n.name for n in make_definitions().resolve_job_def(BUILD_JOB).nodes}
    assert "raw_notices" in nodes and "fetched_notices" not in nodes


def test_the_fetch_asset_runs_on_its_own_job(tmp_path: Path, site: Site, monkeypatch) -> None:
    import dagster as dg

    from pipeline.defs import FETCH_JOB, JiandingPaths, make_definitions

    site.add("/n.html", GBK_PAGE, Content_Type="text/html")
    (tmp_path / "sources.csv").write_text(f"url,note\n{site.url('/n.html')},年检\n", encoding="utf-8")
    for key, value in {
        "JIANDING_SOURCES": str(tmp_path / "sources.csv"),
        "JIANDING_LISTINGS": str(tmp_path / "none.csv"),
        "JIANDING_FETCH_DIR": str(tmp_path / "fetch"),
        "JIANDING_FETCH_DELAY": "0",
        "NO_PROXY": "127.0.0.1",
    }.items():
        monkeypatch.setenv(key, value)
    paths = JiandingPaths(raw_dir=str(tmp_path / "raw"), curated_dir=str(tmp_path / "cur"), work_dir=str(tmp_path / "w"))
    defs = make_definitions(paths)
    assert defs.resolve_schedule_def("daily_fetch").default_status == dg.DefaultScheduleStatus.STOPPED
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def(FETCH_JOB).execute_in_process(instance=instance)
    assert result.success
    [materialization] = result.asset_materializations_for_node("fetched_notices")
    assert materialization.metadata["urls_ok"].value == 1
    assert _meta(tmp_path, site.url("/n.html"))["note"] == "年检"
    assert [r["status"] for r in _log(tmp_path)] == ["ok"]
