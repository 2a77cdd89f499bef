"""The staff review queue: what an Editor and a Viewer can see and do there."""

import pytest
from django.urls import reverse

from judgements import review
from judgements.models import (
    EvidenceLink,
    Finding,
    ImprovementAction,
    ReviewDecision,
    ServiceArea,
    ServiceAreaTag,
)
from reports.importing.load import import_report
from tests.report_files import REPORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def walsall(harrow, shared_reports_parsed_once):
    return import_report(path=REPORTS / "walsall-published-2025-07-08.pdf").inspection


def page_of(inspection):
    return reverse("admin:judgements_review_inspection", args=[inspection.slug])


def test_the_queue_lists_reports_with_unchecked_tags_and_shows_each_paragraph(editor, walsall):
    queue = editor.get(reverse("admin:judgements_review")).content.decode()
    assert page_of(walsall) in queue
    assert "harrow-2020-02" not in queue  # tagged by hand: nothing to check
    page = editor.get(page_of(walsall)).content.decode()
    first = Finding.objects.filter(inspection=walsall).order_by("number").first()
    assert first.text[:60] in page
    assert "Confirm paragraph" in page and "autofocus" in page
    assert reverse("admin:judgements_review") in editor.get(reverse("admin:index")).content.decode()


def shown(finding):
    """What the queue's form sends back of a paragraph's tags as it showed them."""
    return review.tags_as_shown(finding.tags.all())


def shown_links(action):
    return review.links_as_shown(action.evidence_links.all())


def test_an_editor_confirms_changes_and_rejects_and_the_history_says_who(editor, walsall):
    finding = Finding.objects.filter(inspection=walsall).order_by("number").first()
    response = editor.post(
        page_of(walsall),
        {"finding": finding.number, "add": "young-carers", "shown": shown(finding)},
    )  # every automatic tag unticked: rejected; one added
    assert response.status_code == 302
    assert response["Location"].startswith(page_of(walsall) + "#")
    tags = ServiceAreaTag.objects.filter(finding=finding)
    assert [(t.service_area.slug, t.confirmed) for t in tags] == [("young-carers", True)]
    assert ServiceAreaTag.history.filter(finding_id=finding.pk, history_user__username="asha")

    action = ImprovementAction.objects.filter(inspection=walsall).order_by("position").first()
    editor.post(
        page_of(walsall), {"action": action.position, "other": "3, 4", "shown": shown_links(action)}
    )
    assert sorted(
        EvidenceLink.objects.filter(action=action).values_list("finding__number", "confirmed")
    ) == [(3, True), (4, True)]

    # the whole report is a second step that says what it will confirm, and changes
    # nothing until then (one keypress confirmed 34 tags and 17 links)
    unchecked = ServiceAreaTag.objects.filter(finding__inspection=walsall, confirmed=False)
    links = EvidenceLink.objects.filter(action__inspection=walsall, confirmed=False)
    counts = unchecked.count(), links.count()
    asked = editor.post(
        page_of(walsall),
        {"confirm_report": "Confirm every tag and evidence link of this report as it is…"},
    ).content.decode()
    assert (unchecked.count(), links.count()) == counts
    assert f"This marks {counts[0]} automatic service-area tags and {counts[1]} evidence" in asked
    assert 'name="confirm_report" value="yes"' in asked and f'href="{page_of(walsall)}"' in asked
    editor.post(page_of(walsall), {"confirm_report": "yes"})
    assert not ServiceAreaTag.objects.filter(finding__inspection=walsall, confirmed=False)
    assert not EvidenceLink.objects.filter(action__inspection=walsall, confirmed=False)
    assert page_of(walsall) not in editor.get(reverse("admin:judgements_review")).content.decode()
    assert ReviewDecision.objects.filter(decided_by__username="asha").count() > 10
    # and a paragraph's history says "Confirmed", not a bare "Changed"
    second = Finding.objects.filter(inspection=walsall).order_by("number")[1]
    history = editor.get(reverse("admin:judgements_finding_history", args=[second.pk]))
    related = history.content.decode().split('id="related-history"')[1]
    area = second.tags.select_related("service_area").first().service_area
    assert f"Confirmed: service area {area}" in related
    assert "Changed:" not in related


def test_a_wrong_paragraph_number_is_refused_with_a_message_and_changes_nothing(editor, walsall):
    action = ImprovementAction.objects.filter(inspection=walsall).first()
    before = list(EvidenceLink.objects.filter(action=action).values_list("finding_id", "confirmed"))
    response = editor.post(
        page_of(walsall),
        {"action": action.position, "other": "12a", "shown": shown_links(action)},
        follow=True,
    )
    assert "is not a paragraph number" in response.content.decode()
    assert (
        list(EvidenceLink.objects.filter(action=action).values_list("finding_id", "confirmed"))
        == before
    )


def test_the_queue_shows_one_councils_reports_by_part_of_its_name(editor, walsall):
    queue = reverse("admin:judgements_review")
    found = editor.get(queue, {"council": "  WALS "}).content.decode()
    assert page_of(walsall) in found
    assert "whose name has “WALS”" in found and 'value="WALS"' in found
    other = editor.get(queue, {"council": "Tower Hamlets"}).content.decode()
    assert page_of(walsall) not in other
    assert "No report of a council whose name has “Tower Hamlets” has anything to check." in other
    unknown = editor.get(queue, {"council": "Nowhereshire"}).content.decode()
    assert "No council’s name has “Nowhereshire”." in unknown
    assert editor.get(queue, {"council": "Wal\x00sall"}).status_code == 200  # no 500
    hostile = editor.get(queue, {"council": "<script>" + "x" * 500})
    assert hostile.status_code == 200
    assert "<script>x" not in hostile.content.decode()
    assert "&lt;script&gt;" + "x" * 92 + "”" in hostile.content.decode()  # cut at 100


def test_a_viewer_sees_the_queue_but_cannot_decide(viewer, walsall):
    page = viewer.get(page_of(walsall))
    assert page.status_code == 200
    assert "Confirm paragraph" not in page.content.decode()
    finding = Finding.objects.filter(inspection=walsall).first()
    assert viewer.post(page_of(walsall), {"finding": finding.number}).status_code == 403
    assert viewer.post(page_of(walsall), {"confirm_report": "1"}).status_code == 403
    assert not ServiceAreaTag.objects.filter(finding__inspection=walsall, confirmed=True)


def test_the_public_cannot_reach_the_queue(client, walsall):
    response = client.get(page_of(walsall))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_decision_on_tags_changed_since_the_page_was_opened_changes_nothing(editor, walsall):
    """A stale tab (or someone else's edit meanwhile) never overwrites tags unseen."""
    finding = Finding.objects.filter(inspection=walsall).order_by("number").first()
    seen = shown(finding)
    ServiceAreaTag.objects.create(
        finding=finding, service_area=ServiceArea.objects.get(slug="fostering"), confirmed=True
    )  # added by another editor after the page was opened
    before = sorted(finding.tags.values_list("service_area__slug", "confirmed"))
    response = editor.post(
        page_of(walsall),
        {"finding": finding.number, "add": "young-carers", "shown": seen},
        follow=True,
    )
    assert "were changed" in response.content.decode()
    assert sorted(finding.tags.values_list("service_area__slug", "confirmed")) == before
