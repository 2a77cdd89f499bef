"""Full-text search, configured once for every app: PostgreSQL's English configuration,
web-search syntax for what people type, and the markers that highlight matches."""

import secrets

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Func, TextField, Value
from django.db.models.functions import Replace

SEARCH_CONFIG = "english"  # PostgreSQL text search configuration: English stemming

# What a search treats as the same character, in the search vector and in the query (the
# text shown stays as printed): every dash and hyphen as "-" (PostgreSQL's parser splits
# "multi-agency" printed with a non-breaking hyphen, U+2011, so the phrase never matched),
# curly quotes and primes as straight ones (so a phrase pasted in curly quotes is a
# phrase), odd spaces as spaces, and ligatures as their letters.
SAME_CHARACTERS = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\uff02", '"'),
    **dict.fromkeys("\u00a0\u2007\u202f", " "),
}
LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_TABLE = str.maketrans({**SAME_CHARACTERS, **LIGATURES})


def normalised(text):
    """`text` as the search reads it (SAME_CHARACTERS, LIGATURES)."""
    return text.translate(_TABLE)


def normalised_in_database(expression):
    """The database expression of `expression` as the search reads it: PostgreSQL's
    translate() for the one-for-one characters and replace() for each ligature, both
    immutable, so usable in a generated column. The same mapping as normalised()."""
    text = TextField()
    result = Func(
        expression,
        Value("".join(SAME_CHARACTERS), output_field=text),
        Value("".join(SAME_CHARACTERS.values()), output_field=text),
        function="translate",
        output_field=text,
    )
    for ligature, letters in LIGATURES.items():
        result = Replace(
            result, Value(ligature, output_field=text), Value(letters, output_field=text)
        )
    return result


# PostgreSQL's ts_headline marks matches with these; they become <mark> only after the
# text has been escaped. Each is a private-use character around a random number made
# when the process starts, so no stored text can contain one: a finding or PDF holding
# U+E000 or U+E001 itself shows them as they are, never as a highlight.
_NONCE = secrets.token_hex(8)
MATCH_START, MATCH_END = f"\ue000{_NONCE}\ue000", f"\ue001{_NONCE}\ue001"


def search_query(text):
    """PostgreSQL's websearch syntax: "care leavers" -housing, or, and quoted phrases;
    typographic dashes, quotes and ligatures read as in the search vector."""
    return SearchQuery(normalised(text), search_type="websearch", config=SEARCH_CONFIG)


def searches_for_no_word(text):
    """Whether PostgreSQL reads `text` as no searchable word at all: only words too
    common to index ("the", "and") or only punctuation. Such a search matches nothing, and
    the page says why rather than a bare "No findings match"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) = 0",
            [SEARCH_CONFIG, normalised(text)],
        )
        return cursor.fetchone()[0]


def highlight(escaped_html):
    """Search matches marked by `MATCH_START`/`MATCH_END` in already escaped text, as
    <mark>."""
    return escaped_html.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
