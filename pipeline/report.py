"""The report: key charts as PNG and one self-contained HTML page, in <curated>/report/.

Plain functions over the curated Parquet files; matplotlib through its Agg canvas (no display, no
pyplot state). Region names need a CJK font: Noto Sans CJK SC, which the `mplfonts` package installs
with the project, used by its file path (matplotlib's font cache is never consulted, so a fresh
clone and an old cache draw the same chart); JIANDING_CJK_FONT may name another font file. Without
one, charts are labelled with region codes and the HTML page gives the code -> name legend.
The report is redrawn when its input tables, its code (versions.ASSET_VERSIONS["report"]) or its
font change. `render_report` never raises: whatever fails is listed in its result and on the page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

Rows = list[dict[str, Any]]
CHARTS = {
    "pass_rate": "pass_rate_by_region_year.png",
    "revocations": "revocations_by_year.png",
}
PACKAGED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")  # SIL Open Font License
_PROBE = "甘肃省鉴定"


def _has_glyphs(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
        return all(font.get_char_index(ord(ch)) for ch in _PROBE)
    except (OSError, RuntimeError, ValueError):
        return False


def packaged_font() -> str | None:
    """The Noto Sans CJK SC file the mplfonts package ships (found without importing the package,
    whose import would change matplotlib's global settings); None when it is not installed."""
    from importlib.util import find_spec

    package, name = PACKAGED_FONT
    spec = find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / name
        if path.is_file():
            return str(path)
    return None


def font_candidates() -> list[str]:
    """The font files the charts may use, in order: $JIANDING_CJK_FONT, the packaged one (those that
    exist; found without importing matplotlib)."""
    env = os.environ.get("JIANDING_CJK_FONT")
    return [path for path in (env, packaged_font()) if path and Path(path).is_file()]


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Path of a font with Chinese glyphs: the first of `font_candidates` that has them; None if none.
    The font is registered with matplotlib by its path (no font-cache lookup)."""
    for path in font_candidates():
        if _has_glyphs(path):
            from matplotlib import font_manager

            font_manager.fontManager.addfont(path)
            return path
    return None


@lru_cache(maxsize=4)
def _font_file_fingerprint(font: str) -> bytes:
    return Path(font).name.encode() + hashlib.sha256(Path(font).read_bytes()).digest()


def _font_fingerprint(candidates: list[str]) -> bytes:
    """What of the fonts shapes the charts: each candidate file's name and bytes (hashed), so that the
    fingerprint is known before matplotlib is imported to choose among them."""
    return b"".join(map(_font_file_fingerprint, candidates)) or b"no font"


# The heat map keeps one readable row per region: beyond this many, the regions with the most
# institutions evaluated are drawn (the page's table still lists every region-year).
MAX_HEATMAP_REGIONS = 30
MAX_LEGEND_REGIONS = 12
# Only these columns are read: the report never needs full notice texts or institution lists.
_COLUMNS = {
    "notices": ["status"],
    "institution_history": [
        "institution_key",
        "institution_name",
        "region_name",
        "evaluation_year",
        "previous_year",
        "transition",
    ],
}
_INPUTS = ("notices", "region_year", "institution_history")


def _read(curated: Path, table: str) -> Rows:
    path = curated / f"{table}.parquet"
    if not path.exists():
        return []
    with path.open("rb") as fh:  # a local Path or a UPath (the curated folder may be remote)
        return pq.read_table(fh, columns=_COLUMNS.get(table)).to_pylist()


def _history(curated: Path) -> tuple[Rows, tuple[int, int], Counter[str]]:
    """What the page says of institution_history, from one read of its columns, counted by Arrow
    (a large archive has hundreds of thousands of rows): the rectify->revoked rows it lists,
    (institutions, institution-years), and the institution-years per grade transition."""
    path = curated / "institution_history.parquet"
    if not path.exists():
        return [], (0, 0), Counter()
    with path.open("rb") as fh:
        data = pq.read_table(fh, columns=_COLUMNS["institution_history"])
    keys = data["institution_key"]
    transitions = Counter(
        {v["values"]: v["counts"] for v in pc.value_counts(data["transition"]).to_pylist() if v["values"]}
    )
    fallen = data.filter(pc.equal(data["transition"], "rectify->revoked")).to_pylist()
    return fallen, (len(keys.unique()), len(keys)), transitions


def _write(path: Any, data: bytes) -> None:
    """A local file appears whole or not at all (temp file + rename); an object store takes one PUT."""
    if not isinstance(path, Path):
        path.write_bytes(data)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _inputs_fingerprint(curated: Path, fonts: list[str]) -> str:
    """sha256 over what the report is drawn from: the tables it reads, its code and its fonts; the
    same inputs give the same report, so it is kept."""
    from .versions import ASSET_VERSIONS

    digest = hashlib.sha256(ASSET_VERSIONS["report"].encode() + _font_fingerprint(fonts))
    for table in _INPUTS:
        path = curated / f"{table}.parquet"
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


# the region_year columns the charts draw: when these, the code and the fonts are the same, the
# charts are the same, and only the page is written again (without importing matplotlib)
CHART_COLUMNS = (
    "province_code",
    "region_code",
    "region_name",
    "sector",
    "evaluation_year",
    "pass_rate",
    "n_evaluated",
    "revocation_count",
)


def _charts_fingerprint(region_year: Rows, fonts: list[str]) -> str:
    """sha256 over what the charts are drawn from: CHART_COLUMNS of region_year, the code, the fonts."""
    from .versions import ASSET_VERSIONS

    digest = hashlib.sha256(ASSET_VERSIONS["report"].encode() + _font_fingerprint(fonts))
    for row in region_year:
        digest.update(json.dumps([row.get(c) for c in CHART_COLUMNS], ensure_ascii=False).encode())
    return digest.hexdigest()


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def region_label(row: dict[str, Any], cjk: bool) -> str:
    """What a chart calls a region_year row's region: its name (and sector) with a CJK font, else its code."""
    if cjk:
        return row["region_name"] + (f" {row['sector']}" if row.get("sector") else "")
    return row["region_code"] + (" (sector)" if row.get("sector") else "")


def _figure(width: float, height: float, font: str | None):
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig, (FontProperties(fname=font) if font else None)


def consecutive_years(found: set[int]) -> list[int]:
    """Every year from the first to the last found: a year without figures is drawn as a gap."""
    return list(range(min(found), max(found) + 1)) if found else []


def pass_rate_chart(region_year: Rows, font: str | None) -> bytes:
    """Heat map: one row per region (and sector), one column per evaluation year; pass rate and n."""
    import numpy as np

    rated = [r for r in region_year if r.get("pass_rate") is not None]
    evaluated: Counter[tuple] = Counter()
    for r in rated:
        evaluated[(r["province_code"], r["region_code"], r.get("sector") or "")] += r["n_evaluated"] or 0
    shown = {k for k, _ in sorted(evaluated.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_HEATMAP_REGIONS]}
    rows = [r for r in rated if (r["province_code"], r["region_code"], r.get("sector") or "") in shown]
    regions = sorted(shown)
    row_of = {k: i for i, k in enumerate(regions)}
    years = consecutive_years({r["evaluation_year"] for r in rows})
    col_of = {y: j for j, y in enumerate(years)}
    labels = {}
    for r in rows:
        labels[(r["province_code"], r["region_code"], r.get("sector") or "")] = region_label(r, bool(font))
    fig, fp = _figure(max(5.5, 0.8 * len(years) + 3.2), max(2.6, 0.55 * len(regions) + 1.5), font)
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no region with a known pass rate", ha="center", va="center")
        ax.set_axis_off()
    else:
        grid = np.full((len(regions), len(years)), np.nan)
        n = {}
        for r in rows:
            i = row_of[(r["province_code"], r["region_code"], r.get("sector") or "")]
            j = col_of[r["evaluation_year"]]
            grid[i, j], n[(i, j)] = r["pass_rate"], r["n_evaluated"]
        cmap = _cmap()
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for (i, j), count in n.items():
            value = grid[i, j]
            ax.text(
                j,
                i,
                f"{value:.0%}\nn={count:,}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value < 0.35 or value > 0.85 else "black",
            )
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.set_yticks(range(len(regions)), [labels[k] for k in regions], fontproperties=fp)
        ax.set_xlabel("evaluation year")
        fig.colorbar(image, ax=ax, label="pass rate", shrink=0.9)
    title = "Pass rate (excellent + pass) / evaluated, by region and year"
    if len(evaluated) > len(shown):
        title += f"\n({len(shown)} of {len(evaluated)} regions: those with the most institutions evaluated)"
    ax.set_title(title)
    return _png(fig)


def _cmap():
    from matplotlib import colormaps

    return colormaps["RdYlGn"].with_extremes(bad="#eeeeee")


def revocations_chart(region_year: Rows, font: str | None) -> bytes:
    """Stacked bars: institutions revoked per evaluation year, one colour per region (and sector)."""
    rows = [r for r in region_year if r.get("revocation_count") is not None]
    first, last = (
        (min(r["evaluation_year"] for r in rows), max(r["evaluation_year"] for r in rows))
        if rows
        else (0, -1)
    )
    years = list(range(first, last + 1))
    by_region: dict[str, Counter] = defaultdict(Counter)
    for r in sorted(rows, key=lambda r: (r["province_code"], r["region_code"], r.get("sector") or "")):
        by_region[region_label(r, bool(font))][r["evaluation_year"]] += r["revocation_count"]
    if len(by_region) > MAX_LEGEND_REGIONS:  # the regions with most revocations, the rest as one colour
        ranked = sorted(by_region, key=lambda k: (-sum(by_region[k].values()), k))
        other: Counter = Counter()
        for label in ranked[MAX_LEGEND_REGIONS:]:
            other.update(by_region.pop(label))
        by_region[f"{len(ranked) - MAX_LEGEND_REGIONS} other regions"] = other
    fig, fp = _figure(max(6.5, 0.5 * len(years) + 3.5), 3.6, font)
    ax = fig.add_subplot()
    bottom = [0] * len(years)
    for label, counts in by_region.items():
        heights = [counts.get(y, 0) for y in years]
        if any(heights):
            ax.bar(years, heights, bottom=bottom, label=label)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    for year, total in zip(years, bottom, strict=True):
        if total:
            ax.text(year, total, f"{total:,}", ha="center", va="bottom", fontsize=8)
    if not rows:
        ax.text(0.5, 0.5, "no region with a known revocation count", ha="center", va="center")
        ax.set_axis_off()
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    ax.set_xlabel("evaluation year")
    ax.set_ylabel("institutions revoked")
    ax.set_ylim(0, max([*bottom, 1]) * 1.15)
    ax.set_title("Revocations by evaluation year (each region's own notices)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(prop=fp, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return _png(fig)


# The definitions the page's figures follow (their rules: pipeline/curate/, docs/definitions.md).
DEFINITIONS = """<h2 id='definitions'>Definitions</h2><dl>
<dt>evaluated</dt><dd>institutions given any grade in the region's own notice for the year, revoked
included, plus those it says were evaluated without giving their grade (a city's notice never adds
to its province's row; of several notices for one region and year, the most complete is used).</dd>
<dt>pass rate</dt><dd>(excellent + pass) / evaluated: ungraded institutions count as not passed.</dd>
<dt>revoked</dt><dd>institutions whose qualification was revoked (撤销); deregistered (注销) and
suspended (暂停) are counted apart.</dd>
<dt>source</dt><dd><code>stated</code>: the counts the notice's text states; <code>listed</code>: the
institutions it names with each grade; <code>mixed</code>: stated where stated, else listed.</dd>
<dt>persons appraised</dt><dd>the region's own figure for persons who took an appraisal that year, as
stated (exact, approximate or at least).</dd>
<dt>rectify -&gt; revoked</dt><dd>an institution told to rectify (不合格 / 限期整改) in one evaluation
year and revoked in its next.</dd></dl>"""


def _number(value: int | None) -> str | None:
    """An integer with thousands separators (12,345); None stays empty."""
    return None if value is None else f"{value:,}"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html(tables: dict[str, Rows], images: dict[str, bytes], font: str | None, errors: list[str]) -> str:
    notices, region_year, history = tables["notices"], tables["region_year"], tables["institution_history"]
    statuses = Counter(n["status"] for n in notices)
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<title>jianding: appraisal-institution inspections</title><style>",
        "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}",
        "table{border-collapse:collapse;font-size:13px;margin:0.5em 0 1.5em}",
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f4f4f4}",
        "img{max-width:100%}.err{color:#a00}dt{font-weight:bold}dd{margin:0 0 0.5em 1.5em}",
        "</style></head><body>",
        "<h1>Annual inspection of vocational skill appraisal institutions</h1>",
        f"<p>{len(notices):,} notices: {statuses.get('ok', 0):,} ok, {statuses.get('irrelevant', 0):,} "
        f"irrelevant, {statuses.get('rejected', 0):,} rejected. {len(region_year):,} region-year rows, "
        f"{tables['_history_counts'][0]:,} institutions over "
        f"{tables['_history_counts'][1]:,} institution-years. How each figure is counted: "
        "<a href='#definitions'>definitions</a>.</p>",
    ]
    titles = {"pass_rate": "Pass rate by region and year", "revocations": "Revocations by year"}
    for key, png in images.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<h2>{titles[key]}</h2><img alt='{titles[key]}' src='data:image/png;base64,{data}'>")
    if not font:
        legend = sorted({(r["region_code"], r["region_name"], r.get("sector") or "") for r in region_year})
        parts.append("<h3>Region codes in the charts</h3>")
        parts.append(_table(["code", "region", "sector"], [list(x) for x in legend]))
    ry_rows = sorted(
        region_year, key=lambda r: (r["evaluation_year"], r["region_code"], r.get("sector") or "")
    )
    parts.append("<h2>Region-year figures</h2>")
    parts.append(
        _table(
            ["year", "region", "sector", "evaluated", "pass rate", "revoked", "persons appraised", "source"],
            [
                [
                    r["evaluation_year"],
                    r["region_name"],
                    r.get("sector"),
                    _number(r.get("n_evaluated")),
                    None if r.get("pass_rate") is None else f"{r['pass_rate']:.1%}",
                    _number(r.get("revocation_count")),
                    _number(r.get("persons_appraised")),
                    r.get("count_source"),
                ]
                for r in ry_rows
            ],
        )
    )
    transitions = tables["_transitions"]
    if transitions:
        parts.append("<h2>Grade transitions between an institution's evaluation years</h2>")
        parts.append(_table(["transition", "institutions"], [[t, c] for t, c in sorted(transitions.items())]))
        fallen = [h for h in history if h.get("transition") == "rectify->revoked"]
        if fallen:
            parts.append("<h3>Told to rectify, then revoked</h3>")
            parts.append(
                _table(
                    ["institution", "region", "rectify in", "revoked in"],
                    [
                        [h["institution_name"], h["region_name"], h["previous_year"], h["evaluation_year"]]
                        for h in fallen
                    ],
                )
            )
    parts.append(DEFINITIONS)
    if errors:
        parts.append("<h2>Not rendered</h2><ul>")
        parts += [f"<li class='err'>{html.escape(e)}</li>" for e in errors]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _as_folder(folder: Any) -> Any:
    """A Path or UPath as given; a str as a local Path."""
    return folder if hasattr(folder, "joinpath") else Path(folder)


