"""Reliability: bad input, crashes, re-runs and concurrent runs never lose or corrupt data (issue 5).

Tests marked `slow` (real builds killed with SIGKILL) are skipped unless selected:
`pytest -m slow` or `JIANDING_SLOW=1 pytest`.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from pipeline import curate, fragments, ingest, normalize, publish, registry, steps, storage, versions
from pipeline.cli import make_parser
from pipeline.defs import BUILD_JOB, BUILD_SELECTION, JiandingPaths, make_definitions
from pipeline.defs.assets import _written_this_run
from pipeline.normalize.html_text import html_to_text
from tests.conftest import SEEDS, load_corpus

ROOT = Path(__file__).resolve().parents[1]
JIANDING = str(ROOT / ".venv" / "bin" / "jianding")
GANSU, FUZHOU = SEEDS
SHAANXI, QINGHAI, NATIONAL = "pf764779fe0", "p087ac3890c", "pfc9c152809"
NON_UTF8_NAME = b"\xb9\xab\xb8\xe6.txt"  # 公告.txt in GBK: not valid UTF-8


@pytest.fixture(autouse=True)
def _slow_only_when_selected(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("slow") and not (
        "slow" in (request.config.getoption("markexpr") or "") or os.environ.get("JIANDING_SLOW") == "1"
    ):
        pytest.skip("slow: run with `pytest -m slow` or JIANDING_SLOW=1")


def _text(nid: str) -> str:
    return load_corpus()[nid][0].read_text(encoding="utf-8")


def _bytes(nid: str) -> bytes:
    return load_corpus()[nid][0].read_bytes()


def billion_laughs(extra: str = "") -> str:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(ents) + extra + "\n]>\n"
        "<html><body><p>甘肃省人力资源和社会保障厅 合格鉴定所名单 &lol9;</p></body></html>"
    )


def _run_build(raw: Path, curated: Path, work: Path, **resources: object) -> dg.ExecuteInProcessResult:
    paths = JiandingPaths(raw_dir=str(raw), curated_dir=str(curated), work_dir=str(work))
    defs = make_definitions(paths)
    if resources:  # the same assets with extra resources (e.g. an IO manager that must never be used)
        defs = dg.Definitions(
            assets=list(defs.assets or []),
            jobs=[dg.define_asset_job(BUILD_JOB, selection=BUILD_SELECTION)],
            resources={**defs.resources, "paths": paths, **resources},
        )
    with dg.DagsterInstance.ephemeral() as instance:
        return defs.resolve_job_def(BUILD_JOB).execute_in_process(instance=instance)


def _rows(curated: Path, table: str) -> list[dict]:
    return pq.read_table(curated / f"{table}.parquet").to_pylist()


class NoIOManager(dg.IOManager):
    """Fails the run if any asset hands Dagster a value to store (the default IO manager pickles)."""

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        if obj is not None:
            raise AssertionError(f"{context.asset_key} handed a value to an IO manager")

    def load_input(self, context: dg.InputContext) -> object:
        raise AssertionError(f"{context.asset_key} loaded through an IO manager")


# --------------------------------------------------------------------------------------------------
# One build over a raw folder full of bad files next to good notices
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("bad")
    raw, outside = tmp / "raw", tmp / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET-OUTSIDE-THE-RAW-FOLDER", encoding="utf-8")
    for nid in (GANSU, FUZHOU):
        (raw / f"{nid}.txt").write_bytes(_bytes(nid))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(random.Random(1).randbytes(3000)))
    (raw / "nul_bytes.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (raw / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 20)
    lines = _text(SHAANXI).split("\n")
    half = len(lines) // 2
    (raw / "mixed_encodings.txt").write_bytes(
        "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    )
    with open(raw / "huge.txt", "wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    qinghai = _text(QINGHAI).split("\n")
    (raw / "page.html").write_text(
        "<html><head><title>青海省职业技能鉴定机构年检结果</title>"
        "<style>p { color: red } /* 撤销 */</style><script>var s = '撤销: 假鉴定所';</script></head>"
        "<body><!-- 优秀: 注释鉴定所 -->"
        + "".join(f"<p>{line}</p>" for line in qinghai)
        + "<script>document.write('吊销 脚本鉴定所')</script></body></html>",
        encoding="utf-8",
    )
    (raw / "bomb.html").write_text(billion_laughs(), encoding="utf-8")
    (raw / "xxe.html").write_text(
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{outside / "secret.txt"}">]>'
        "<html><body><p>合格名单 &xxe;</p></body></html>",
        encoding="utf-8",
    )
    (raw / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + _text(QINGHAI) + "</div>" * 100_000 + "</body></html>",
        encoding="utf-8",
    )
    gansu = _text(GANSU).split("\n")
    cut = int(len(gansu) * 0.7)  # in the middle of the list of 合格 (53所)
    (raw / "cut_off.txt").write_text("\n".join(gansu[:cut]), encoding="utf-8")
    (raw / "copy_of_fuzhou.txt").write_bytes(_bytes(FUZHOU))
    (raw / "fuzhou_gbk.txt").write_bytes(_text(FUZHOU).encode("gb18030"))
    (raw / "link_out.txt").symlink_to(outside / "secret.txt")
    (raw / "link_dir").symlink_to(outside, target_is_directory=True)
    (raw / "link_in.txt").symlink_to(raw / f"{GANSU}.txt")
    (raw / os.fsdecode(NON_UTF8_NAME)).write_bytes(_text(NATIONAL).encode("gb18030"))
    (raw / "report.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (raw / "sheet.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (raw / "pdf_named.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    started = time.perf_counter()
    result = _run_build(raw, tmp / "curated", tmp / "work", io_manager=NoIOManager())
    assert result.success
    assert time.perf_counter() - started < 60
    return tmp


@pytest.fixture(scope="module")
def bad_notices(bad_folder: Path) -> dict[str, dict]:
    return {n["source_path"]: n for n in _rows(bad_folder / "curated", "notices")}


def test_every_file_has_a_row(bad_folder: Path, bad_notices: dict[str, dict]) -> None:
    on_disk = {
        ingest._relative(Path(d) / n, bad_folder / "raw")
        for d, dirs, files in os.walk(bad_folder / "raw")
        for n in files + dirs
    }
    assert set(bad_notices) == on_disk
    for n in bad_notices.values():
        assert n["status"] == "ok" or n["status_reason"], n["source_path"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("empty.txt", "empty file"),
        # the format is decided from the bytes, not the name: read by what they are, or refused as such
        ("binary.txt", "a PNG image: no text to read (no OCR); save the list as .xlsx or text"),
        ("nul_bytes.txt", "binary content, not text (a PDF, Office file or image saved as text?)"),
        ("pdf_named.txt", "damaged or encrypted PDF"),
        ("undecodable.txt", "undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16"),
        (
            "huge.txt",
            "file is 200 MiB, over the 20 MiB cap; not read (raise JIANDING_MAX_BYTES to accept it)",
        ),
        ("link_out.txt", "symlink pointing outside the raw folder; not followed"),
        ("link_dir", "symlink to a folder; not followed"),
        ("report.docx", "zip archive that is not a .docx, .xlsx or .ofd, or a damaged one"),
        ("sheet.xlsx", "zip archive that is not a .docx, .xlsx or .ofd, or a damaged one"),
        ("scan.pdf", "damaged or encrypted PDF"),
    ],
)
def test_bad_file_is_rejected_with_a_reason(bad_notices: dict[str, dict], path: str, reason: str) -> None:
    n = bad_notices[path]
    assert n["status"] == "rejected"
    assert n["status_reason"].startswith(reason)


def test_good_notices_still_yield_their_rows(bad_folder: Path, bad_notices: dict[str, dict]) -> None:
    curated = bad_folder / "curated"
    institutions = _rows(curated, "institutions")
    per_notice = {nid: sum(i["notice_id"] == nid for i in institutions) for nid in (GANSU, FUZHOU)}
    assert per_notice == {GANSU: 63, FUZHOU: 57}
    assert bad_notices[f"{GANSU}.txt"]["status"] == bad_notices[f"{FUZHOU}.txt"]["status"] == "ok"
    assert (
        "SECRET-OUTSIDE"
        not in fragments.read(bad_folder / "work", registry.NORMALIZED_NOTICES).to_pandas().to_string()
    )


def test_huge_file_is_not_read(bad_notices: dict[str, dict]) -> None:
    assert bad_notices["huge.txt"]["sha256"] is None  # never hashed, never read
    assert bad_notices["huge.txt"]["size_bytes"] == 200 * 1024 * 1024


def test_mixed_encodings_are_read_line_by_line_with_a_warning(bad_notices: dict[str, dict]) -> None:
    n = bad_notices["mixed_encodings.txt"]
    assert n["status"] == "ok" and n["encoding"] == "utf-8+gb18030"
    assert n["region_name"] == "陕西省" and n["listed_total"] == 12
    assert any(w.startswith("mixed encodings (utf-8+gb18030)") for w in n["warnings"])


def test_html_noise_is_dropped(bad_folder: Path, bad_notices: dict[str, dict]) -> None:
    n = bad_notices["page.html"]
    assert n["status"] == "ok" and n["region_name"] == "青海省"
    names = {
        i["institution_name"]
        for i in _rows(bad_folder / "curated", "institutions")
        if i["notice_id"] == "page"
    }
    assert names and not any(x in "".join(names) for x in ("假鉴定所", "注释鉴定所", "脚本鉴定所"))


def test_bomb_xxe_and_deep_html_are_harmless(bad_notices: dict[str, dict]) -> None:
    for path in ("bomb.html", "xxe.html"):
        assert bad_notices[path]["status"] in ("irrelevant", "rejected")
    deep = bad_notices["deep.html"]  # 100k nested divs: read by the fallback, not lost
    assert deep["status"] == "ok" and deep["region_name"] == "青海省" and deep["listed_total"] == 4


def test_cut_off_notice_is_kept_with_a_warning(bad_notices: dict[str, dict]) -> None:
    n = bad_notices["cut_off.txt"]
    assert n["status"] == "ok" and n["stated_pass"] == 53 and 0 < n["listed_pass"] < 53
    assert any(w.startswith("list cut off") for w in n["warnings"])


def test_duplicates_are_flagged_and_counted_once(bad_folder: Path, bad_notices: dict[str, dict]) -> None:
    assert bad_notices["copy_of_fuzhou.txt"]["duplicate_of"] == FUZHOU
    assert bad_notices["fuzhou_gbk.txt"]["duplicate_of"] == FUZHOU  # same text, other encoding
    assert "same text in different bytes" in bad_notices["fuzhou_gbk.txt"]["warnings"][-1]
    assert bad_notices["link_in.txt"]["duplicate_of"] == GANSU  # a symlink inside the folder is read
    curated = bad_folder / "curated"
    fuzhou = [r for r in _rows(curated, "region_year") if r["region_name"] == "福州市"]
    assert len(fuzhou) == 1 and fuzhou[0]["n_evaluated"] == 57 and fuzhou[0]["notice_ids"] == [FUZHOU]
    assert {i["notice_id"] for i in _rows(curated, "institutions")} & {
        "copy_of_fuzhou",
        "fuzhou_gbk",
    } == set()


def test_non_utf8_file_name_gets_a_row_and_is_read(bad_notices: dict[str, dict]) -> None:
    n = bad_notices["\\xb9\\xab\\xb8\\xe6.txt"]
    assert n["status"] == "ok" and n["encoding"] == "gb18030" and n["region_name"] == "全国"


# --------------------------------------------------------------------------------------------------
# Unit-level: size cap, vanishing files, parsers
# --------------------------------------------------------------------------------------------------


def test_size_cap_streams_and_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    started = time.perf_counter()
    raw = ingest.describe_file(big, tmp_path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "over the" in raw.reject_reason and elapsed < 1 and peak < 1_000_000
    monkeypatch.setenv("JIANDING_MAX_BYTES", str(250 * 1024 * 1024))  # under the cap: hashed streaming
    tracemalloc.start()
    raw = ingest.describe_file(big, tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert raw.reject_reason is None and peak < 5_000_000
    assert raw.sha256 == hashlib.sha256(b"\x00" * (200 * 1024 * 1024)).hexdigest()
    monkeypatch.setenv("JIANDING_MAX_BYTES", "1000")
    small = tmp_path / "small.txt"
    small.write_bytes(_bytes(FUZHOU))
    assert ingest.describe_file(small, tmp_path).reject_reason.startswith(
        "file is 6.5 KiB, over the 1000 bytes cap"
    )


def test_file_that_grew_after_scanning_is_not_slurped(tmp_path: Path) -> None:
    path = tmp_path / "grows.txt"
    path.write_bytes(_bytes(FUZHOU))
    raw = ingest.describe_file(path, tmp_path)
    with open(path, "ab") as fh:
        fh.truncate(500 * 1024 * 1024)
    tracemalloc.start()
    decoded = ingest.read_and_decode(raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (
        decoded.reject_reason.startswith("file changed while the build was reading it") and peak < 5_000_000
    )


def test_file_vanishing_between_listing_and_reading(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "stays.txt").write_bytes(_bytes(FUZHOU))
    (raw / "goes.txt").write_bytes(_bytes(GANSU))
    manifest = ingest.build_manifest(raw)
    (raw / "goes.txt").unlink()
    normalized, _ = normalize.normalize_notices(raw, manifest, [])
    notices = {n["source_path"]: n for n in curate.build_notices(manifest, normalized, [], [])}
    assert notices["goes.txt"]["status"] == "rejected"
    assert notices["goes.txt"]["status_reason"] == "file vanished between listing and reading"
    assert notices["stays.txt"]["status"] != "rejected"


def test_vanishing_while_listing(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    assert ingest.describe_file(path, tmp_path).reject_reason == "file vanished between listing and reading"


def test_non_utf8_name_path_is_rebuilt(tmp_path: Path) -> None:
    real = tmp_path / os.fsdecode(NON_UTF8_NAME)
    real.write_bytes(b"x")
    (raw,) = ingest.scan_raw_folder(tmp_path)
    assert raw.source_path == "\\xb9\\xab\\xb8\\xe6.txt"
    assert ingest.fs_path(tmp_path / raw.source_path) == real
    assert ingest.fs_path(tmp_path / "plain.txt") == tmp_path / "plain.txt"


def test_entity_bomb_is_not_expanded() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    text = html_to_text(billion_laughs())
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "lollol" not in text and len(text) < 2000
    assert elapsed < 1 and peak < 10_000_000


def test_external_entity_and_dtd_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LOCAL-FILE", encoding="utf-8")
    (tmp_path / "evil.dtd").write_text(f'<!ENTITY leak SYSTEM "file://{secret}">', encoding="utf-8")
    for doc in (
        f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>&xxe;</p></body></html>',
        f'<!DOCTYPE html SYSTEM "file://{tmp_path / "evil.dtd"}"><html><body><p>&leak;</p></body></html>',
        billion_laughs(f'\n<!ENTITY xxe SYSTEM "file://{secret}">').replace("&lol9;", "&xxe;"),
        '<!DOCTYPE x [<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]><p>&net;</p>',
    ):
        assert "TOP-SECRET" not in html_to_text(doc)


def test_deeply_nested_html(tmp_path: Path) -> None:
    n = 100_000
    doc = "<html><body>" + "<div>" * n + "甘肃省合格鉴定所" + "</div>" * n + "<p>后记</p></body></html>"
    started = time.perf_counter()
    text = html_to_text(doc)
    assert time.perf_counter() - started < 5
    assert text.split() == ["甘肃省合格鉴定所", "后记"]
    shallow = "<div>" * 200 + "<table><tr><td>甲所</td><td>合格</td></tr></table>" + "</div>" * 200
    assert html_to_text(shallow) == "甲所\t合格"


def test_scripts_styles_and_comments_are_dropped() -> None:
    doc = (
        "<html><head><title>标题</title><style>.a{}</style><script>var x='撤销';</script></head><body>"
        "<!-- 优秀 --><p>一、合格<br>甲所</p><noscript>乙</noscript><table><tr><td>1</td><td>丙所</td></tr>"
        "</table>尾</body></html>"
    )
    assert html_to_text(doc) == "标题\n一、合格\n甲所\n\n1\t丙所\n\n尾"


def test_mixed_encoding_decoding_rules() -> None:
    utf8 = "甘肃省第六国家职业技能鉴定所合格名单\n".encode()
    gbk = "福州市人力资源和社会保障局关于年检结果的通报\n".encode("gb18030")
    big5 = "甘肅省職業技能鑒定指導中心\n".encode("big5")
    assert ingest.decode_bytes(utf8 * 3 + gbk * 7, ".txt").encoding == "utf-8+gb18030"
    assert ingest.decode_bytes(utf8 * 8 + big5 * 2, ".txt").encoding == "utf-8+big5"
    pure = ingest.decode_bytes(gbk * 10, ".txt")  # one legacy encoding is not "mixed"
    assert pure.encoding == "gb18030" and pure.text == gbk.decode("gb18030") * 10


# --------------------------------------------------------------------------------------------------
# Atomic publish, lock, determinism, concurrency, kills
# --------------------------------------------------------------------------------------------------

_PUBLISH_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from pipeline import publish
    folder, kill_after = Path(sys.argv[1]), int(sys.argv[2])
    real, calls = os.replace, []
    def replace(src, dst):
        if Path(dst).parent == folder:  # only the publishing renames count
            calls.append(dst)
            if len(calls) > kill_after:
                os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst)
    os.replace = replace
    with publish.publishing(folder) as publication:
        staging = publication.folder
        for name in ("a.parquet", "b.parquet", "c.parquet"):
            (staging / name).write_text("new")
        (staging / "report").mkdir()
        (staging / "report" / "index.html").write_text("new")
    """
)


