"""Web archives (.mht, .mhtml): the page's HTML taken from the MIME message with the standard
library's email package, then read by the HTML path like any saved page."""

from __future__ import annotations

import email
import email.policy

from .model import Part, Reading
from .safety import Rejected


def read_mhtml(data: bytes) -> Reading:
    message = email.message_from_bytes(data, policy=email.policy.default)
    fallback = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in ("text/html", "text/plain"):
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # an unknown charset: the bytes as GB18030, losses replaced
            content = (part.get_payload(decode=True) or b"").decode("gb18030", "replace")
        if kind == "text/html":
            return Reading("mhtml", html=content)
        fallback = fallback or content
    if fallback is not None:
        return Reading("mhtml", [Part(None, fallback.splitlines())])
    raise Rejected("web archive without an HTML or text part; open it in a browser and save it as .html")
