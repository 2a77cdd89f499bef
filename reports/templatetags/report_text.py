"""Showing report text safely: escaped, with abbreviations explained and search matches
highlighted."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from harrow_inspection.search import highlight

register = template.Library()


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
    return mark_safe(highlight(html))  # noqa: S308 - built from escaped text above


@register.simple_tag(takes_context=True)
def report_text(context, text):
    return render_report_text(text, context.get("glossary_terms") or {})
