"""Automatic service-area tags from the keyword rulebook, as plain functions over text.

The rulebook's rows are judgements.TaggingRule; `TaggingRule.objects.rulebook()` compiles
them and `ServiceAreaTag.objects.create_automatic()` tags imported findings with it, so
that the importer (in the reports app) meets this code only through those models.
"""

import re
from dataclasses import dataclass


def compile_rules(rules):
    """[(service area id, compiled pattern)] for (service area id, pattern) pairs, each
    matched case-insensitively at word boundaries."""
    return [
        (area_id, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for area_id, pattern in rules
    ]


def suggest(text, rulebook):
    """The ids of the service areas whose rules match `text`."""
    return {area_id for area_id, pattern in rulebook if pattern.search(text)}


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


def agreement(areas, tagged_texts, rulebook):
    """Per service area, how the rulebook's suggestions agree with tags a person made.

    `areas` are (id, name) pairs; `tagged_texts` (text, {ids of its manual tags}) pairs.
    Precision: the share of suggestions a person also made; recall: the share of manual
    tags the rules found. Returns one Agreement per area and, last, their total."""
    counts = {area_id: [name, 0, 0, 0] for area_id, name in areas}
    for text, manual in tagged_texts:
        automatic = suggest(text, rulebook)
        for area_id in manual:
            counts[area_id][1] += 1
        for area_id in automatic:
            counts[area_id][2] += 1
        for area_id in manual & automatic:
            counts[area_id][3] += 1
    rows = [Agreement(*values) for values in counts.values()]
    total = Agreement(
        "All service areas",
        sum(row.manual for row in rows),
        sum(row.automatic for row in rows),
        sum(row.both for row in rows),
    )
    return [*rows, total]
