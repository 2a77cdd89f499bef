"""Conflicts and history people can read (issue 17, item 4): a conflict with your own
save in another window says so; history shows word differences and a reason only when
one was given; a revert brings back the finding's tags and evidence links and says what
it restored; an old version is read-only text for a Viewer; names link only for those
who may open people's pages."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from judgements.models import EvidenceLink, ServiceArea
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(finding):
    return reverse("admin:judgements_finding_history", args=[finding.pk])


def version_url(finding, record):
    return reverse("admin:judgements_finding_simple_history", args=[finding.pk, record.pk])


def shown_text(html):
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def tags_of(finding):
    return set(finding.service_areas.values_list("slug", flat=True))


def retag(client, finding, *, add=(), remove=(), text=None):
    """Save the finding's page with service areas added or removed (and new text)."""
    data = form_data(client.get(change_url(finding)))
    for slug in remove:
        pk = str(ServiceArea.objects.get(slug=slug).pk)
        (row,) = [k for k, v in data.items() if k.startswith("tags-") and v == pk]
        data[row.replace("service_area", "DELETE")] = "on"
    for slug in add:
        index = int(data["tags-TOTAL_FORMS"]) - 1
        data[f"tags-{index}-service_area"] = str(ServiceArea.objects.get(slug=slug).pk)
    if text is not None:
        data["text"] = text
    response = client.post(change_url(finding), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_conflict_with_your_own_save_in_another_window_says_so(editor, harrow):
    finding = harrow.findings.get(number=19)
    first_window = form_data(editor.get(change_url(finding)))
    second_window = form_data(editor.get(change_url(finding)))
    first_window["text"] = finding.text.replace("well-established", "long-established")
    assert editor.post(change_url(finding), first_window).status_code == 302
    second_window["text"] = finding.text + " A note."
    response = editor.post(change_url(finding), second_window)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Not saved: you saved this paragraph in another window after opening it" in page
    assert "Saved by you, in another window" in page
    assert "someone else" not in page
    assert "[only in the saved version: </span>long-established" in page
    assert "[only in yours: </span>well-established" in page


def test_history_shows_word_differences_and_a_reason_only_when_given(editor, superuser, harrow):
    finding = harrow.findings.get(number=19)
    retag(editor, finding, text=finding.text.replace("well-established", "long-established"))
    page = editor.get(history_url(finding)).content.decode()
    table = page.split('id="change-history"')[1].split("</table>")[0]
    assert (
        '<del class="word-change"><span class="visually-hidden">[removed: </span>'
        "well-established<span" in table
    )
    assert "[added: </span>long-established<span" in table
    assert "chars]" not in table  # django-simple-history's "Senio[82 chars]s"
    assert "None" not in shown_text(table)  # no "Change reason: None"
    assert "Reason given: Loaded from the report's fixture" in shown_text(table)
    # An Editor may not open people's pages in the admin: the name is not a link.
    assert "/admin/auth/user/" not in page
    assert "asha" in shown_text(table)
    # A superuser may: the name links to the person.
    asha = User.objects.get(username="asha")
    assert (
        f"/admin/auth/user/{asha.pk}/change/"
        in superuser.get(history_url(finding)).content.decode()
    )


def test_reverting_restores_the_text_tags_and_evidence_and_says_so_on_its_page(editor, harrow):
    finding = harrow.findings.get(number=24)
    original_text = finding.text
    before = tags_of(finding)
    evidence_before = set(finding.evidence_links.values_list("action__position", flat=True))
    assert before == {"care-leavers", "health"} and evidence_before
    first = finding.history.earliest()

    # Later edits: new wording, Health removed, Workforce added, the evidence unlinked.
    retag(editor, finding, add=["workforce"], remove=["health"], text="Rewritten by Asha.")
    EvidenceLink.objects.filter(finding=finding).delete()
    assert tags_of(finding) == {"care-leavers", "workforce"}

    page = editor.get(version_url(finding, first))
    text = shown_text(page.content.decode())
    assert "Service areas at this version" in text
    assert "service area “Health and well-being”" in text
    assert "service area “Workforce”" not in text
    response = editor.post(version_url(finding, first), form_data(page))
    assert response.status_code == 302
    assert response["Location"] == change_url(finding)  # the finding's own page
    finding.refresh_from_db()
    assert finding.text == original_text
    assert tags_of(finding) == before
    restored = set(finding.evidence_links.values_list("action__position", flat=True))
    assert restored == evidence_before
    landing = editor.get(response["Location"])
    (message,) = [str(m) for m in landing.wsgi_request._messages]
    assert message.startswith(f"Reverted {finding} to its version of ")
    assert "Restored text." in message
    assert "Removed service area “Workforce”." in message
    assert "Added back service area “Health and well-being”." in message
    assert "Added back evidence for action" in message
    record = finding.history.latest()
    assert record.history_change_reason.startswith("Reverted to the version of ")


def test_an_old_version_is_read_only_text_for_a_viewer(viewer, harrow):
    finding = harrow.findings.get(number=19)
    first = finding.history.earliest()
    page = viewer.get(version_url(finding, first)).content.decode()
    form = page.split('id="historicalfinding_form"')[1].split("</form>")[0]
    assert "<textarea" not in form and "<select" not in form
    assert not re.search(r'<input(?![^>]*type="hidden")', form)  # nothing to type in
    assert 'name="_save"' not in form  # no Revert button
    assert finding.text[:60] in unescape(form)  # the version, as text
    text = shown_text(page)
    assert "You can read this version and copy from it" in text
    assert "Service areas at this version" in text
    # Linked fields are text too, or links to pages a Viewer may open.
    for href in re.findall(r'href="(/admin/[^"]+)"', form):
        assert viewer.get(href).status_code == 200, href


def test_progress_updates_name_their_writer_without_a_link_to_people(editor, harrow):
    from judgements.models import ActionPlan, PlanStatus, ProgressUpdate

    action = harrow.improvement_actions.get(position=1)
    plan = ActionPlan.objects.create(
        action=action, owner="Head", status=PlanStatus.IN_PROGRESS, target_date="2021-01-01"
    )
    ProgressUpdate.objects.create(
        plan=plan, text="Begun.", written_by=User.objects.get(username="asha")
    )
    page = editor.get(change_url(plan)).content.decode()
    assert "/admin/auth/user/" not in page
    assert "asha" in shown_text(page)


def test_nobody_signed_out_reaches_history(harrow):
    finding = harrow.findings.get(number=19)
    assert Client().get(history_url(finding)).status_code == 302


def test_an_import_log_names_who_imported_without_a_link_to_people(editor, harrow):
    from reports.models import ImportLog, ImportOutcome

    log = ImportLog.objects.create(
        file_name="harrow.pdf",
        sha256="0" * 64,
        parser_version="1",
        user=User.objects.get(username="asha"),
        outcome=ImportOutcome.IMPORTED,
        inspection=harrow,
    )
    page = editor.get(change_url(log)).content.decode()
    assert "/admin/auth/user/" not in page
    assert "Imported by" in shown_text(page) and "asha" in shown_text(page)


def test_a_word_difference_escapes_what_it_shows():
    from judgements.differences import word_diff

    html = word_diff("Children <b>are</b> seen.", "Children <script>x</script> seen.")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<b>" not in html
    assert html.startswith("Children ")


def test_reverting_keeps_automatic_tags_the_importer_wrote_without_history(editor, harrow):
    """The importer writes its automatic tags in bulk, which records no history: such a
    tag counts as there from the start, so a revert does not remove it."""
    from judgements.models import ServiceAreaTag, TagSource

    finding = harrow.findings.get(number=19)
    first = finding.history.earliest()
    ServiceAreaTag.objects.bulk_create(
        [
            ServiceAreaTag(
                finding=finding,
                service_area=ServiceArea.objects.get(slug="workforce"),
                source=TagSource.AUTOMATIC,
                confirmed=False,
            )
        ]
    )
    retag(editor, finding, text="Changed wording.")
    page = editor.get(version_url(finding, first))
    response = editor.post(version_url(finding, first), form_data(page))
    assert response.status_code == 302
    assert tags_of(finding) == {"fostering", "workforce"}


def test_an_action_plans_history_and_revert_speak_in_labels(editor, harrow):
    from judgements.models import ActionPlan, PlanStatus

    plan = ActionPlan.objects.create(
        action=harrow.improvement_actions.get(position=2),
        owner="Head of Service",
        status=PlanStatus.NOT_STARTED,
        target_date="2021-03-31",
    )
    data = form_data(editor.get(change_url(plan)))
    data["status"] = PlanStatus.IN_PROGRESS
    assert editor.post(change_url(plan), data).status_code == 302
    history = reverse("admin:judgements_actionplan_history", args=[plan.pk])
    table = editor.get(history).content.decode().split('id="change-history"')[1]
    table = unescape(table.split("</table>")[0])
    assert "Status:</strong> “Not started” → “In progress”" in table
    assert "in-progress" not in table and "not-started" not in table
    first = plan.history.earliest()
    revert = reverse("admin:judgements_actionplan_simple_history", args=[plan.pk, first.pk])
    response = editor.post(revert, form_data(editor.get(revert)))
    assert response["Location"] == change_url(plan)
    (message,) = [str(m) for m in editor.get(response["Location"]).wsgi_request._messages]
    assert "Restored status." in message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.NOT_STARTED


def test_an_imported_paragraph_keeps_its_first_version_so_conflicts_and_reverts_work(
    editor, other_editor, shared_reports_parsed_once
):
    """The importer wrote paragraphs in bulk with no history: a conflicting save of one
    was a 500 (the form compared its own hidden version field as though it were the
    paragraph's), and the report's own words could not be reverted to."""
    from judgements.models import Finding
    from reports.importing.load import IMPORTED, import_report
    from tests.report_files import REPORTS

    import_report(path=REPORTS / "walsall-published-2025-07-08.pdf")
    # a paragraph with evidence links, so that their coming back is seen
    finding = (
        Finding.objects.filter(inspection__slug="walsall-2025-05", evidence_links__isnull=False)
        .exclude(number=6)
        .order_by("number")
        .first()
    )
    (first,) = finding.history.all()
    assert (first.history_change_reason, first.text) == (IMPORTED, finding.text)
    words, areas = finding.text, tags_of(finding)
    links = set(EvidenceLink.objects.filter(finding=finding).values_list("action_id", flat=True))
    assert links and areas and all(tag.history.exists() for tag in finding.tags.all())

    # a conflict on a paragraph whose opened version is not in history (as before)
    other = Finding.objects.get(inspection__slug="walsall-2025-05", number=6)
    other.history.all().delete()
    url = change_url(other)
    asha, ben = form_data(editor.get(url)), form_data(other_editor.get(url))
    asha["text"] = other.text + " Asha's correction."
    assert editor.post(url, asha).status_code == 302
    ben["text"] = other.text + " Ben's correction."
    response = other_editor.post(url, ben)
    assert response.status_code == 200
    assert "someone else saved this paragraph" in response.content.decode()

    # the report's own words, tags and links come back from the first version
    retag(editor, finding, add=["workforce"], text="Changed wording.")
    page = editor.get(version_url(finding, first))
    assert "Imported from the report" in shown_text(
        editor.get(history_url(finding)).content.decode()
    )
    assert editor.post(version_url(finding, first), form_data(page)).status_code == 302
    finding.refresh_from_db()
    assert finding.text == words and tags_of(finding) == areas
    assert (
        set(EvidenceLink.objects.filter(finding=finding).values_list("action_id", flat=True))
        == links
    )
