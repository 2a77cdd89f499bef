"""Report text as HTML, safely: escaped, with abbreviations explained and search matches
highlighted. Used by the `{% report_text %}` tag and by the pages that build their
repeated parts in Python (judgements/listing.py)."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from harrow_inspection.search import highlight

# The glossary's pattern, made once per glossary rather than once per paragraph shown: the
# glossary changes only with the data, and a list of findings shows twenty paragraphs.
_PATTERNS = {}


def abbreviations_pattern(terms):
    if not terms:
        return None
    key = frozenset(terms)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        words = "|".join(re.escape(word) for word in sorted(terms, key=len, reverse=True))
        pattern = re.compile(rf"\b({words})(s?)\b")
        if len(_PATTERNS) > 8:  # glossaries of earlier data versions
            _PATTERNS.clear()
        _PATTERNS[key] = pattern
    return pattern


def render_report_text(text, terms):
    """`text` escaped; each glossary abbreviation in an <abbr title="expansion">; search
    matches in <mark>."""
    html = escape(text)
    pattern = abbreviations_pattern(terms)
    if pattern:
        html = pattern.sub(
            lambda m: f'<abbr title="{escape(terms[m[1]])}">{m[1]}{m[2]}</abbr>', html
        )
    return mark_safe(highlight(html))  # noqa: S308 - built from escaped text above