def _state(folder: Path) -> dict[str, str]:
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(s.startswith(".") for s in p.relative_to(folder).parts)
        and p.relative_to(folder).parts[0] != publish.VERSIONS_NAME  # kept versions: their own test
    )
    return {str(p.relative_to(folder)): p.read_text() for p in files}


@pytest.mark.parametrize("kill_after", range(7))
def test_publish_killed_at_every_rename_is_all_or_nothing(tmp_path: Path, kill_after: int) -> None:
    folder = tmp_path / "curated"
    folder.mkdir()
    old = {"a.parquet": "old", "b.parquet": "old", "c.parquet": "old", "report/index.html": "old"}
    for name, content in old.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(content)
    (folder / "other.txt").write_text("not ours")
    child = subprocess.run([sys.executable, "-c", _PUBLISH_CHILD, str(folder), str(kill_after)], cwd=ROOT)
    killed = child.returncode == -signal.SIGKILL
    assert killed or child.returncode == 0
    with publish.build_lock(folder):
        publish.recover(folder)
    state = _state(folder)
    assert state.pop("other.txt") == "not ours"
    new = dict.fromkeys(old, "new")
    # the journal is written before the first rename: a kill after it always rolls forward
    assert state == (old if kill_after == 0 else new)
    assert not (folder / publish.STAGING_NAME).exists() and not (folder / publish.JOURNAL_NAME).exists()


