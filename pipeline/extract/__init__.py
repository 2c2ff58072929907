"""Step 3, extracted: one normalized notice -> its metadata, graded institutions, counts and volumes.

`extract_notice(text)` is a pure function of the normalized text; it never raises on odd input
(the caller still guards it) and reports what it cannot resolve as warnings.
"""

from __future__ import annotations

from operator import attrgetter

from ..issues import Issue
from ..names import canonical_name
from ..regions import NATIONAL
from ..registry import GRADES
from ..vocabulary import FAILED_OUTCOMES, UNION_LABELS
from .counts import find_stated_counts, is_stock_figure, without_listed_splits, without_split_headings
from .document import Document
from .items import ORDINAL_TAIL_RE, SHORT_ORDINAL_RE
from .lists import find_listed
from .locate import find_region, find_sector, lead_sector
from .metadata import (
    doc_number_year,
    find_doc_number,
    find_evaluation_year,
    find_issuer,
    find_publish_date,
    find_title,
    full_issuer_name,
    notice_years,
)
from .model import Extraction, InstitutionItem, VolumeFigure
from .owner import with_own_hosts
from .positions import apply_positions
from .prose import find_inline
from .ratings import apply_ratings, rating_definitions
from .relevance import judge
from .tables import comma_tables_as_tabs
from .volumes import find_volumes

__all__ = ["Extraction", "InstitutionItem", "VolumeFigure", "extract_notice"]


def _merge_stated(x: Extraction, graded: list[tuple[str, int, str]], totals: list[tuple[int, str]]) -> None:
    """First statement of each count wins; a different later one is a warning, not an overwrite."""
    seen = set(x.issues)  # a set: a notice may state thousands of counts
    for key, n, _evidence in [*graded, *((("total", n, e) for n, e in totals))]:
        if key not in x.stated:
            x.stated[key] = n
        elif x.stated[key] != n:
            issue = Issue("counts_conflict", f"text states {key} as both {x.stated[key]} and {n}")
            if issue not in seen:
                seen.add(issue)
                x.issues.append(issue)


_BY_LINE = attrgetter("line")


def _dedupe(
    listed: list[InstitutionItem], inline: list[InstitutionItem], province_code: str | None
) -> list[InstitutionItem]:
    """One row per (name, grade): a list item wins over the same name mentioned in prose. Names are
    compared as keys see them (`names.canonical_name`): 第二 in the body is 第2 in the list."""
    seen: set[tuple[str, str]] = set()
    out = []
    _full_ordinal_names([*listed, *inline])  # (第24站 in the prose is the table's …鉴定第24站)
    # list and table items first, then prose ones (find_inline's), each in line order
    for item in [*sorted(listed, key=_BY_LINE), *sorted(inline, key=_BY_LINE)]:
        key = (canonical_name(item.name, province_code), item.grade)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return sorted(_final_outcomes(out, province_code), key=_BY_LINE)


def _full_ordinal_names(items: list[InstitutionItem]) -> list[InstitutionItem]:
    """A name that is only a number (…第31站、第44站, 第十九站) takes the prefix of the full name
    written before it in the notice (铁路行业职业技能鉴定第44站), as the reader does; before any, the
    prefix every full name in the notice has, when they all have one (a table after the prose)."""
    prefixes = {full.group("prefix") for item in items if (full := ORDINAL_TAIL_RE.match(item.name))}
    prefix = next(iter(prefixes)) if len(prefixes) == 1 else None
    for item in sorted(items, key=_BY_LINE):
        if full := ORDINAL_TAIL_RE.match(item.name):
            prefix = full.group("prefix")
        elif prefix and SHORT_ORDINAL_RE.match(item.name):
            item.name = prefix + item.name
    return items


def _final_outcomes(items: list[InstitutionItem], province_code: str | None) -> list[InstitutionItem]:
    """One outcome per institution: a grade read from a 不合格 (which may end in several outcomes)
    yields to a final outcome the notice gives the same institution elsewhere (撤销备案, 暂停…)."""
    keys = [canonical_name(i.name, province_code) for i in items]
    final = {
        key
        for key, i in zip(keys, items, strict=True)
        if i.grade in FAILED_OUTCOMES and i.grade_label not in UNION_LABELS
    }
    return [
        i for key, i in zip(keys, items, strict=True) if not (i.grade_label in UNION_LABELS and key in final)
    ]


def extract_notice(text: str) -> Extraction:
    doc = Document(comma_tables_as_tabs(text))
    x = Extraction()
    x.title, title_line = find_title(doc)
    x.doc_number = find_doc_number(doc)
    x.publish_date = find_publish_date(doc)
    x.issuer = find_issuer(doc, x.title, title_line, x.publish_date)
    x.sector = find_sector(x.title, x.issuer)
    x.region, region_source = find_region(doc, x.title, x.issuer, x.doc_number, x.sector)
    if x.region is None and (sector := lead_sector(doc)):
        x.sector, x.region, region_source = sector, NATIONAL, "sector"  # an industry portal's report
    x.issuer = full_issuer_name(x.issuer, x.region)
    x.evaluation_year = find_evaluation_year(doc, x.title, x.publish_date)
    if x.evaluation_year is None and x.doc_number:
        x.evaluation_year = doc_number_year(x.doc_number)  # the year of issue, as a last resort

    listed, inline = find_listed(doc), find_inline(doc)
    graded, totals = find_stated_counts(doc, notice_years(x.title, x.evaluation_year))
    ratings = rating_definitions(doc)
    headings = without_split_headings(listed.stated, graded)
    stated = apply_ratings(ratings, [*listed.items, *inline.items], headings + inline.stated + graded)
    apply_positions(doc, [*listed.items, *inline.items])
    x.institutions = _dedupe(listed.items, inline.items, x.region.province_code if x.region else None)
    x.institutions = with_own_hosts(doc, x.institutions)
    _merge_stated(x, without_listed_splits(stated, x.institutions), totals or listed.totals)
    x.stock_total = bool(totals) and is_stock_figure(totals[0][1])
    x.issues += listed.issues
    x.volumes = find_volumes(doc, x.region, x.evaluation_year)

    x.status, x.status_reason = judge(doc, x)
    if x.status != "ok":
        x.institutions, x.volumes, x.stated = [], [], {}
        return x
    if region_source == "text":
        x.issues.append(
            Issue("region_inferred", f"region inferred from place names in the text: {x.region.name}")
        )
    if x.region is None:
        x.issues.append(
            Issue(
                "region_unresolved",
                "region unresolved: no issuer, title, doc-number abbreviation or place names to go by",
            )
        )
    if x.evaluation_year is None:
        x.issues.append(Issue("year_unresolved", "evaluation year unresolved"))
    named_of_n = {i.grade for i in x.institutions if i.source == "named_of_n"}
    listed_counts = x.listed()
    for grade in GRADES:
        stated, n_listed = x.stated.get(grade), listed_counts.get(grade, 0)
        if stated is not None and n_listed and stated != n_listed and grade not in named_of_n:
            x.issues.append(
                Issue(
                    "counts_disagree",
                    f"stated and listed counts disagree: {grade} stated {stated}, listed {n_listed}",
                )
            )
    return x
