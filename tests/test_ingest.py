"""Step 1: finding, hashing and decoding raw files."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import ingest
from pipeline.ingest import decode_bytes, describe_file, read_and_decode, scan_raw_folder
from tests.conftest import SEEDS, load_corpus

TEXT = "甘肃省第六国家职业技能鉴定所(中核四零四厂承建)\n二、合格国家职业技能鉴定所名单(53所)"
TRAD = "甘肅省第六國家職業技能鑒定所"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TRAD.encode("big5") * 5, "big5"),
    ],
)
def test_decode_detects_encodings(data: bytes, expected: str) -> None:
    decoded = decode_bytes(data, ".txt")
    assert decoded.reject_reason is None
    assert decoded.encoding is not None and decoded.encoding.replace("_", "-").startswith(expected)
    assert decoded.text is not None
    assert ("鉴定所" in decoded.text) or ("鑒定所" in decoded.text)


def test_binary_and_html_sniffing() -> None:
    assert decode_bytes(b"%PDF-1.4\n\x00\x01\x02", ".txt").reject_reason.startswith("binary")
    assert decode_bytes(b"\x00\x01\x02\x03" * 100, ".txt").reject_reason is not None
    assert decode_bytes("<html><body><p>鉴定站</p></body></html>".encode(), ".txt").is_html


def test_a_stray_angle_bracket_in_text_is_no_html() -> None:
    """Forum junk glued to a breadcrumb ('鉴定管理<P {; g') is no tag: the text is read as text, not
    swallowed as markup (a generated notice was rejected as 'no text left after decoding')."""
    text = "首页 > 鉴定管理<P {; g\n河北5个职业技能鉴定机构被撤销\n记者从省人社厅了解到,5个机构被撤销。\n"
    decoded = decode_bytes(text.encode("utf-8"), ".txt")
    assert not decoded.is_html and "5个机构被撤销" in (decoded.text or "")
    assert decode_bytes(b"<meta charset=gbk><p class=x>\xe5\x90\x88\xe6\xa0\xbc</p>", ".txt").is_html


def test_scan_records_every_file_with_reason(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(f"<p>{TEXT}</p>", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "scan.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").write_text("x")
    files = {f.source_path: f for f in scan_raw_folder(tmp_path)}
    assert sorted(files) == ["a.txt", "empty.txt", "report.docx", "scan.png", "sub/b.html"]
    assert files["a.txt"].sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
    assert files["a.txt"].reject_reason is None
    assert files["empty.txt"].reject_reason == "empty file"
    assert files["report.docx"].reject_reason is None  # an attachment saved on its own is read
    assert files["scan.png"].reject_reason.startswith("unsupported file type '.png' (image): save it as")


def test_vanished_file_is_rejected_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text(TEXT, encoding="utf-8")
    raw = describe_file(path, tmp_path)
    path.unlink()
    assert read_and_decode(raw).reject_reason == "file vanished between listing and reading"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "a PDF"),
        (b"PK\x03\x04\x14\x00", "a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE compound file (old Office)"),
        (b"\xff\xd8\xff\xe0", "a JPEG image"),
    ],
)
def test_binary_reason_names_what_the_file_is(head: bytes, kind: str) -> None:
    assert (
        decode_bytes(head + b"\x00" * 64, ".txt").reject_reason
        == f"binary content, not text: {kind} saved as .txt"
    )


def test_size_cap_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ingest import DEFAULT_MAX_BYTES, max_bytes

    monkeypatch.setenv("JIANDING_MAX_BYTES", "1234")
    assert max_bytes() == 1234
    monkeypatch.setenv("JIANDING_MAX_BYTES", "lots")
    assert max_bytes() == DEFAULT_MAX_BYTES


def test_symlink_loop_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    reasons = {f.source_path: f.reject_reason for f in scan_raw_folder(tmp_path)}
    assert reasons == {
        "a.txt": "symlink loop; not followed",
        "b.txt": "symlink loop; not followed",
        "dangling.txt": "broken symlink: its target does not exist",
    }


def test_gb18030_the_detector_gives_up_on_is_still_read() -> None:
    """charset-normalizer returns no guess for some chrome-heavy GB18030 pages (the bytes of an
    earlier generator's notice 7/660, kept as a fixture so generator changes cannot move them)."""
    from charset_normalizer import from_bytes

    data = (Path(__file__).parent / "fixtures" / "decode" / "gb18030_detector_gives_up.txt").read_bytes()
    assert from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5", "utf_16", "big5hkscs"]).best() is None
    decoded = decode_bytes(data, ".txt")
    assert decoded.reject_reason is None and decoded.encoding == "gb18030"
    assert "职业技能鉴定" in decoded.text


def test_a_folder_that_cannot_be_listed_gets_a_row(tmp_path: Path) -> None:
    import os
    from unittest import mock

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "top.txt").write_text(TEXT, encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # as a non-root user sees a folder of mode 000
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    with mock.patch("os.scandir", scandir):
        files = {f.source_path: f.reject_reason for f in scan_raw_folder(tmp_path)}
    assert files == {
        "sub": "cannot read folder: Permission denied; its files are not listed",
        "top.txt": None,
    }


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding: str) -> None:
    decoded = decode_bytes((TEXT + "\n合格的53所。\n").encode(encoding), ".txt")
    assert decoded.reject_reason is None and decoded.encoding == encoding and "鉴定所" in decoded.text