def test_publishing_swaps_in_only_a_block_that_ends_well(tmp_path: Path) -> None:
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "a.parquet").write_text("old")
    with publish.publishing(folder) as publication:  # cancelled (a blocked --strict build)
        (publication.folder / "a.parquet").write_text("cancelled")
        publication.cancel()
    assert not publication.published
    with pytest.raises(RuntimeError), publish.publishing(folder) as publication:
        (publication.folder / "a.parquet").write_text("failed")
        raise RuntimeError("the run failed")
    assert (folder / "a.parquet").read_text() == "old" and not (folder / publish.STAGING_NAME).exists()
    with publish.publishing(folder) as publication:
        (publication.folder / "a.parquet").write_text("new")
    assert publication.published and (folder / "a.parquet").read_text() == "new"
    assert not (folder / publish.STAGING_NAME).exists() and publish.current_version(folder) is not None


_LOCK_CHILD = textwrap.dedent(
    """
    import sys, time
    from pipeline import publish
    with publish.build_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_build_lock_makes_a_second_build_wait_and_dies_with_its_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _LOCK_CHILD, str(tmp_path), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    waited: list[Path] = []
    try:
        started = time.perf_counter()
        killer = subprocess.Popen(["sh", "-c", f"sleep 0.5; kill -9 {holder.pid}"])
        with publish.build_lock(tmp_path, on_wait=waited.append), publish.build_lock(tmp_path):  # re-entrant
            elapsed = time.perf_counter() - started
        killer.wait()
    finally:
        holder.kill()
        holder.wait()
    assert waited == [tmp_path / ".jianding.lock"] and 0.3 < elapsed < 10


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for nid, (path, _) in load_corpus().items():
        (raw / f"{nid}.txt").write_bytes(path.read_bytes())
    (raw / "copy.txt").write_bytes(_bytes(FUZHOU))
    (raw / "empty.txt").write_bytes(b"")
    for run in ("one", "two"):
        assert _run_build(raw, tmp_path / run / "curated", tmp_path / run / "work").success
    assert _run_build(raw, tmp_path / "one" / "curated", tmp_path / "one" / "work").success  # warm cache
    one = sorted((tmp_path / "one" / "curated").glob("*.parquet"))
    assert len(one) >= 4
    for path in one:
        assert path.read_bytes() == (tmp_path / "two" / "curated" / path.name).read_bytes(), path.name


def _many_notices(raw: Path, copies: int) -> None:
    """The fixture notices `copies` times under different names, each copy made distinct."""
    raw.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for nid, (path, _) in load_corpus().items():
            text = path.read_text(encoding="utf-8")
            (raw / f"{nid}_{k:03d}.txt").write_text(f"{text}\n(副本 {k})\n", encoding="utf-8")


def _cli(raw: Path, curated: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [JIANDING, "build", "--raw-dir", str(raw), "--curated-dir", str(curated), "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(curated: Path) -> dict[str, list[dict]]:
    """Every curated table's rows (reading them proves the file whole), minus `code_version`: a build
    in another process hashes the source files when it starts, and the tree may be edited meanwhile."""
    return {
        p.name: [{k: v for k, v in r.items() if k != "code_version"} for r in pq.read_table(p).to_pylist()]
        for p in sorted(curated.glob("*.parquet"))
    }


def test_concurrent_builds_do_not_corrupt_the_output(tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    _many_notices(raw, 2)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster")}
    first = _cli(raw, curated, env)
    deadline = time.time() + 60
    while not (curated / publish.STAGING_NAME).exists() and first.poll() is None and time.time() < deadline:
        time.sleep(0.05)  # the first build holds the lock once its staging folder exists
    second = _cli(raw, curated, env)
    outs = [p.communicate(timeout=180) for p in (first, second)]
    assert first.returncode == second.returncode == 0, outs
    assert "waiting for another build" in outs[1][1]
    notices = _rows(curated, "notices")
    assert len(notices) == len(list(raw.iterdir()))
    assert sorted(p.name for p in curated.iterdir() if p.name.startswith(".")) == [".jianding.lock", ".work"]
    reference = tmp_path / "reference"
    assert _run_build(raw, reference, tmp_path / "work2").success
    assert _snapshot(curated) == _snapshot(reference)


@pytest.mark.slow
def test_build_killed_at_random_moments_leaves_a_whole_previous_set(tmp_path: Path) -> None:
    """Real `jianding build` processes killed with SIGKILL at random moments (seeded): the curated
    folder always holds one whole build, the previous or the new, every file readable."""
    raw_a, raw_b = tmp_path / "raw_a", tmp_path / "raw_b"
    _many_notices(raw_a, 3)
    _many_notices(raw_b, 3)
    for path in list(raw_b.iterdir())[::3]:
        path.unlink()  # B: a third fewer notices, so its tables differ from A's
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster")}
    sets = {}
    for name, raw in (("a", raw_a), ("b", raw_b)):
        assert _run_build(raw, tmp_path / f"ref_{name}", tmp_path / f"refwork_{name}").success
        sets[name] = _snapshot(tmp_path / f"ref_{name}")
    assert sets["a"] != sets["b"]
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    shutil.copytree(raw_a, raw)
    first = _cli(raw, curated, env)
    assert first.wait(timeout=180) == 0
    assert _snapshot(curated) == sets["a"]
    rng = random.Random(5)
    durations = []
    for target in (raw_b, raw_a):  # how long a warm build takes (the rounds' kills spread over it)
        shutil.rmtree(raw)
        shutil.copytree(target, raw)
        started = time.perf_counter()
        assert _cli(raw, curated, env).wait(timeout=180) == 0
        durations.append(time.perf_counter() - started)
    duration = max(durations)
    seen = set()
    for round_ in range(5):
        target = raw_b if round_ % 2 == 0 else raw_a
        shutil.rmtree(raw)
        shutil.copytree(target, raw)
        build = _cli(raw, curated, env)
        delay = rng.uniform(round_ / 5, (round_ + 1) / 5) * duration  # one kill per fifth of a build
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        present = _snapshot(curated)  # every file present is readable
        journal = (curated / publish.JOURNAL_NAME).exists()
        if journal:  # killed inside the rename window: the next build completes it
            with publish.build_lock(curated):
                publish.recover(curated)
            present = _snapshot(curated)
        which = [k for k, s in sets.items() if s == present]
        assert which, f"round {round_}: curated files mixed from two builds"
        seen.add(which[0])
        print(f"round {round_}: SIGKILL after {delay:.1f}s -> set {which[0]}, journal {journal}")
    final = _cli(raw, curated, env)  # the raw folder is B's (last round): a whole build of B
    assert final.wait(timeout=180) == 0
    assert _snapshot(curated) == sets["b"]


# --------------------------------------------------------------------------------------------------
# Safe by default
# --------------------------------------------------------------------------------------------------


def test_ui_binds_to_localhost_by_default() -> None:
    assert make_parser().parse_args(["dev"]).host == "127.0.0.1"
    assert "--host 127.0.0.1" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_no_asset_hands_a_value_to_an_io_manager(bad_folder: Path) -> None:
    """The bad-folder build ran with an IO manager that fails on any value (the default pickles)."""
    assert (bad_folder / "curated" / "notices.parquet").exists()
    for asset in make_definitions().resolve_asset_graph().assets_defs:
        for out in asset.node_def.output_defs if asset.is_executable else ():
            assert out.dagster_type.is_nothing or out.name == "result" or asset.check_keys, out.name


def test_no_pickle_or_eval_of_content() -> None:
    pattern = re.compile(r"\bpickle\.loads?\(|\beval\(|\bexec\(|\bmarshal\.|\bshelve\.|yaml\.load\(")
    for path in (ROOT / "pipeline").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_extraction_never_reuses_a_failure_of_the_moment(tmp_path: Path) -> None:
    """A notice rejected because its file vanished mid-read is extracted again on the next run."""
    from pipeline import registry
    from pipeline.extract.batch import extract_tables

    text = (ROOT / "tests" / "fixtures" / "corpus" / "000_3dbae8d17e1ab243" / "notice.txt").read_text("utf-8")
    norm = {
        "sha256": "s1",
        "code_version": "v",
        "status": "ok",
        "status_reason": None,
        "encoding": "utf-8",
        "script": "simplified",
        "text": normalize.normalize_text(text).text,
        "text_sha256": "t1",
    }
    normalized = storage.to_arrow([norm], registry.NORMALIZED_NOTICES)
    records, grades, figures, _ = extract_tables(normalized, (None, None, None))
    assert records["status"].to_pylist() == ["ok"] and grades.num_rows > 50
    stale = records.to_pylist()
    stale[0].update(status="rejected", status_reason="file vanished between listing and reading")
    previous = (storage.to_arrow(stale, registry.NOTICE_RECORDS), grades.slice(0, 0), figures.slice(0, 0))
    records2, grades2, _, processed = extract_tables(normalized, previous)
    assert processed == 1
    assert records2["status"].to_pylist() == ["ok"] and grades2.num_rows == grades.num_rows


def _discarded(result: dg.ExecuteInProcessResult) -> list[str]:
    """The `cache_discarded` reports of a build's materializations."""
    events = (e.event_specific_data.materialization for e in result.get_asset_materialization_events())
    return [m.metadata["cache_discarded"].value for m in events if "cache_discarded" in m.metadata]


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:  # garble: flip bytes in the middle, keep the length
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :])


