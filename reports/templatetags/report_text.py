"""Showing report text safely: escaped, with abbreviations explained and search matches
highlighted (harrow_inspection.report_text)."""

from django import template

from harrow_inspection.report_text import render_report_text

register = template.Library()


@register.simple_tag(takes_context=True)
def report_text(context, text):
    return render_report_text(text, context.get("glossary_terms") or {})
