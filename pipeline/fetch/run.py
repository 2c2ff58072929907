"""One fetch run: list pages -> notice pages -> attachments -> raw folders and fetch_log.parquet.

Nothing here raises on a network, server or content problem: every URL requested gets a log row
with its status and reason, and a URL that failed is simply requested again next run.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from pathlib import PurePosixPath as _P

import httpx

from .. import registry, storage
from ..ingest import ATTACHMENT_SUFFIXES
from ..readers.detect import sniff
from ..vocabulary import DEFAULT_TITLE_FILTER
from .client import Fetched, FetchSettings, PoliteClient
from .config import Listing, Source
from .names import PAGE_NAME, attachment_name, canonical_url, notice_id
from .pages import Link, attachment_links, decode_page, listing_links, next_page, page_links, page_title
from .store import HISTORY, NoticeStore

SOURCES = "sources.csv"
_KEPT = ("fetched_at", "final_url", "http_status", "etag", "last_modified", "file", "sha256", "attachments")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _conditional(entry: dict | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a saved file's validators."""
    headers = {}
    if entry and entry.get("etag"):
        headers["If-None-Match"] = str(entry["etag"])
    if entry and entry.get("last_modified"):
        headers["If-Modified-Since"] = str(entry["last_modified"])
    return headers


def _facts(got: Fetched, when: str) -> dict:
    """What notice.json records of a response."""
    return {
        "url": got.url,
        "final_url": got.final_url,
        "fetched_at": when,
        "http_status": got.http_status,
        "content_type": got.header("content-type"),
        "etag": got.header("etag"),
        "last_modified": got.header("last-modified"),
        "sha256": _sha(got.content),
        "size_bytes": len(got.content),
    }


@dataclass
class FetchLog:
    """The rows of fetch_log.parquet, in the order the URLs were requested."""

    rows: list[dict] = field(default_factory=list)

    def add(self, kind: str, url: str, got: Fetched | None, found_on: str, **extra: object) -> None:
        row = {
            "url": url,
            "kind": kind,
            "status": got.status if got else "failed",
            "reason": got.reason if got else None,
            "http_status": got.http_status if got else None,
            "final_url": got.final_url if got else None,
            "notice_id": None,
            "file": None,
            "sha256": _sha(got.content) if got and got.content else None,
            "size_bytes": len(got.content) if got and got.content else None,
            "attempts": got.attempts if got else 0,
            "fetched_at": _iso(_now()),
            "found_on": found_on,
        }
        row.update(extra)
        self.rows.append(row)


