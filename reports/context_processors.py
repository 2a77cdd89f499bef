from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from harrow_inspection import data_version
from harrow_inspection.addresses import address
from reports.models import GlossaryTerm

NAVIGATION = [
    ("Inspections", "reports:home"),
    ("Local authorities", "reports:comparison"),
    ("Findings", "judgements:finding-list"),
    ("Service areas", "judgements:service-area-list"),
    ("Glossary", "reports:glossary"),
]


@lru_cache(maxsize=64)
def _navigation_html(navigation):
    """The navigation's items as HTML: the same for every page under the same item (and
    address prefix), so rendered once per process for each."""
    items = [
        {"label": label, "href": href, "current": current} for label, href, current in navigation
    ]
    return render_to_string("includes/navigation.html", {"navigation": items})


def site(request):
    """The main navigation, and the glossary as {abbreviation: expansion} (read only by
    pages that show report text, and once per data change: it was one query on every
    finding's page and every list of findings)."""
    navigation = []
    for label, name in NAVIGATION:
        href = address(name)
        if href == "/":
            current = request.path == "/" or request.path.startswith("/inspections/")
        else:
            current = request.path.startswith(href)
        navigation.append((label, href, current))
    return {
        "navigation_html": _navigation_html(tuple(navigation)),
        "glossary_terms": SimpleLazyObject(
            lambda: data_version.cached(
                "glossary-terms",
                lambda: dict(GlossaryTerm.objects.values_list("abbreviation", "expansion")),
                data_version.for_counts(request),
            )
        ),
    }
