"""Staff decisions on automatic tags and evidence links: the review queue's writes.

Each function is one transaction, records who decided what (ReviewDecision) and leaves
the tags and links' own history (django-simple-history) to say what changed, with the
member of staff as its author. A confirmed tag or link is never changed by re-tagging
(ServiceAreaTag.objects.retag); neither is a finding marked "none of the service areas".
"""

from django.db import transaction
from django.db.models import Count, Q

from judgements.models import (
    Decision,
    EvidenceLink,
    Finding,
    LinkSource,
    ReviewDecision,
    ServiceAreaTag,
    TagSource,
)


def _as(record, user):
    record._history_user = user  # simple_history records this as the change's author
    return record


def _decided(*, user, **fields):
    return ReviewDecision(decided_by=user, **fields)


def tags_as_shown(tags):
    """A paragraph's tags as the queue shows them, each area and whether it was checked:
    the form sends this back, and a decision stands only if the tags are still so (a
    stale tab, or someone else's edit meanwhile, changes nothing)."""
    return " ".join(sorted(f"{t.service_area.slug}{'+' if t.confirmed else ''}" for t in tags))


def links_as_shown(links):
    """A point's evidence links as the queue shows them (see tags_as_shown)."""
    return " ".join(sorted(f"{k.finding.number}{'+' if k.confirmed else ''}" for k in links))


@transaction.atomic
def review_finding(*, finding, areas, user, none_fits=False):
    """Set `finding`'s service areas to `areas` (ServiceAreas), all confirmed: automatic
    tags kept are confirmed, those left out are rejected (deleted), new ones are added as
    a person's. With `none_fits` (and no areas) the finding is marked as having none.
    Returns the decisions made."""
    areas = {area.pk: area for area in areas}
    if none_fits and areas:
        raise ValueError("Choose service areas or “none of these”, not both.")
    if not areas and not none_fits:
        raise ValueError("Choose at least one service area, or “none of these” if no area fits.")
    decisions = []
    for tag in ServiceAreaTag.objects.filter(finding=finding).select_related("service_area"):
        automatic = tag.source == TagSource.AUTOMATIC
        if tag.service_area_id in areas:
            if not tag.confirmed:
                tag.confirmed = True
                _as(tag, user).save(update_fields=["confirmed"])
                decisions.append(
                    _decided(user=user, kind="tag", decision=Decision.CONFIRMED,
                             finding=finding, service_area=tag.service_area,
                             automatic=automatic, tagger=tag.tagger)
                )  # fmt: skip
            areas.pop(tag.service_area_id)
        else:
            decisions.append(
                _decided(user=user, kind="tag", decision=Decision.REJECTED, finding=finding,
                         service_area=tag.service_area, automatic=automatic, tagger=tag.tagger)
            )  # fmt: skip
            _as(tag, user).delete()
    for area in areas.values():
        _as(ServiceAreaTag(finding=finding, service_area=area), user).save()
        decisions.append(
            _decided(user=user, kind="tag", decision=Decision.ADDED, finding=finding,
                     service_area=area, automatic=False)
        )  # fmt: skip
    if finding.no_service_area != none_fits:
        finding.no_service_area = none_fits
        Finding.objects.filter(pk=finding.pk).update(no_service_area=none_fits)
        if none_fits:
            decisions.append(
                _decided(user=user, kind="tag", decision=Decision.NONE, finding=finding,
                         automatic=False)
            )  # fmt: skip
    return ReviewDecision.objects.bulk_create(decisions)


