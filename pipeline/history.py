"""institution_history: one row per institution per evaluation year, linked across notices and years.

Rules (also in docs/definitions.md):
- An institution is its `institution_key` (see `curate.institution_key`): the notice's province code
  and the name with script, bracket width, spacing, list numbering, ordinal style (第六 / 第6), 国家
  and the host parenthetical evened out.
- Several rows for one key and year (a provincial and a city notice, a draft and a final notice, a
  name both in the body and in the list) give one row: the row from the notice that region_year
  used for its counts (count_notice_id) wins, then the later publish date, then the larger
  notice_id; within that notice the most severe grade wins (revoked, deregistered, suspended,
  rectify, conditional, pass, excellent). Every notice naming it that year is in notice_ids; the
  other grades given to it that year, if any, are in other_grades.
- previous_year / previous_grade: the latest earlier evaluation year in which the key has a row
  (not necessarily the year before); transition = '<previous_grade>-><grade>', e.g.
  'rectify->revoked', null in the institution's first year in the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .registry import INSTITUTION_HISTORY, INSTITUTIONS
from .storage import frame_to_arrow, to_arrow

Rows = list[dict[str, Any]]
SEVERITY = ("revoked", "deregistered", "suspended", "rectify", "conditional", "pass", "excellent")
_SEVERITY = {grade: i for i, grade in enumerate(SEVERITY)}


def severity(grade: str) -> int:
    """Rank of a grade in SEVERITY, 0 the most severe; an unknown grade ranks after every known one."""
    return _SEVERITY.get(grade, len(SEVERITY))


def build_history(institutions: Rows | pa.Table, notices: Rows, region_year: Rows) -> pa.Table:
    """institutions.parquet rows -> institution_history (see the module docstring), column-wise.

    Only the columns that choose and link rows become pandas columns; the chosen rows' other
    columns are taken from the Arrow table as they are."""
    table = to_arrow(institutions, INSTITUTIONS, sort=False)
    has_key = pc.and_(pc.is_valid(table["institution_key"]), pc.not_equal(table["institution_key"], ""))
    table = table.filter(pc.and_(has_key, pc.is_valid(table["evaluation_year"])))
    frame = table.select(_CHOOSING).to_pandas()
    group = ["institution_key", "evaluation_year"]
    by_id = {n["notice_id"]: n for n in notices}
    counted = {r["count_notice_id"] for r in region_year if r.get("count_notice_id")}
    published = {
        i: (d.toordinal() if (d := by_id.get(i, {}).get("publish_date")) else -1)
        for i in frame["notice_id"].unique()
    }
    # the winner of each institution-year is the largest of this rank (see the module docstring);
    # rows that tie on all of it keep their order, the first one winning. np.lexsort: last key first.
    frame["group_id"] = frame.groupby(group, sort=True).ngroup()  # numbered in key, year order
    group_id = frame["group_id"].to_numpy()
    order = np.lexsort(
        (
            -np.arange(len(frame)),
            -frame["line"].fillna(0).to_numpy(),
            -frame["grade"].map(_SEVERITY).fillna(len(SEVERITY)).to_numpy(),  # severity(), vectorized
            pd.factorize(frame["notice_id"], sort=True)[0],
            frame["notice_id"].map(published).to_numpy(),
            frame["notice_id"].isin(counted).to_numpy(),
            group_id,
        )
    )
    last_of_group = np.append(group_id[order][1:] != group_id[order][:-1], True) if len(order) else order
    chosen = order[last_of_group]  # one row per group, in key, year order
    best = frame.iloc[chosen].reset_index(drop=True)

    # every notice naming the institution that year, and the other grades given: sorted lists per
    # group, built column-wise (best's row i is group i)
    not_chosen_grade = frame["grade"].to_numpy() != best["grade"].to_numpy()[group_id]
    lists = {
        "notice_ids": _sorted_sets(group_id, frame["notice_id"], len(best)),
        "other_grades": _sorted_sets(group_id, frame["grade"], len(best), not_chosen_grade),
    }
    # a host from another row: only institution-years named more than once
    shared = frame[frame.duplicated(group, keep=False)]
    hosts: dict[int, str] = {}
    for gid, host in zip(shared["group_id"].tolist(), shared["host_organization"].tolist(), strict=True):
        if host and isinstance(host, str) and gid not in hosts:
            hosts[gid] = host  # the first host given, in row order
    gids = best["group_id"].tolist()
    best["host_organization"] = [
        h if h and isinstance(h, str) else hosts.get(g)
        for g, h in zip(gids, best["host_organization"].tolist(), strict=True)
    ]
    for column in ("province_code", "province_name"):
        best[column] = best["notice_id"].map({i: n.get(column) for i, n in by_id.items()})

    by_key = best.groupby("institution_key", sort=False)  # best is sorted by key, then year
    best["first_year"] = by_key["evaluation_year"].transform("first")
    best["previous_year"] = by_key["evaluation_year"].shift(1)
    best["previous_grade"] = by_key["grade"].shift(1)
    best["transition"] = (best["previous_grade"] + "->" + best["grade"]).where(best["previous_grade"].notna())
    computed = frame_to_arrow(best.drop(columns="group_id"), INSTITUTION_HISTORY)
    taken = table.take(pa.array(chosen, pa.int64()))  # the chosen rows, in the same order
    history = pa.Table.from_arrays(
        [
            taken[c] if c in _TAKEN else lists[c] if c in lists else computed[c]
            for c in INSTITUTION_HISTORY.column_names
        ],
        schema=INSTITUTION_HISTORY.schema(),
    )
    return history  # in the sort order already (key, year): `chosen` follows ngroup(sort=True)


def _sorted_sets(
    group_id: np.ndarray, values: pd.Series, n_groups: int, keep: np.ndarray | None = None
) -> pa.ListArray:
    """For each group 0..n_groups-1, the distinct `values` of its rows (those `keep` marks), sorted,
    as one Arrow list per group (an empty list when none is kept)."""
    pairs = pd.DataFrame({"group": group_id, "value": values.to_numpy()})
    if keep is not None:
        pairs = pairs[keep]
    pairs = pairs.drop_duplicates().sort_values(["group", "value"], kind="stable")
    counts = np.bincount(pairs["group"].to_numpy(), minlength=n_groups)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(pairs["value"].to_numpy(), pa.string()))


# the columns that choose each institution-year's row and link the years; the other columns of the
# chosen row are taken as they are
_CHOOSING = ["institution_key", "evaluation_year", "notice_id", "grade", "line", "host_organization"]
_TAKEN = [
    c for c in INSTITUTIONS.column_names if c in INSTITUTION_HISTORY.column_names and c not in _CHOOSING
]
