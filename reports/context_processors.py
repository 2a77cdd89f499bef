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
        navigation.append({"label": label, "href": href, "current": current})
    return {
        "navigation": navigation,
        "glossary_terms": SimpleLazyObject(
            lambda: data_version.cached(
                "glossary-terms",
                lambda: dict(GlossaryTerm.objects.values_list("abbreviation", "expansion")),
                data_version.for_counts(request),
            )
        ),
    }
