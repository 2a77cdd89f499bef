from django import template

from judgements import listing

register = template.Library()


@register.simple_tag
def grade_tag(grade):
    """A GOV.UK tag for a grade number, e.g. <strong class="govuk-tag …">Good</strong>."""
    return listing.grade_tag(grade)
