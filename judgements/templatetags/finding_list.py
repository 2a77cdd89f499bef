from django import template

from judgements.facets import checkboxes
from judgements.listing import articles

register = template.Library()


@register.simple_tag(takes_context=True)
def finding_articles(context, rows):
    """The findings `rows` (judgements.listing.listed) as the list's <article>s."""
    return articles(rows, context.get("glossary_terms") or {})


@register.simple_tag
def facet_checkboxes(facet):
    """A facet's checkboxes in the filter panel (judgements.facets.checkboxes)."""
    return checkboxes(facet)