@pytest.mark.parametrize(
    ("table", "how"),
    [
        ("institution_grades", "truncate"),
        ("institution_grades", "garble"),
        ("appraisal_figures", "garble"),
        ("notice_records", "truncate"),
        ("normalized_notices", "garble"),
    ],
)
def test_a_damaged_work_table_is_discarded_rebuilt_and_reported(tmp_path: Path, table: str, how: str) -> None:
    # issue 12: a truncated or garbled work table emptied institutions (136 -> 0) or volumes for good
    raw = tmp_path / "raw"
    raw.mkdir()
    for nid, (path, _) in load_corpus().items():
        (raw / f"{nid}.txt").write_bytes(path.read_bytes())
    curated, work = tmp_path / "curated", tmp_path / "work"
    assert _run_build(raw, curated, work).success
    before = {p.name: p.read_bytes() for p in curated.glob("*.parquet")}
    assert pq.read_metadata(curated / "institutions.parquet").num_rows > 100
    (fragment,) = (work / table).glob("*.parquet")  # the work table's one fragment
    _damage(fragment, how)
    result = _run_build(raw, curated, work)
    assert result.success
    assert {p.name: p.read_bytes() for p in curated.glob("*.parquet")} == before  # the same bytes again
    reports = _discarded(result)
    assert reports and all(f"{table}/{fragment.name}" in r for r in reports)
    assert not _discarded(_run_build(raw, curated, work))  # repaired: the next build trusts its cache