def _utf8_notices() -> list[tuple[str, bytes]]:
    out = []
    for _nid, (path, _gold) in sorted(load_corpus().items()):
        data = path.read_bytes()
        if decode_bytes(data, path.suffix).encoding == "utf-8":
            out.append((path.suffix, data))
    return out


def test_utf8_cut_mid_character_keeps_its_text() -> None:
    # issue 12: 130 of 263 cuts across the fixtures were rejected whole as "undecodable bytes"
    notices = _utf8_notices()
    assert len(notices) >= 5
    mid_character = 0
    for suffix, data in notices:
        full = data.decode("utf-8")
        for cut in range(1, len(data), max(1, len(data) // 20)):
            decoded = decode_bytes(data[:cut], suffix)
            assert decoded.text is not None, decoded.reject_reason
            encoding, damage = ingest.split_damage(decoded.encoding)
            assert encoding == "utf-8"
            assert full.startswith(decoded.text)
            if damage:
                mid_character += 1
                assert damage.startswith("cut mid-character")
                assert len(decoded.text.encode("utf-8")) > cut - 4
    assert mid_character > 20


def test_utf16_lone_surrogate_keeps_the_text_with_a_warning(tmp_path: Path) -> None:
    from tests.test_history import build_tables

    path, _gold = load_corpus()[SEEDS[0]]
    text = path.read_text(encoding="utf-8")
    data = text.encode("utf-16")  # with a BOM, little-endian
    middle = len(data) // 2 & ~1
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "surrogate.txt").write_bytes(data[:middle] + b"\x00\xd8" + data[middle:])  # a lone high surrogate
    (raw / "no_bom_cut.txt").write_bytes(text.encode("utf-16-le")[:-1])  # no BOM, cut mid-unit
    notices = {n["notice_id"]: n for n in build_tables(raw)["notices"]}
    for nid, encoding in (("surrogate", "utf-16"), ("no_bom_cut", "utf-16-le")):
        row = notices[nid]
        assert (row["status"], row["encoding"]) == ("ok", encoding), row["status_reason"]
        assert "decode" in row["issue_codes"]
        assert any(w.startswith("damaged bytes (1 invalid UTF-16 code unit") for w in row["warnings"])
    assert notices["surrogate"]["region_code"] == "620000"



def test_scan_reuses_hashes_of_unchanged_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "RACY_NS", 0)  # every file counts as settled (the racy rule: below)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{TEXT}\n{name}", encoding="utf-8")
    known = ingest.known_hashes(_hash_table(scan_raw_folder(tmp_path)))
    assert sorted(known) == ["a.txt", "b.txt", "c.txt"]
    # b changes (another size); c is replaced by a file of the same size with its mtime restored
    # (the inode number may even be reused): its ctime tells
    (tmp_path / "b.txt").write_text(f"{TEXT}\nb.txt changed", encoding="utf-8")
    mtime = (tmp_path / "c.txt").stat().st_mtime_ns
    (tmp_path / "c.txt").unlink()
    (tmp_path / "c.txt").write_text(f"{TEXT}\nc.TXT", encoding="utf-8")
    os.utime(tmp_path / "c.txt", ns=(mtime, mtime))
    hashed: list[str] = []
    real = ingest._hash_file
    monkeypatch.setattr(ingest, "_hash_file", lambda p: hashed.append(p.name) or real(p))
    second = {f.source_path: f for f in scan_raw_folder(tmp_path, known=known)}
    assert sorted(hashed) == ["b.txt", "c.txt"]  # a.txt was not read again
    for name, f in second.items():
        assert f.sha256 == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest(), name


def test_a_file_changed_just_now_is_hashed_again_next_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "new.txt").write_text(TEXT, encoding="utf-8")
    # written within RACY_NS of its hash: a write in the same timestamp tick would keep its times
    assert ingest.hash_rows(scan_raw_folder(tmp_path)) == []
    later = time.time_ns() + ingest.RACY_NS + 1
    monkeypatch.setattr(ingest.time, "time_ns", lambda: later)  # the same file, hashed later
    (row,) = ingest.hash_rows(scan_raw_folder(tmp_path))
    stat = (tmp_path / "new.txt").stat()
    assert row == {
        "source_path": "new.txt",
        "size_bytes": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
        "device": stat.st_dev,
        "sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
    }


def _hash_table(files: list[ingest.RawFile]) -> pa.Table:
    """The raw_hashes table as the build writes it (and reads it back next run)."""
    from pipeline.registry import RAW_HASHES
    from pipeline.storage import to_arrow

    return to_arrow(ingest.hash_rows(files), RAW_HASHES)
