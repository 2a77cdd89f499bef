from django import template
from django.utils.html import format_html

from judgements.models import Grade

register = template.Library()

# The grade is always written out: colour only repeats what the words say.
COLOURS = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--teal",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Grade.INADEQUATE: "govuk-tag--red",
}


@register.simple_tag
def grade_tag(grade):
    """A GOV.UK tag for a grade number, e.g. <strong class="govuk-tag …">Good</strong>."""
    grade = Grade(grade)
    return format_html('<strong class="govuk-tag {}">{}</strong>', COLOURS[grade], grade.label)