@dataclass
class FetchRun:
    rows: list[dict]
    log_path: str | None
    changed: list[str]  # notice folders written this run
    seconds: float

    def summary(self) -> str:
        counts = Counter(r["status"] for r in self.rows)
        lines = [
            f"fetched {len(self.rows)} URLs in {self.seconds:.1f}s: "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "not_modified", "failed", "disallowed"))
            + f"; {len(self.changed)} notice folders new or changed",
            f"  log: {self.log_path}",
        ]
        problems = [r for r in self.rows if r["status"] in ("failed", "disallowed")]
        lines += [f"  {r['status']}: {r['url']}: {r['reason']}" for r in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  … and {len(problems) - 20} more in the log")
        return "\n".join(lines)


class Fetcher:
    """Fetches sources and listings into a raw folder through one PoliteClient."""

    def __init__(self, client: PoliteClient, store: NoticeStore) -> None:
        self.client, self.store, self.log = client, store, FetchLog()
        self.changed: list[str] = []

    # ---- listings -------------------------------------------------------------------------
    def crawl(self, listing: Listing) -> list[Source]:
        """The notice pages a listing's pages link to (title filter), following up to max_pages."""
        if listing.problem:
            self.log.add("listing", listing.url, Fetched(listing.url, "failed", listing.problem), listing.url)
            return []
        pattern = listing.compiled() or Listing("x", DEFAULT_TITLE_FILTER).compiled()
        found: list[Source] = []
        url: str | None = listing.url
        visited: set[str] = set()
        for number in range(1, listing.max_pages + 1):
            if url is None or url in visited:
                break
            visited.add(url)
            got = self.client.get(url)
            self.log.add("listing", url, got, listing.url)
            if got.status != "ok":
                break
            links = page_links(
                decode_page(got.content, got.header("content-type")).text, got.final_url or url
            )
            found += [
                Source(link.url, link.raw_text, listing=url)
                for link in listing_links(links, lambda text: pattern.search(text) is not None)
            ]
            url = listing.page_url(number + 1) or next_page(links, listing.next_words())
        return found

    # ---- notice pages ---------------------------------------------------------------------
    def notice(self, source: Source) -> None:
        """Fetch one notice page (conditionally when saved before) and, when it changed, its
        attachments; a page that did not change only retries the attachments that failed before."""
        found_on = source.listing or SOURCES
        if source.problem:
            self.log.add("page", source.url, Fetched(source.url, "failed", source.problem), found_on)
            return
        nid = notice_id(source.url)
        old = self.store.load(nid)
        saved = old if old and self.store.has(nid, old.get("file")) else None
        got = self.client.get(source.url, _conditional(saved))
        if got.status == "not_modified" and not saved:  # a 304 to a request that was not conditional
            got.status, got.reason = "failed", "HTTP 304 to an unconditional request; no page to keep"
        if got.status == "ok" and not got.content.strip():
            got.status, got.reason = (
                "failed",
                f"empty response (HTTP {got.http_status}, no content); not saved",
            )
        if got.status in ("failed", "disallowed"):
            self.log.add("page", source.url, got, found_on, notice_id=nid if saved else None)
        elif saved and (got.status == "not_modified" or _sha(got.content) == saved.get("sha256")):
            got.reason = (
                "304 Not Modified" if got.status == "not_modified" else "same bytes as the saved copy"
            )
            got.status = "not_modified"
            self.log.add("page", source.url, got, found_on, notice_id=nid, file=saved.get("file"))
            self._retry_attachments(nid, saved)
        else:
            self._save(nid, source, got, old)

    def guarded(self, source: Source) -> None:
        """`notice`, with a folder that cannot be written logged as that URL's failure."""
        try:
            self.notice(source)
        except OSError as exc:
            why = f"could not write the notice folder: {exc.strerror or exc}"
            self.log.add("page", source.url, Fetched(source.url, "failed", why), source.listing or SOURCES)

    def _save(self, nid: str, source: Source, got: Fetched, old: dict | None) -> None:
        moment = _now()
        when, stamp = _iso(moment), moment.strftime("%Y%m%dT%H%M%SZ")
        is_page = sniff(got.content[:4096]) in ("html", "text")
        page = decode_page(got.content, got.header("content-type")) if is_page else None
        name = (
            PAGE_NAME
            if is_page
            else attachment_name(
                got.header("content-disposition"),
                got.final_url or got.url,
                got.header("content-type"),
                0,
                set(),
            )
        )
        files: dict[str, bytes | None] = {name: got.content}
        meta = {
            "fetcher": "jianding fetch",
            **_facts(got, when),
            "url": source.url,
            "file": name,
            "encoding": page.encoding if page else None,
            "encoding_source": page.source if page else None,
            "title": page_title(page.text) if page else None,
            "found_on": source.listing or SOURCES,
            "note": source.note or None,
            "history": list((old or {}).get("history") or []),
        }
        links = attachment_links(page_links(page.text, got.final_url or got.url)) if page else []
        previous = {a.get("url"): a for a in (old or {}).get("attachments") or [] if isinstance(a, dict)}
        meta["attachments"] = [
            self._attachment(nid, link, previous.get(link.url), number, files, source.url, when)
            for number, link in enumerate(links, 1)
        ]
        if page is None:  # the notice is a file (a PDF, a workbook): listed, so the build titles it
            meta["attachments"] = [{"file": name, "title": source.note or _P(name).stem, "url": source.url}]
        if old:
            meta["history"].append(
                {**{k: old.get(k) for k in _KEPT}, "replaced_files": f"{HISTORY}/{stamp}/"}
            )
        self.store.save(nid, files, meta, stamp)
        self.changed.append(nid)
        self.log.add("page", source.url, got, source.listing or SOURCES, notice_id=nid, file=name)

    # ---- attachments ----------------------------------------------------------------------
    def _attachment(
        self, nid: str, link: Link, prev: dict | None, number: int, files: dict, page_url: str, when: str
    ) -> dict:
        """Fetch one attachment (conditionally when saved before) into `files`; its notice.json
        entry. One that fails keeps its earlier copy, or is listed without a file (the build then
        reports it missing), and is retried next run."""
        saved = prev if prev and self.store.has(nid, prev.get("file")) else None
        got = self.client.get(link.url, _conditional(saved))
        if got.status == "ok" and _is_web_page(got):
            got.status, got.reason = (
                "failed",
                "the link leads to a web page, not a file (a viewer or login page?)",
            )
        if got.status == "not_modified" or (
            saved and got.status == "ok" and _sha(got.content) == saved.get("sha256")
        ):
            got.status, got.reason = "not_modified", got.reason or "304 Not Modified"
            files[saved["file"]] = None
            self.log.add("attachment", link.url, got, page_url, notice_id=nid, file=saved["file"])
            return {**saved, "title": link.text}
        if got.status != "ok":
            self.log.add("attachment", link.url, got, page_url, notice_id=nid, file=(saved or {}).get("file"))
            if saved:
                files[saved["file"]] = None
                return {**saved, "title": link.text, "last_error": got.reason}
            return {"title": link.text, "url": link.url, "error": got.reason, "fetched_at": when}
        name = (saved or {}).get("file")
        if not name or name in files:
            name = attachment_name(
                got.header("content-disposition"),
                got.final_url or link.url,
                got.header("content-type"),
                number,
                set(files),
            )
        files[name] = got.content
        self.log.add("attachment", link.url, got, page_url, notice_id=nid, file=name)
        return {**_facts(got, when), "file": name, "title": link.text, "url": link.url}

    def _retry_attachments(self, nid: str, meta: dict) -> None:
        """On an unchanged page: attachments saved before are logged unchanged (not requested);
        those that failed before are requested again, and saved when they arrive."""
        entries, changed = [], False
        for entry in meta.get("attachments") or []:
            if isinstance(entry, dict) and self.store.has(nid, entry.get("file")):
                kept = Fetched(entry.get("url") or "", "not_modified", "page unchanged; not requested")
                self.log.add(
                    "attachment", kept.url, kept, meta.get("url") or "", notice_id=nid, file=entry["file"]
                )
                entries.append(entry)
                continue
            if not isinstance(entry, dict) or not entry.get("url"):
                continue
            files: dict[str, bytes | None] = {
                e["file"]: None
                for e in meta.get("attachments") or []
                if isinstance(e, dict) and e.get("file")
            }
            link = Link(entry["url"], entry.get("title") or "", entry.get("title") or "")
            new = self._attachment(
                nid, link, None, len(entries) + 1, files, meta.get("url") or "", _iso(_now())
            )
            if new.get("file") and files.get(new["file"]) is not None:
                self.store.save_file(nid, new["file"], files[new["file"]])
                changed = True
            entries.append(new)
        if changed:
            self.store.save_sidecar(nid, {**meta, "attachments": entries})
            self.changed.append(nid)


def _is_web_page(got: Fetched) -> bool:
    """An attachment link that answered with an HTML page (and a name that is not an office file)."""
    kind = (got.header("content-type") or "").split(";")[0].strip().lower()
    suffix = _P(_P(got.final_url or got.url).name).suffix.lower()
    return (
        kind in ("text/html", "application/xhtml+xml")
        and suffix not in ATTACHMENT_SUFFIXES
        and (sniff(got.content[:4096]) == "html")
    )


def fetch(
    raw_dir: Path,
    fetch_dir: Path | None,
    sources: list[Source],
    listings: list[Listing],
    settings: FetchSettings | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchRun:
    """Fetch every listing's notice links and every source into `raw_dir`; write fetch_log.parquet
    into `fetch_dir` (None: not written). Each URL is requested once per run."""
    started = time.monotonic()
    raw_dir.mkdir(parents=True, exist_ok=True)
    with PoliteClient(settings or FetchSettings.from_env(), transport, sleep) as client:
        fetcher = Fetcher(client, NoticeStore(raw_dir))
        pages = list(sources)
        for listing in listings:
            pages += fetcher.crawl(listing)
        seen: set[str] = set()
        for source in pages:
            key = source.url if source.problem else canonical_url(source.url)
            if key not in seen:
                seen.add(key)
                fetcher.guarded(source)
    path = None
    if fetch_dir is not None:
        path = storage.write_table(fetcher.log.rows, registry.FETCH_LOG, fetch_dir)["path"]
    return FetchRun(
        fetcher.log.rows, str(path) if path else None, fetcher.changed, time.monotonic() - started
    )
