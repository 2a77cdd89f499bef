from django import template

from harrow_inspection.addresses import address as remembered
from harrow_inspection.addresses import static_address

register = template.Library()


@register.simple_tag
def address(name):
    """{% url name %} for an address without parameters, reversed once per process."""
    return remembered(name)


@register.simple_tag
def static_file(path):
    """{% static path %}, worked out once per process (harrow_inspection.addresses)."""
    return static_address(path)
