"""The staff review queue in the admin: automatic tags and evidence links, report by
report, each with its paragraph, to confirm, change or reject in a few keystrokes.

Reading the queue needs the permission to view tags; deciding needs the permissions to
add, change and delete tags (or evidence links), which Editors have (judgements/roles.py).
Every decision goes through judgements/review.py, so it is in the tags' and links' history
and in ReviewDecision, from which the tagger's precision in use is reported.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from judgements import review
from judgements.models import EvidenceLink, Finding, ImprovementAction, ServiceArea, ServiceAreaTag
from reports.models import Inspection, LocalAuthority

TAG_PERMISSIONS = [f"judgements.{verb}_serviceareatag" for verb in ("add", "change", "delete")]
LINK_PERMISSIONS = [f"judgements.{verb}_evidencelink" for verb in ("add", "change", "delete")]
COUNCIL_MAX_LENGTH = 100  # longer than any council's name; a longer one is cut


def may_review(user):
    return user.has_perms(TAG_PERMISSIONS) and user.has_perms(LINK_PERMISSIONS)


def queue_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    inspections = review.queue(Inspection.objects.with_local_authority())
    # A council's quality-assurance officer looks for their own council's reports among
    # hundreds: part of its name is enough ("tower" for Tower Hamlets).
    council = " ".join(request.GET.get("council", "").replace("\x00", "").split())
    council = council[:COUNCIL_MAX_LENGTH]  # PostgreSQL refuses a NUL: a 500, not a filter
    if council:
        inspections = inspections.filter(local_authority__name__icontains=council)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Review automatic tags and evidence links",
        "opts": model_admin.model._meta,
        "inspections": inspections,
        "council": council,
        # "no such council" is not "all of its reports checked"
        "council_known": bool(council)
        and LocalAuthority.objects.filter(name__icontains=council).exists(),
        "council_max_length": COUNCIL_MAX_LENGTH,
        "agreement": review.agreement(),
        "totals": review.totals(),
    }
    return TemplateResponse(request, "admin/judgements/review/queue.html", context)


def inspection_view(model_admin, request, slug):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    inspection = get_object_or_404(Inspection.objects.with_local_authority(), slug=slug)
    here = reverse("admin:judgements_review_inspection", args=[slug])
    if request.method == "POST":
        if not may_review(request.user):
            raise PermissionDenied(
                "Confirming, changing or rejecting tags and evidence links needs the Editor role."
            )
        if request.POST.get("confirm_report", "yes") != "yes":
            # a whole report at once is a second step, with what it will confirm
            tags, links = review.unchecked(inspection)
            return TemplateResponse(
                request,
                "admin/judgements/review/confirm_report.html",
                {
                    **model_admin.admin_site.each_context(request),
                    "title": f"Confirm every tag and evidence link of {inspection}?",
                    "opts": model_admin.model._meta,
                    "inspection": inspection,
                    "here": here,
                    "tags": tags.count(),
                    "links": links.count(),
                },
            )
        anchor = decide(request, inspection)
        return redirect(here + (f"#{anchor}" if anchor else ""))
    findings = (
        Finding.objects.filter(inspection=inspection)
        .filter(Q(tags__confirmed=False) | Q(tags__isnull=True, no_service_area=False))
        .distinct()
        .select_related("judgement__area")
        .prefetch_related(
            Prefetch("tags", queryset=ServiceAreaTag.objects.select_related("service_area"))
        )
        .order_by("number")
    )
    actions = (
        ImprovementAction.objects.filter(inspection=inspection)
        .filter(Q(evidence_links__confirmed=False) | Q(evidence_links__isnull=True))
        .distinct()
        .prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=EvidenceLink.objects.select_related("finding").order_by("finding__number"),
            )
        )
        .order_by("position")
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Review: {inspection}",
        "opts": model_admin.model._meta,
        "inspection": inspection,
        "recommendations": inspection.lists_recommendations,
        # each with what its form sends back of the tags or links it shows
        "findings": [(f, review.tags_as_shown(f.tags.all())) for f in findings],
        "actions": [(a, review.links_as_shown(a.evidence_links.all())) for a in actions],
        "areas": ServiceArea.objects.order_by("position"),
        "may_review": may_review(request.user),
    }
    return TemplateResponse(request, "admin/judgements/review/inspection.html", context)


def decide(request, inspection):
    """Apply one form of the page; the anchor of what to look at next."""
    post = request.POST
    user = request.user
    try:
        if post.get("confirm_report") == "yes":
            tags, links = review.confirm_report(inspection=inspection, user=user)
            messages.success(
                request, f"Confirmed {tags} tag(s) and {links} evidence link(s) of {inspection}."
            )
            return ""
        if number := post.get("finding"):
            finding = get_object_or_404(Finding, inspection=inspection, number=number)
            if post.get("shown", "") != review.tags_as_shown(
                finding.tags.select_related("service_area")
            ):
                raise ValueError(
                    f"Paragraph {finding.number}'s service areas were changed (by someone "
                    "else, or in another window) since this page was opened, so nothing "
                    "was changed: here they are as they are now."
                )
            slugs = set(post.getlist("area"))
            if added := post.get("add"):
                slugs.add(added)
            areas = list(ServiceArea.objects.filter(slug__in=slugs))
            review.review_finding(
                finding=finding, areas=areas, none_fits=bool(post.get("none")), user=user
            )
            names = ", ".join(area.name for area in areas) or "none of the service areas"
            messages.success(request, f"Paragraph {finding.number}: {names}.")
            return next_anchor(inspection, "finding", finding.number)
        if position := post.get("action"):
            action = get_object_or_404(ImprovementAction, inspection=inspection, position=position)
            if post.get("shown", "") != review.links_as_shown(
                action.evidence_links.select_related("finding")
            ):
                raise ValueError(
                    f"Point {action.position}'s evidence was changed (by someone else, or "
                    "in another window) since this page was opened, so nothing was "
                    "changed: here it is as it is now."
                )
            numbers = {int(n) for n in post.getlist("paragraph")}
            numbers |= parse_numbers(post.get("other", ""))
            if not numbers:
                raise ValueError("Keep or give at least one paragraph as evidence for this point.")
            review.review_action(action=action, numbers=numbers, user=user)
            listed = ", ".join(str(n) for n in sorted(numbers))
            messages.success(request, f"Point {action.position}: evidence paragraphs {listed}.")
            return next_anchor(inspection, "action", action.position)
    except ValueError as error:
        messages.error(request, str(error))
    return ""


def parse_numbers(text):
    numbers = set()
    for part in text.replace(",", " ").split():
        if not part.isdigit():
            raise ValueError(f"“{part}” is not a paragraph number: give numbers, e.g. 12, 14.")
        numbers.add(int(part))
    return numbers


def next_anchor(inspection, kind, after):
    """The next item still to review on the page, so that Enter, Enter... goes down it."""
    if kind == "finding":
        later = (
            Finding.objects.filter(inspection=inspection, number__gt=after)
            .filter(Q(tags__confirmed=False) | Q(tags__isnull=True, no_service_area=False))
            .order_by("number")
            .values_list("number", flat=True)
            .first()
        )
        return f"finding-{later}" if later else "actions"
    later = (
        ImprovementAction.objects.filter(inspection=inspection, position__gt=after)
        .filter(evidence_links__confirmed=False)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    return f"action-{later}" if later else ""
