"""Automatic service-area tags from the keyword rulebook (judgements.TaggingRule)."""

import re
from dataclasses import dataclass

from judgements.models import ServiceArea, TaggingRule


def load_rules():
    """[(service area id, compiled pattern)] for every rule, matched at word boundaries."""
    return [
        (rule.service_area_id, re.compile(rf"\b(?:{rule.pattern})\b", re.IGNORECASE))
        for rule in TaggingRule.objects.all()
    ]


def suggest(text, rules):
    """The ids of the service areas whose rules match `text`."""
    return {area_id for area_id, pattern in rules if pattern.search(text)}


@dataclass(frozen=True)
class Agreement:
    service_area: str
    manual: int
    automatic: int
    both: int

    @property
    def precision(self):
        return self.both / self.automatic if self.automatic else None

    @property
    def recall(self):
        return self.both / self.manual if self.manual else None


def agreement(findings):
    """Per service area: how the rulebook's suggestions for `findings` agree with their
    manual tags (precision: share of suggestions a person also made; recall: share of
    manual tags the rules found)."""
    rules = load_rules()
    counts = {area.pk: [area.name, 0, 0, 0] for area in ServiceArea.objects.all()}
    for finding in findings.prefetch_related("tags"):
        manual = {t.service_area_id for t in finding.tags.all() if t.source == "manual"}
        automatic = suggest(finding.text, rules)
        for area_id in manual:
            counts[area_id][1] += 1
        for area_id in automatic:
            counts[area_id][2] += 1
        for area_id in manual & automatic:
            counts[area_id][3] += 1
    return [Agreement(*values) for values in counts.values()]