@transaction.atomic
def review_action(*, action, numbers, user):
    """Set `action`'s evidence to the paragraphs numbered `numbers` (of the same report),
    all confirmed, as review_finding does for tags. Returns the decisions made."""
    numbers = set(numbers)
    findings = {
        finding.number: finding
        for finding in Finding.objects.filter(inspection_id=action.inspection_id)
    }
    unknown = sorted(numbers - set(findings))
    if unknown:
        raise ValueError(
            "This report has no paragraph "
            + ", ".join(str(n) for n in unknown)
            + f": its paragraphs are numbered 1 to {max(findings, default=0)}."
        )
    decisions = []
    for link in EvidenceLink.objects.filter(action=action).select_related("finding"):
        automatic = link.source == LinkSource.AUTOMATIC
        if link.finding.number in numbers:
            if not link.confirmed:
                link.confirmed = True
                _as(link, user).save(update_fields=["confirmed"])
                decisions.append(
                    _decided(user=user, kind="link", decision=Decision.CONFIRMED,
                             finding=link.finding, action=action, automatic=automatic)
                )  # fmt: skip
            numbers.discard(link.finding.number)
        else:
            decisions.append(
                _decided(user=user, kind="link", decision=Decision.REJECTED,
                         finding=link.finding, action=action, automatic=automatic)
            )  # fmt: skip
            _as(link, user).delete()
    for number in sorted(numbers):
        _as(EvidenceLink(action=action, finding=findings[number]), user).save()
        decisions.append(
            _decided(user=user, kind="link", decision=Decision.ADDED,
                     finding=findings[number], action=action, automatic=False)
        )  # fmt: skip
    return ReviewDecision.objects.bulk_create(decisions)


@transaction.atomic
def unchecked(inspection):
    """(tags, links): the querysets of `inspection`'s tags and evidence links nobody has
    checked, which confirm_report confirms and its confirmation page counts."""
    return (
        ServiceAreaTag.objects.filter(finding__inspection=inspection, confirmed=False),
        EvidenceLink.objects.filter(action__inspection=inspection, confirmed=False),
    )


def confirm_report(*, inspection, user):
    """Confirm every unchecked automatic tag and evidence link of `inspection` as it is.
    Returns (tags confirmed, links confirmed)."""
    decisions = []
    tags, links = unchecked(inspection)
    for tag in tags.select_related("finding", "service_area"):
        tag.confirmed = True
        _as(tag, user).save(update_fields=["confirmed"])
        decisions.append(
            _decided(user=user, kind="tag", decision=Decision.CONFIRMED, finding=tag.finding,
                     service_area=tag.service_area, automatic=tag.source == TagSource.AUTOMATIC,
                     tagger=tag.tagger)
        )  # fmt: skip
    for link in links.select_related("finding", "action"):
        link.confirmed = True
        _as(link, user).save(update_fields=["confirmed"])
        decisions.append(
            _decided(user=user, kind="link", decision=Decision.CONFIRMED, finding=link.finding,
                     action=link.action, automatic=link.source == LinkSource.AUTOMATIC)
        )  # fmt: skip
    ReviewDecision.objects.bulk_create(decisions)
    tag_count = sum(1 for d in decisions if d.kind == "tag")
    return tag_count, len(decisions) - tag_count


def queue(inspections):
    """`inspections` annotated with their unchecked tags and links, most to check first."""
    return (
        inspections.annotate(
            unchecked_tags=Count(
                "findings__tags", filter=Q(findings__tags__confirmed=False), distinct=True
            ),
            unchecked_links=Count(
                "improvement_actions__evidence_links",
                filter=Q(improvement_actions__evidence_links__confirmed=False),
                distinct=True,
            ),
        )
        .filter(Q(unchecked_tags__gt=0) | Q(unchecked_links__gt=0))
        .order_by("-unchecked_tags", "slug")
    )


def agreement():
    """Rows of (month, kind, confirmed, rejected, added, precision) over every decision."""
    rows = []
    for row in ReviewDecision.objects.agreement_by_month():
        judged = row["confirmed"] + row["rejected"]
        rows.append({**row, "precision": row["confirmed"] / judged if judged else None})
    return rows


def totals():
    """The whole database: tags and links, and how many are automatic and unchecked."""
    tags = ServiceAreaTag.objects.aggregate(
        all=Count("pk"), unchecked=Count("pk", filter=Q(confirmed=False))
    )
    links = EvidenceLink.objects.aggregate(
        all=Count("pk"), unchecked=Count("pk", filter=Q(confirmed=False))
    )
    findings = {
        "all": Finding.objects.count(),
        "none": Finding.objects.filter(no_service_area=True).count(),
        "untagged": Finding.objects.filter(tags__isnull=True, no_service_area=False).count(),
    }
    return {"tags": tags, "links": links, "findings": findings}