def test_a_work_table_damaged_during_a_build_fails_it_and_publishes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "gansu.txt").write_bytes(_bytes(GANSU))
    curated, work = tmp_path / "curated", tmp_path / "work"
    assert _run_build(raw, curated, work).success
    before = {p.name: p.read_bytes() for p in curated.glob("*.parquet")}
    _damage(next((work / "institution_grades").glob("*.parquet")), "truncate")
    paths = JiandingPaths(raw_dir=str(raw), curated_dir=str(curated), work_dir=str(work))
    with pytest.raises(RuntimeError, match="work table damaged during this build: institution_grades"):
        _written_this_run(paths, registry.INSTITUTION_GRADES)
    assert {p.name: p.read_bytes() for p in curated.glob("*.parquet")} == before


_POOL_SCRIPT = """
import os, sys, time
os.environ["JIANDING_POOL_MIN"] = "1"
from pipeline.parallel import ordered_map
def slow(x):
    time.sleep(120)
    return x
if __name__ == "__main__":
    print("started", flush=True)
    ordered_map(slow, list(range(8)), n_workers=2)
"""


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child in [c for c, p in parents.items() if p == parent and c not in found]:
            found.add(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_pool_workers_die_with_a_sigkilled_build(tmp_path: Path) -> None:
    # issue 12: SIGKILL in the pool phase left the fork server, the resource tracker and both workers
    script = tmp_path / "pool.py"
    script.write_text(_POOL_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert proc.stdout and proc.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 30
    while len(family := _descendants(proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # the fork server, then the resource tracker and the workers
    time.sleep(1)
    family = _descendants(proc.pid)
    assert len(family) >= 3
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 20
    while [p for p in family if _running(p)] and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in family if _running(p)]
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_notice_over_its_time_budget_is_rejected_and_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.extract.batch import extract_rows

    big = tmp_path / "big.txt"
    big.write_text(_text(GANSU) * 300, encoding="utf-8")  # a few MB: far over a millisecond
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    monkeypatch.setenv("JIANDING_NOTICE_BUDGET", "0.001")
    row = normalize.normalize_file(big, sha)
    assert row["status"] == "rejected"
    assert row["status_reason"].startswith("over the time budget per notice: normalization ran past 0.001 s")
    monkeypatch.delenv("JIANDING_NOTICE_BUDGET")
    ok = normalize.normalize_file(big, sha)
    assert ok["status"] == "ok"
    monkeypatch.setenv("JIANDING_NOTICE_BUDGET", "0.001")
    record, grades, figures = extract_rows(ok)
    assert (record["status"], grades, figures) == ("rejected", [], [])
    assert record["status_reason"].startswith("over the time budget per notice: extraction ran past")
    cached = storage.reusable_rows(storage.to_arrow([row], registry.NORMALIZED_NOTICES), [sha], row["code_version"])
    assert cached is not None and cached.num_rows == 0  # tried again next run, never cached


def test_a_block_the_watchdog_gave_up_raises_at_once_and_a_worker_reports_its_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline import budget

    ran, reported = [], []
    monkeypatch.setattr(budget, "_given_up", frozenset({"stuck"}))
    monkeypatch.setattr(budget, "_report", lambda key, seconds: reported.append((key, seconds)))
    with pytest.raises(budget.BudgetExceeded, match="over the 5 s budget"), budget.notice_budget(5, key="stuck"):
        ran.append("stuck")
    with budget.notice_budget(5, key="other"):
        ran.append("other")
    with budget.notice_budget(0, key="off"):  # no budget: no watchdog either
        ran.append("off")
    assert ran == ["other", "off"]
    assert reported == [("other", 5), (None, 0.0)]


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
@pytest.mark.parametrize("pool_min", ["1", "200"], ids=["pool", "small-batch"])
def test_a_notice_stuck_in_a_call_into_c_is_killed_and_the_build_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_min: str
) -> None:
    # issue 12: SIGALRM cannot interrupt one call into C that never checks for signals, so such a call
    # held the build for as long as it lasted (here 30 s in pthread_mutex_timedlock, once in normalize
    # and once in extract: before, the build waited both out, with two workers or in process)
    from pipeline.extract import batch
    from tests import worker_steps as stall

    raw = tmp_path / "raw"
    raw.mkdir()
    corpus = load_corpus()
    for nid, (path, _) in corpus.items():
        (raw / f"{nid}{path.suffix}").write_bytes(path.read_bytes())
    (raw / "stuck_normalizing.txt").write_text(_text(GANSU) + f"\n备注：{stall.STALL_NORMALIZE}\n", encoding="utf-8")
    (raw / "stuck_extracting.txt").write_text(_text(FUZHOU) + f"\n备注：{stall.STALL_EXTRACT}\n", encoding="utf-8")
    monkeypatch.setenv("JIANDING_NOTICE_BUDGET", "1")
    monkeypatch.setenv("JIANDING_WORKERS", "2")
    monkeypatch.setenv("JIANDING_POOL_MIN", pool_min)  # 1: two workers; 200: one worker for a small batch
    stalled = tmp_path / "stalled.log"
    monkeypatch.setenv("JIANDING_TEST_STALLED", str(stalled))
    assert _run_build(raw, tmp_path / "plain", tmp_path / "plain_work").success

    monkeypatch.setattr(normalize, "normalize_file", stall.normalize_file)
    monkeypatch.setattr(batch, "extract_batch", stall.extract_batch)
    monkeypatch.setattr(steps, "extract_part", stall.extract_part)
    assert _run_build(raw, tmp_path / "curated", tmp_path / "work").success
    assert not stalled.exists()  # neither stalled call ran to its end: the watchdog cut both short
    notices = {r["source_path"]: r for r in _rows(tmp_path / "curated", "notices")}
    for name, step in (("stuck_normalizing.txt", "normalization"), ("stuck_extracting.txt", "extraction")):
        assert notices[name]["status"] == "rejected"
        assert notices[name]["status_reason"].startswith(f"over the time budget per notice: {step} ran past 1 s")
    plain = {r["source_path"]: r for r in _rows(tmp_path / "plain", "notices")}
    assert {n: r for n, r in notices.items() if not n.startswith("stuck_")} == {
        n: r for n, r in plain.items() if not n.startswith("stuck_")
    }
    stuck_ids = {r["notice_id"] for n, r in notices.items() if n.startswith("stuck_")}
    for table in ("institutions", "appraisal_volumes"):
        rows = [r for r in _rows(tmp_path / "plain", table) if r["notice_id"] not in stuck_ids]
        assert _rows(tmp_path / "curated", table) == rows
    # no worker is left: the fork server and the resource tracker (children of this process) stay
    # for the next pool, and nothing runs under them
    left = [p for p in _descendants(os.getpid()) if _running(p) and _parent(p) != os.getpid()]
    assert left == []


def test_bad_worker_and_pool_settings_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import parallel

    monkeypatch.setenv("JIANDING_WORKERS", "abc")  # issue 12: failed the build
    monkeypatch.setenv("JIANDING_POOL_MIN", "x")
    with pytest.warns(UserWarning, match="JIANDING_WORKERS='abc' is not a number"):
        assert parallel.workers() >= 1
    assert parallel.pool_min() == 200


def test_a_name_spelling_an_escaped_byte_is_another_notice(tmp_path: Path) -> None:
    # issue 12, item 9: the bytes name \xb9\xe3.txt and a file literally named '\xb9\xe3.txt' shared a
    # notice_id, and the first was then always "changed while the build was reading it"
    from tests.test_history import build_tables

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / os.fsdecode(b"\xb9\xe3.txt")).write_bytes(_bytes(GANSU))
    (raw / "\\xb9\\xe3.txt").write_bytes(_bytes(FUZHOU))
    (raw / "a\\b.txt").write_bytes(b"")
    manifest = ingest.build_manifest(raw)
    assert sorted(m["source_path"] for m in manifest) == ["\\\\xb9\\\\xe3.txt", "\\xb9\\xe3.txt", "a\\\\b.txt"]
    assert {ingest.source_file(raw, m["source_path"]).read_bytes() for m in manifest} == {
        _bytes(GANSU),
        _bytes(FUZHOU),
        b"",
    }
    notices = {n["notice_id"]: n for n in build_tables(raw)["notices"]}
    assert notices["\\xb9\\xe3"]["region_code"] == "620000" and notices["\\xb9\\xe3"]["status"] == "ok"
    assert notices["\\\\xb9\\\\xe3"]["region_code"] == "350100" and notices["\\\\xb9\\\\xe3"]["status"] == "ok"
    assert notices["a\\\\b"]["status_reason"] == "empty file"


def test_a_curated_folder_inside_the_raw_folder_is_not_read_back(tmp_path: Path) -> None:
    # issue 12, item 10: 10 -> 18 notices, and a different notices.parquet on every rebuild
    raw = tmp_path / "raw"
    raw.mkdir()
    for nid, (path, _) in load_corpus().items():
        (raw / f"{nid}.txt").write_bytes(path.read_bytes())
    curated = raw / "out" / "curated"
    curated.mkdir(parents=True)
    assert _run_build(raw, curated, tmp_path / "work").success
    first = (curated / "notices.parquet").read_bytes()
    assert _run_build(raw, curated, tmp_path / "work").success
    assert (curated / "notices.parquet").read_bytes() == first
    rows = {r["source_path"]: r for r in _rows(curated, "notices")}
    assert len(rows) == len(load_corpus()) + 1
    assert rows["out/curated"]["status_reason"] == ingest.OWN_OUTPUT


def test_every_build_is_kept_as_a_version_readers_can_open_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 12, item 7: a reader of two tables saw notices from one build and institutions from another
    monkeypatch.setenv("JIANDING_KEEP_VERSIONS", "2")
    raw, curated, work = tmp_path / "raw", tmp_path / "curated", tmp_path / "work"
    raw.mkdir()
    assert publish.current_version(curated) is None
    ids = []
    for nid in (GANSU, FUZHOU, SHAANXI):
        (raw / f"{nid}.txt").write_bytes(_bytes(nid))
        assert _run_build(raw, curated, work).success
        version = publish.current_version(curated)
        assert version is not None and version.parent == curated / publish.VERSIONS_NAME
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        ids.append(manifest["build_id"])
        assert manifest["build_id"] == version.name and manifest["code_version"] == versions.code_version()
        assert manifest["raw_manifest_sha256"] == storage.file_sha256(work / "raw_manifest.parquet")
        assert sorted(manifest["files"]) == sorted(f"{t.name}.parquet" for t in registry.CURATED_TABLES)
        for name, entry in manifest["files"].items():
            top = curated / name
            assert (version / name).read_bytes() == top.read_bytes()  # the published set, whole
            assert entry == {"sha256": storage.file_sha256(top), "rows": pq.read_metadata(top).num_rows}
        assert pq.read_metadata(version / "notices.parquet").num_rows == len(ids)
    assert ids == sorted(ids) and len(set(ids)) == 3
    kept = sorted(p.name for p in (curated / publish.VERSIONS_NAME).iterdir() if p.is_dir())
    assert kept == ids[1:]  # the last two
