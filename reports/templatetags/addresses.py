from django import template

from harrow_inspection.addresses import address as remembered

register = template.Library()


@register.simple_tag
def address(name):
    """{% url name %} for an address without parameters, reversed once per process."""
    return remembered(name)
