"""A polite HTTP client: one request at a time, a delay per host, robots.txt, retries and limits.

Every request goes through `PoliteClient.get`, which never raises on a network or server problem:
it returns a `Fetched` whose status is `ok`, `not_modified`, `failed` or `disallowed`, with a reason
a person can act on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import ingest

UA_TOKEN = "jianding"  # the name robots.txt rules address
# where a site's operator can reach whoever runs the fetcher (a URL or an e-mail address): set
# JIANDING_FETCH_CONTACT or --contact; `jianding fetch` warns while it is unset
DEFAULT_CONTACT = ""
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB are read
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this is capped
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRIED = (429, 500, 502, 503, 504)
_RAISE = "not saved (raise JIANDING_MAX_BYTES to accept it)"


@dataclass(frozen=True)
class FetchSettings:
    """How the fetcher behaves; `from_env` reads JIANDING_FETCH_* and the raw size cap."""

    delay: float = 2.0  # seconds between two requests to one host
    timeout: float = 30.0  # seconds to connect, and between two reads
    max_seconds: float = 120.0  # seconds for one response, body included
    retries: int = 2  # further tries after a 5xx, a 429 or a timeout
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_redirects: int = 5
    max_bytes: int = field(default_factory=ingest.max_bytes)
    contact: str = DEFAULT_CONTACT
    trust_env: bool = True  # proxies from HTTP(S)_PROXY

    @property
    def user_agent(self) -> str:
        contact = f"+{self.contact}" if self.contact else "no contact set"
        return f"{UA_TOKEN}/0.1 ({contact}; notices on vocational skill appraisal institutions)"

    @classmethod
    def from_env(cls, **overrides: object) -> FetchSettings:
        """Defaults, then JIANDING_FETCH_DELAY / _TIMEOUT / _RETRIES / _CONTACT, then `overrides`."""
        env: dict[str, object] = {}
        for name, key, kind in (
            ("delay", "JIANDING_FETCH_DELAY", float),
            ("timeout", "JIANDING_FETCH_TIMEOUT", float),
            ("retries", "JIANDING_FETCH_RETRIES", int),
        ):
            try:
                if os.environ.get(key):
                    env[name] = kind(os.environ[key])
            except ValueError:
                pass  # a bad value keeps the default
        if os.environ.get("JIANDING_FETCH_CONTACT"):
            env["contact"] = os.environ["JIANDING_FETCH_CONTACT"]
        return replace(cls(), **env, **{k: v for k, v in overrides.items() if v is not None})


@dataclass
class Fetched:
    """The outcome of one GET (after redirects and retries)."""

    url: str
    status: str  # ok / not_modified / failed / disallowed
    reason: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    attempts: int = 0

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class _Refused(Exception):
    """A response the size limit refuses: the reason is the message."""


class _Slow(Exception):
    """A response whose body did not arrive within max_seconds (tried again, like a timeout)."""


def scheme_problem(url: str) -> str | None:
    """Why `url` is not fetched (not http or https, no host), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are fetched (this one is {parts.scheme or 'relative'})"
    if not parts.hostname:
        return "no host in the URL"
    return None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _size(n: int) -> str:
    return ingest._human(n)


