"""Full-text search, configured once for every app: PostgreSQL's English configuration,
web-search syntax for what people type, and the markers that highlight matches."""

from django.contrib.postgres.search import SearchQuery

SEARCH_CONFIG = "english"  # PostgreSQL text search configuration: English stemming

# PostgreSQL's ts_headline marks matches with these (private-use characters that report
# text does not contain); they become <mark> only after the text has been escaped.
MATCH_START, MATCH_END = "\ue000", "\ue001"


def search_query(text):
    """PostgreSQL's websearch syntax: "care leavers" -housing, or, and quoted phrases."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def highlight(escaped_html):
    """Search matches marked by `MATCH_START`/`MATCH_END` in already escaped text, as
    <mark>."""
    return escaped_html.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
