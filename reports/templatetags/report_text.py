"""Showing report text safely: escaped, with abbreviations explained and search matches
highlighted."""

import re
import secrets

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# PostgreSQL's ts_headline marks matches with these; they become <mark> only after the
# text has been escaped. Each is a private-use character around a random number made
# when the process starts, so no stored text can contain one: a finding or PDF holding
# U+E000 or U+E001 itself shows them as they are, never as a highlight.
_NONCE = secrets.token_hex(8)
MATCH_START, MATCH_END = f"\ue000{_NONCE}\ue000", f"\ue001{_NONCE}\ue001"


def abbreviations_pattern(terms):
    if not terms:
        return None
    words = "|".join(re.escape(word) for word in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b({words})(s?)\b")


def render_report_text(text, terms):
    """`text` escaped; each glossary abbreviation in an <abbr title="expansion">; search
    matches in <mark>."""
    html = escape(text)
    pattern = abbreviations_pattern(terms)
    if pattern:
        html = pattern.sub(
            lambda m: f'<abbr title="{escape(terms[m[1]])}">{m[1]}{m[2]}</abbr>', html
        )
    html = html.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - built from escaped text above


@register.simple_tag(takes_context=True)
def report_text(context, text):
    return render_report_text(text, context.get("glossary_terms") or {})