def render_report(curated_dir: Any, force: bool = False, published: Any = None) -> dict[str, Any]:
    """Write <curated>/report/{*.png,index.html}; return what was written, the font and any errors.

    `curated_dir`: a str, a Path or a UPath; `published`: the folder it is published into when that
    is another (a staging folder), whose report is the one to compare with. Never raises: a chart
    that fails is left out and named on the page and in `errors`. When the input tables are
    byte-identical to those of the last complete report, that report is kept (`unchanged`), unless
    `force`; when only what the charts do not draw changed, the charts are kept and the page
    written again. matplotlib is imported only to draw.
    """
    result: dict[str, Any] = {
        "dir": None,
        "html": None,
        "charts": [],
        "font": None,
        "errors": [],
        "unchanged": False,
    }
    try:
        curated = _as_folder(curated_dir)
        out = curated / "report"
        result["dir"] = str(out)
        out.mkdir(parents=True, exist_ok=True)
        # `jianding build` renders into a staging folder: the report to compare with is the published one
        same = published is None or str(published) == str(curated)
        published_report = out if same else _as_folder(published) / "report"
        fonts = font_candidates()
        fingerprint = _inputs_fingerprint(curated, fonts)
        if not force and _keep_published(published_report, out, fingerprint, result):
            return result
        _render(curated, out, published_report, fonts, force, result)
        if not result["errors"]:
            _write(out / _STAMP, fingerprint.encode("ascii"))
    except Exception as exc:  # unreadable tables, a full disk: reported, not raised
        result["errors"].append(f"report: {type(exc).__name__}: {exc}")
    return result


