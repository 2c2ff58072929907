"""Step 0, fetch: notice pages and their attachments from the web into raw notice folders.

`config` reads the sources (data/sources.csv, data/listings.csv), `client` is the polite HTTP client
(robots.txt, a delay per host, retries, limits), `pages` reads what a page says (charset, links),
`names` makes ids and safe file names, `store` writes the folders, `run` does one fetch run and
its fetch_log.parquet. Never run by `jianding build` or `make run`: only by `jianding fetch` and the
`fetched_notices` asset. See docs/fetching.md.
"""

from .client import FetchSettings, PoliteClient
from .config import Listing, Source, read_listings, read_sources
from .run import FetchRun, fetch

__all__ = [
    "FetchRun",
    "FetchSettings",
    "Listing",
    "PoliteClient",
    "Source",
    "fetch",
    "read_listings",
    "read_sources",
]
