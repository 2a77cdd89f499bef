"""{% kept %}: Django's {% cache %} fragment tag, except that a shared cache that is away
or too slow (Redis down) renders the fragment afresh instead of failing the page, as
every other cached answer does (harrow_inspection.data_version.CACHE_ERRORS)."""

from django import template
from django.templatetags.cache import CacheNode, do_cache

from harrow_inspection.data_version import CACHE_ERRORS

register = template.Library()


class KeptNode(CacheNode):
    def render(self, context):
        try:
            return super().render(context)
        except CACHE_ERRORS:
            return self.nodelist.render(context)


@register.tag("kept")
def do_kept(parser, token):
    node = do_cache(parser, token)  # parses up to {% endcache %}
    node.__class__ = KeptNode
    return node