_STAMP, _CHARTS_STAMP = ".inputs.sha256", ".charts.json"


def _keep_published(published: Any, out: Any, fingerprint: str, result: dict[str, Any]) -> bool:
    """Keep the published report when it was drawn from the same inputs (copied into `out` when that
    is the staging folder); whether it was kept."""
    stamp, page = published / _STAMP, published / "index.html"
    if not (stamp.exists() and stamp.read_text() == fingerprint and page.exists()):
        return False
    if published != out:
        for item in published.iterdir():
            _write(out / item.name, item.read_bytes())
    charts = [out / name for name in CHARTS.values()]
    font = _published_charts(published, None)
    result.update(
        html=str(out / "index.html"),
        charts=[str(c) for c in charts if c.exists()],
        unchanged=True,
        font=font[1] if font else None,
    )
    return True


def _published_charts(published: Any, fingerprint: str | None) -> tuple[dict[str, bytes], str | None] | None:
    """(chart PNGs, font) of the published report when its charts were drawn from `fingerprint` (any,
    for None) and every chart is there; None otherwise."""
    stamp = published / _CHARTS_STAMP
    if not stamp.exists():
        return None
    drawn = json.loads(stamp.read_text())
    if fingerprint is not None and drawn.get("fingerprint") != fingerprint:
        return None
    paths = {key: published / name for key, name in CHARTS.items()}
    if not all(p.exists() for p in paths.values()):
        return None
    return {key: p.read_bytes() for key, p in paths.items()}, drawn.get("font")


