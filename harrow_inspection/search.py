"""Full-text search, configured once for every app: PostgreSQL's English configuration,
web-search syntax for what people type, and the markers that highlight matches."""

import secrets

from django.contrib.postgres.search import SearchQuery

SEARCH_CONFIG = "english"  # PostgreSQL text search configuration: English stemming

# PostgreSQL's ts_headline marks matches with these; they become <mark> only after the
# text has been escaped. Each is a private-use character around a random number made
# when the process starts, so no stored text can contain one: a finding or PDF holding
# U+E000 or U+E001 itself shows them as they are, never as a highlight.
_NONCE = secrets.token_hex(8)
MATCH_START, MATCH_END = f"\ue000{_NONCE}\ue000", f"\ue001{_NONCE}\ue001"


def search_query(text):
    """PostgreSQL's websearch syntax: "care leavers" -housing, or, and quoted phrases."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def highlight(escaped_html):
    """Search matches marked by `MATCH_START`/`MATCH_END` in already escaped text, as
    <mark>."""
    return escaped_html.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