class PoliteClient:
    """Sequential GETs on httpx: a delay per host (robots.txt Crawl-delay when longer), robots.txt
    obeyed, retries with backoff, size, redirect and time limits, http and https only."""

    def __init__(
        self,
        settings: FetchSettings,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep, self._clock = sleep, clock
        self._http = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            trust_env=settings.trust_env,
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | str] = {}  # origin -> rules, or why unreachable
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self.requests = 0

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET `url` (conditional when `headers` carry If-None-Match / If-Modified-Since)."""
        current, attempts = url, 0
        for _ in range(self.settings.max_redirects + 1):
            if problem := scheme_problem(current):
                return Fetched(url, "failed", problem, final_url=current, attempts=attempts)
            if refusal := self.robots_refusal(current):
                return Fetched(url, "disallowed", refusal, final_url=current, attempts=attempts)
            got = self._with_retries(current, headers or {})
            got.url, got.attempts = url, got.attempts + attempts
            attempts = got.attempts
            location = got.header("location")
            if got.http_status not in _REDIRECTS or not location:
                return got
            current = urljoin(current, location.strip())
        return Fetched(
            url,
            "failed",
            f"more than {self.settings.max_redirects} redirects (a redirect loop?); last {current}",
            final_url=current,
            attempts=attempts,
        )

    def robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids `url` (or could not be read), else None."""
        site = origin(url)
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        rules = self._robots[site]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(UA_TOKEN, url):
            return f"robots.txt of {site} disallows this path for {UA_TOKEN}"
        return None

    def _read_robots(self, site: str) -> RobotFileParser | str:
        rules = RobotFileParser(site + "/robots.txt")
        got = self._follow(site + "/robots.txt", ROBOTS_MAX_BYTES)
        if got.http_status in (401, 403):
            rules.disallow_all = True
        elif got.http_status is not None and 400 <= got.http_status < 500:
            rules.allow_all = True  # no robots.txt: everything allowed
        elif got.status != "ok":
            why = got.reason or f"HTTP {got.http_status}"
            return f"robots.txt of {site} could not be read ({why}); nothing fetched there, retried next run"
        else:
            rules.parse(got.content.decode("utf-8", "replace").splitlines())
        return rules

    def _follow(self, url: str, limit: int) -> Fetched:
        """robots.txt: redirects followed (up to the limit), no robots check."""
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if scheme_problem(current):
                break
            got = self._with_retries(current, {}, limit)
            location = got.header("location")
            if got.http_status not in _REDIRECTS or not location:
                return got
            current = urljoin(current, location.strip())
        return Fetched(url, "failed", "too many redirects")

    def _host_delay(self, site: str) -> float:
        rules = self._robots.get(site)
        crawl = rules.crawl_delay(UA_TOKEN) if isinstance(rules, RobotFileParser) else None
        try:
            crawl_delay = min(float(crawl or 0), MAX_CRAWL_DELAY)
        except (TypeError, ValueError):
            crawl_delay = 0.0
        return max(self.settings.delay, crawl_delay)

    def _wait_turn(self, url: str) -> None:
        site = origin(url)
        last = self._last.get(site)
        if last is not None:
            wait = last + self._host_delay(site) - self._clock()
            if wait > 0:
                self._sleep(wait)

    def _with_retries(self, url: str, headers: dict[str, str], limit: int | None = None) -> Fetched:
        """One GET, tried again after a 5xx, a 429, a timeout or a dropped connection."""
        tries = self.settings.retries + 1
        got = Fetched(url, "failed")
        for attempt in range(tries):
            if attempt:
                self._sleep(self._backoff(attempt, got))
            self._wait_turn(url)
            try:
                got = self._once(url, headers, limit or self.settings.max_bytes)
            finally:
                self._last[origin(url)] = self._clock()
            got.attempts = attempt + 1
            if not got.reason or not got.reason.startswith("retry:"):
                return got
        got.reason = (got.reason or "").removeprefix("retry:") + f" (after {tries} tries)"
        return got

    def _backoff(self, attempt: int, got: Fetched) -> float:
        wait = self.settings.backoff * 2 ** (attempt - 1)
        after = got.header("retry-after") or ""
        if after.isdigit():
            wait = max(wait, min(float(after), MAX_CRAWL_DELAY))
        return wait

    def _once(self, url: str, headers: dict[str, str], limit: int) -> Fetched:
        self.requests += 1
        try:
            return self._stream(url, headers, limit)
        except _Refused as exc:
            return Fetched(url, "failed", str(exc), final_url=url)
        except _Slow:
            why = f"retry:the response took over {self.settings.max_seconds:g} s"
            return Fetched(url, "failed", why, final_url=url)
        except httpx.TimeoutException:
            why = f"retry:timed out (limit {self.settings.timeout:g} s)"
            return Fetched(url, "failed", why, final_url=url)
        except httpx.UnsupportedProtocol as exc:
            return Fetched(url, "failed", f"unsupported URL: {exc}", final_url=url)
        except httpx.TransportError as exc:  # connection refused or reset, a broken response
            return Fetched(url, "failed", f"retry:{type(exc).__name__}: {exc}", final_url=url)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # a bad encoding, a bad URL
            return Fetched(url, "failed", f"{type(exc).__name__}: {exc}", final_url=url)

    def _stream(self, url: str, headers: dict[str, str], limit: int) -> Fetched:
        started = self._clock()
        with self._http.stream("GET", url, headers=headers) as response:
            code = response.status_code
            got = Fetched(
                url,
                "ok",
                http_status=code,
                final_url=str(response.url),
                headers={k.lower(): v for k, v in response.headers.items()},
            )
            if code == 304:
                got.status = "not_modified"
                return got
            if code in _REDIRECTS:
                return got
            if code >= 400:
                got.status = "failed"
                got.reason = f"{'retry:' if code in _RETRIED else ''}HTTP {code} {response.reason_phrase}"
                return got
            got.content = self._body(response, limit, started)
            return got

    def _body(self, response: httpx.Response, limit: int, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Refused(f"response is {_size(int(declared))}, over the {_size(limit)} cap; {_RAISE}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _Refused(f"response passed the {_size(limit)} cap; {_RAISE}")
            if self._clock() - started > self.settings.max_seconds:
                raise _Slow
            chunks.append(chunk)
        return b"".join(chunks)
