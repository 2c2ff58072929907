"""The host a page's own organisation is: '我院承建的无锡市第十四职业技能鉴定所' on the site of
无锡汇能技师学院.

An institution's own news (a college reporting the grade its station was given) names its host
only as 我院, 我校, 我公司 …; the page names the speaker once, as its site title (its first line) or
its copyright holder. When that name is an organisation of the kind the self-reference says (我院:
…学院, 我校: …学校), it is the host of the institutions said to be built by it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..vocabulary import SELF_REFERENCES
from .document import Document
from .items import fills_name_position
from .model import InstitutionItem

_COPYRIGHT_RE = re.compile(
    r"(?:©|copyright|版权所有)[\s©:：]*(?:\d{4}(?:-\d{4})?)?\s*(?P<owner>[^\s|©]{4,30}?)\s*(?:版权所有|$)",
    re.IGNORECASE,
)
_BUILT_RE = re.compile("(?P<ref>" + "|".join(SELF_REFERENCES) + ")(?:承建|主办|依托|设立|建设)?的?$")
_OWNER_LINES = 3  # the site title stands in the page's first lines


def site_owner(doc: Document) -> str | None:
    """The organisation whose page this is: its site title, else its copyright holder."""
    for line in doc.lines[:_OWNER_LINES]:
        title = line.strip()
        if title and fills_name_position(title):
            return title
    for line in reversed(doc.lines):
        if (m := _COPYRIGHT_RE.search(line)) and fills_name_position(m.group("owner")):
            return m.group("owner")
    return None


def with_own_hosts(doc: Document, items: list[InstitutionItem]) -> list[InstitutionItem]:
    """Items without a host that their line says the page's owner built (我院承建的X): hosted by it."""
    if "我" not in doc.text or not items:
        return items
    owner = site_owner(doc)
    if owner is None:
        return items
    out = []
    for item in items:
        text = doc.lines[item.line - 1] if 0 < item.line <= len(doc.lines) else ""
        at = text.find(item.name) if item.host is None else -1
        built = _BUILT_RE.search(text, max(0, at - 8), at) if at > 0 else None
        kind = built.group("ref")[1:] if built else None  # 我院 -> 院
        out.append(replace(item, host=owner) if kind and owner.endswith(kind) else item)
    return out