def _render(curated: Any, out: Any, published: Any, fonts: list[str], force: bool, result: dict) -> None:
    """Read the tables, reuse the published charts when what they draw is unchanged (else draw them),
    and write the page."""
    tables: dict[str, Any] = {t: _read(curated, t) for t in ("notices", "region_year")}
    tables["institution_history"], tables["_history_counts"], tables["_transitions"] = _history(curated)
    charts_fingerprint = _charts_fingerprint(tables["region_year"], fonts)
    kept = None if force else _published_charts(published, charts_fingerprint)
    if kept is not None:
        images, font = kept
        for key, png in images.items():
            _write(out / CHARTS[key], png)
            result["charts"].append(str(out / CHARTS[key]))
    else:
        font = find_cjk_font()
        images = _draw(tables["region_year"], font, out, result)
    result["font"] = font
    if not result["errors"]:
        drawn = {"fingerprint": charts_fingerprint, "font": font}
        _write(out / _CHARTS_STAMP, json.dumps(drawn).encode("utf-8"))
    page = out / "index.html"
    _write(page, _html(tables, images, font, result["errors"]).encode("utf-8"))
    result["html"] = str(page)


def _draw(region_year: Rows, font: str | None, out: Any, result: dict[str, Any]) -> dict[str, bytes]:
    """Draw every chart into `out`; a chart that fails is left out and named in result['errors']."""
    images: dict[str, bytes] = {}
    for key, chart in (("pass_rate", pass_rate_chart), ("revocations", revocations_chart)):
        target = out / CHARTS[key]
        try:
            images[key] = chart(region_year, font)
            _write(target, images[key])
            result["charts"].append(str(target))
        except Exception as exc:  # a chart that cannot be drawn never fails the build
            images.pop(key, None)
            target.unlink(missing_ok=True)
            result["errors"].append(f"{CHARTS[key]}: {type(exc).__name__}: {exc}")
    return images
