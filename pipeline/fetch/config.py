"""The sources to fetch: `data/sources.csv` (notice pages) and `data/listings.csv` (list pages).

Both are CSV with a header row; lines starting with `#` are comments. A row that cannot be used is
kept with the reason, so it gets its fetch_log row like every URL.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import re2

from ..vocabulary import NEXT_PAGE_WORDS
from .client import scheme_problem

DEFAULT_MAX_PAGES = 3
MAX_FILTER_CHARS = 500


@dataclass(frozen=True)
class Source:
    """A notice page to fetch."""

    url: str
    note: str = ""
    listing: str | None = None  # the list page it was found on
    problem: str | None = None  # why it is not fetched (a bad row)


@dataclass(frozen=True)
class Listing:
    """A site's list page: its notice links are those whose text the title filter matches."""

    url: str
    title_filter: str = ""
    next_page: str = ""  # the next link's text, or an address template with {n} (2, 3 …) or {i} (1, 2 …)
    max_pages: int = DEFAULT_MAX_PAGES
    note: str = ""
    problem: str | None = None

    def compiled(self) -> re2._Regexp | None:
        """The title filter as an RE2 pattern (linear time whatever the pattern; no backreferences
        or look-around); None when empty. Raises ValueError with RE2's message when invalid."""
        if not self.title_filter:
            return None
        if len(self.title_filter) > MAX_FILTER_CHARS:
            raise ValueError(f"title filter over {MAX_FILTER_CHARS} characters")
        options = re2.Options()
        options.log_errors = False
        options.max_mem = 8 << 20
        try:
            return re2.compile(self.title_filter, options=options)
        except re2.error as exc:
            message = exc.args[0] if exc.args else exc
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            raise ValueError(
                f"title filter {self.title_filter!r} is not a valid RE2 pattern: {message}"
            ) from exc

    def page_url(self, page: int) -> str | None:
        """The address of list page `page` (2, 3 …) from a template; None when pages are followed
        by their next link."""
        if "{n}" not in self.next_page and "{i}" not in self.next_page:
            return None
        from urllib.parse import urljoin

        return urljoin(self.url, self.next_page.replace("{n}", str(page)).replace("{i}", str(page - 1)))

    def next_words(self) -> tuple[str, ...]:
        return (self.next_page,) if self.next_page and self.page_url(2) is None else NEXT_PAGE_WORDS


def _text(path: Path) -> str:
    """The file's text: UTF-8 (with or without a BOM), else GB18030 (Excel on a Chinese Windows
    saves CSV so); "" when it does not exist. ValueError when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path} is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV")


def _rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows (comment lines and blank lines skipped); [] when the file does not exist."""
    text = _text(path)
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


_NO_URL = "a row without a url (the first line that is not a comment must be the header, with a url column)"


def _url_problem(url: str) -> str | None:
    return scheme_problem(url) if url else _NO_URL


def read_sources(path: Path) -> list[Source]:
    """The rows of a sources file; a row that cannot be fetched carries its problem."""
    return [
        Source(row.get("url", ""), row.get("note", ""), problem=_url_problem(row.get("url", "")))
        for row in _rows(path)
    ]


def read_listings(path: Path) -> list[Listing]:
    """The rows of a listings file; a row that cannot be used carries its problem."""
    out = []
    for row in _rows(path):
        url = row.get("url", "")
        problem = _url_problem(url)
        pages = row.get("max_pages", "") or str(DEFAULT_MAX_PAGES)
        if not pages.isdigit() or not 1 <= int(pages) <= 100:
            problem = problem or f"max_pages {pages!r} is not a number from 1 to 100"
            pages = str(DEFAULT_MAX_PAGES)
        listing = Listing(
            url, row.get("title_filter", ""), row.get("next_page", ""), int(pages), row.get("note", "")
        )
        try:
            listing.compiled()
        except ValueError as exc:
            problem = problem or str(exc)
        out.append(Listing(**{**listing.__dict__, "problem": problem}))
    return out
