"""Staff editing that never loses work (issue 4), through real admin sessions.

Each member of staff is a Django test client logged in as a user in a role made by
the data migration; the admin's forms are posted as a browser would (form_data).
"""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from judgements.management.commands.create_staff_user import PASSWORD_VARIABLE
from judgements.models import (
    ActionPlan,
    EvidenceLink,
    Finding,
    PlanStatus,
    ProgressUpdate,
    ServiceArea,
)
from tests.staff_clients import PASSWORD
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def shown_text(html):
    """What a sighted reader sees of a page: no tags, no text only for screen readers."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return unescape(re.sub(r"<[^>]+>", "", html))


def tags_of(finding):
    return set(finding.service_areas.values_list("slug", flat=True))


def add_tag(data, prefix, slug):
    """Fill the inline's empty row with another service area."""
    index = int(data[f"{prefix}-TOTAL_FORMS"]) - 1
    data[f"{prefix}-{index}-service_area"] = str(ServiceArea.objects.get(slug=slug).pk)


# Roles and users


def test_every_database_has_the_editor_and_viewer_roles():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name="Viewers").permissions.values_list("codename", flat=True))
    assert {"change_finding", "add_serviceareatag", "delete_serviceareatag"} <= editors
    assert {"add_progressupdate", "change_actionplan", "change_improvementaction"} <= editors
    assert "change_progressupdate" not in editors and "delete_finding" not in editors
    assert "view_finding" in viewers and "view_historicalfinding" in viewers
    assert all(codename.startswith("view_") for codename in viewers)


def test_a_staff_user_is_created_in_a_role_without_a_password_on_the_command_line(
    monkeypatch, tmp_path
):
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    call_command("create_staff_user", "--role", "editor", "--username", "dee", "--email", "d@x.org")
    user = User.objects.get(username="dee")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]

    monkeypatch.delenv(PASSWORD_VARIABLE)
    secret = tmp_path / "password"
    secret.write_text("another long passphrase 7\n")
    call_command(
        "create_staff_user", "--role", "viewer", "--username", "dee", "--email", "d@x.org",
        "--password-file", str(secret),
    )  # fmt: skip
    user.refresh_from_db()
    assert user.check_password("another long passphrase 7")
    assert list(user.groups.values_list("name", flat=True)) == ["Viewers"]


def test_creating_a_staff_user_without_a_password_or_with_a_weak_one_is_refused(monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    with pytest.raises(CommandError, match="No password"):
        call_command("create_staff_user", "--role", "editor", "--username", "e", "--email", "e@x")
    monkeypatch.setenv(PASSWORD_VARIABLE, "password")
    with pytest.raises(CommandError, match="password is refused"):
        call_command("create_staff_user", "--role", "editor", "--username", "e", "--email", "e@x")
    assert not User.objects.filter(username="e").exists()


# Editors edit; the public site follows


def test_an_editor_tags_a_finding_and_the_public_finding_page_changes(editor, harrow, client):
    finding = harrow.findings.get(number=19)
    public = "/inspections/harrow-2020-02/findings/19/"
    assert "Workforce" not in client.get(public).content.decode()
    data = form_data(editor.get(change_url(finding)))
    add_tag(data, "tags", "workforce")
    response = editor.post(change_url(finding), data)
    assert response.status_code == 302
    assert tags_of(finding) == {"fostering", "workforce"}
    page = client.get(public).content.decode()
    assert 'href="/findings/?service_area=workforce">Workforce</a>' in page
    assert 'href="/findings/?service_area=fostering">Fostering</a>' in page


def test_a_viewer_sees_everything_and_any_change_is_refused_with_403(viewer, editor, harrow):
    finding = harrow.findings.get(number=19)
    response = viewer.get(change_url(finding))
    assert response.status_code == 200
    assert finding.text[:40] in response.content.decode()
    data = form_data(editor.get(change_url(finding)))  # what an editor's form would send
    data["text"] = "Changed by a viewer."
    add_tag(data, "tags", "workforce")
    assert viewer.post(change_url(finding), data).status_code == 403
    add = reverse("admin:judgements_finding_add")
    assert viewer.post(add, {**data, "number": "99"}).status_code == 403
    delete = reverse("admin:judgements_finding_delete", args=[finding.pk])
    assert viewer.post(delete, {"post": "yes"}).status_code == 403
    first = finding.history.earliest()
    revert = reverse("admin:judgements_finding_simple_history", args=[finding.pk, first.pk])
    assert viewer.get(revert).status_code == 200
    assert viewer.post(revert, data).status_code == 403
    finding.refresh_from_db()
    assert finding.text != "Changed by a viewer." and tags_of(finding) == {"fostering"}
    assert Finding.objects.count() == 32
    assert finding.history.count() == 1  # only the record of loading the report


def test_a_viewers_post_to_the_action_plan_and_progress_updates_is_refused(viewer, harrow):
    plan = make_plan(harrow, 1, status=PlanStatus.IN_PROGRESS, target=datetime.date(2021, 3, 1))
    data = {"action": plan.action_id, "owner": "Nobody", "status": "complete",
            "target_date": "2021-03-01"}  # fmt: skip
    assert viewer.post(change_url(plan), data).status_code == 403
    add = reverse("admin:judgements_progressupdate_add")
    post = {"plan": plan.pk, "written_on": "2021-01-01", "text": "x"}
    assert viewer.post(add, post).status_code == 403
    plan.refresh_from_db()
    assert plan.owner == "Head of Service" and not ProgressUpdate.objects.exists()


def test_every_admin_page_is_denied_to_people_who_are_not_staff(client, harrow):
    from django.contrib import admin

    client.force_login(User.objects.create_user("member", password=PASSWORD))
    finding = harrow.findings.get(number=1)
    urls = [reverse("admin:index"), reverse("admin:judgements_finding_deleted")]
    urls += [reverse("admin:judgements_finding_history", args=[finding.pk])]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    for url in urls:
        for response in [client.get(url), client.post(url, {})]:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url


# No lost updates


def test_a_second_conflicting_save_is_refused_showing_the_other_persons_change(
    editor, other_editor, harrow
):
    finding = harrow.findings.get(number=19)
    url = change_url(finding)
    asha = form_data(editor.get(url))
    ben = form_data(other_editor.get(url))

    asha["text"] = finding.text + " Asha's correction."
    add_tag(asha, "tags", "workforce")
    assert editor.post(url, asha).status_code == 302

    ben["text"] = finding.text + " Ben's correction."
    response = other_editor.post(url, ben)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not saved: someone else saved this paragraph after you opened it" in content
    assert "Saved by asha" in content
    # What she changed against what he typed, word by word, to merge.
    assert (
        '<del class="word-change"><span class="visually-hidden">[only in the saved version: '
        "</span>Asha&#x27;s<span" in content
    )
    assert '<span class="visually-hidden">[only in yours: </span>Ben&#x27;s<span' in content
    assert "asha added service area “Workforce”" in content
    assert "Fostering”" not in content  # loaded with the report, not changed since
    assert "Ben&#x27;s correction.</textarea>" in content  # his input is kept in the form
    finding.refresh_from_db()
    assert finding.text.endswith("Asha's correction.")  # nothing overwritten
    assert tags_of(finding) == {"fostering", "workforce"}

    # Having seen her change, he merges and saves again: now it goes through.
    merged = form_data(response)
    merged["text"] = finding.text + " Ben's correction."
    assert other_editor.post(url, merged).status_code == 302
    finding.refresh_from_db()
    assert finding.text.endswith("Asha's correction. Ben's correction.")
    assert finding.version == 3


def test_a_conflicting_save_of_the_action_plan_is_refused(editor, other_editor, harrow):
    plan = make_plan(harrow, 2, status=PlanStatus.NOT_STARTED, target=datetime.date(2021, 3, 1))
    url = change_url(plan)
    asha = form_data(editor.get(url))
    ben = form_data(other_editor.get(url))
    asha["status"] = PlanStatus.IN_PROGRESS
    assert editor.post(url, asha).status_code == 302
    ben["owner"] = "Director of Children's Services"
    response = other_editor.post(url, ben)
    assert response.status_code == 200
    content = response.content.decode()
    assert "someone else saved this action plan" in content
    # Labels, not the stored values: "In progress", not "in-progress".
    assert "Saved: “In progress” (it was “Not started” when you opened the page)" in content
    assert "Yours: “Not started”" in content
    assert "in-progress" not in content.split('id="actionplan_form"')[1].split("<select")[0]
    plan.refresh_from_db()
    assert (plan.status, plan.owner) == (PlanStatus.IN_PROGRESS, "Head of Service")


# History, revert and restore


def test_a_change_is_in_the_history_with_a_diff_and_can_be_reverted(editor, harrow):
    finding = harrow.findings.get(number=5)
    original = finding.text
    data = form_data(editor.get(change_url(finding)))
    data["text"] = "A corrected paragraph."
    assert editor.post(change_url(finding), data).status_code == 302

    history = editor.get(reverse("admin:judgements_finding_history", args=[finding.pk]))
    content = history.content.decode()
    assert "asha" in content  # who
    assert "Changed" in content and "Created" in content
    shown = shown_text(content)
    assert "A corrected paragraph." in shown and original[:60] in shown  # new and old
    changed = finding.history.latest()
    assert changed.history_user.username == "asha"
    assert "text" in changed.diff_against(changed.prev_record).changed_fields

    first = finding.history.earliest()
    revert = reverse("admin:judgements_finding_simple_history", args=[finding.pk, first.pk])
    form = editor.get(revert)
    assert original[:60] in form.content.decode()
    reverted = editor.post(revert, form_data(form))
    assert reverted.status_code == 302
    assert reverted["Location"] == change_url(finding)  # its own page, not the list
    finding.refresh_from_db()
    assert finding.text == original
    assert finding.history.count() == 3


def test_a_deleted_finding_is_restored_with_its_tags_and_evidence(superuser, editor, harrow):
    finding = harrow.findings.get(number=24)
    pk = finding.pk
    # A tag removed before the deletion is not brought back by the restore.
    data = form_data(editor.get(change_url(finding)))
    health = str(ServiceArea.objects.get(slug="health").pk)
    (row,) = [key for key, value in data.items() if key.startswith("tags-") and value == health]
    data[row.replace("service_area", "DELETE")] = "on"
    assert editor.post(change_url(finding), data).status_code == 302
    assert tags_of(finding) == {"care-leavers"}

    delete = reverse("admin:judgements_finding_delete", args=[pk])
    assert superuser.post(delete, {"post": "yes"}).status_code == 302
    assert not Finding.objects.filter(pk=pk).exists()
    assert not EvidenceLink.objects.filter(finding_id=pk).exists()

    deleted = reverse("admin:judgements_finding_deleted")
    listing = editor.get(deleted)
    assert "harrow-2020-02 paragraph 24" in listing.content.decode()
    deletion = Finding.history.get(id=pk, history_type="-")
    assert deletion.history_user.username == "root"
    response = editor.post(deleted, {"history_id": deletion.history_id})
    assert response.status_code == 302

    restored = Finding.objects.get(pk=pk)
    assert restored.text == finding.text and restored.number == 24
    assert tags_of(restored) == {"care-leavers"}
    assert list(restored.improvement_actions.values_list("position", flat=True)) == [2]
    assert restored.history.latest().history_user.username == "asha"
    assert "No finding has been deleted." in editor.get(deleted).content.decode()


# The action plan


def make_plan(harrow, position, *, status, target, owner="Head of Service"):
    return ActionPlan.objects.create(
        action=harrow.improvement_actions.get(position=position),
        owner=owner,
        status=status,
        target_date=target,
    )


def test_the_action_plan_lists_overdue_actions_first_and_filters_by_status(editor, harrow):
    today = datetime.date.today()
    later = make_plan(
        harrow, 1, status=PlanStatus.NOT_STARTED, target=today + datetime.timedelta(30)
    )
    done = make_plan(harrow, 2, status=PlanStatus.COMPLETE, target=today - datetime.timedelta(90))
    late = make_plan(harrow, 3, status=PlanStatus.IN_PROGRESS, target=today - datetime.timedelta(9))
    later_still = make_plan(
        harrow, 4, status=PlanStatus.IN_PROGRESS, target=today - datetime.timedelta(1)
    )
    changelist = reverse("admin:judgements_actionplan_changelist")
    response = editor.get(changelist)
    assert list(response.context["cl"].result_list) == [late, later_still, done, later]
    response = editor.get(changelist, {"status__exact": PlanStatus.IN_PROGRESS})
    assert list(response.context["cl"].result_list) == [late, later_still]


def test_the_inspection_page_shows_each_actions_public_status_not_internal_notes(
    client, harrow, django_assert_max_num_queries
):
    plan = make_plan(
        harrow, 2, status=PlanStatus.IN_PROGRESS, target=datetime.date(2021, 3, 31),
        owner="Head of Service, Corporate Parenting",
    )  # fmt: skip
    ProgressUpdate.objects.create(plan=plan, text="Internal: health passports drafted.")
    make_plan(harrow, 3, status=PlanStatus.EVIDENCED, target=datetime.date(2020, 12, 1))
    with django_assert_max_num_queries(10 + 2):
        response = client.get(harrow.get_absolute_url())
    content = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in content
    assert "Target date: 31 March 2021" in content
    assert '<strong class="govuk-tag govuk-tag--turquoise">Evidenced</strong>' in content
    assert content.count("No action plan published") == 2  # actions 1 and 4
    assert "Corporate Parenting" not in content and "health passports" not in content


def test_editors_add_dated_progress_updates_but_cannot_rewrite_them(editor, harrow):
    plan = make_plan(harrow, 1, status=PlanStatus.IN_PROGRESS, target=datetime.date(2021, 6, 1))
    url = change_url(plan)
    data = form_data(editor.get(url))
    data["updates-0-written_on"] = "2020-09-01"
    data["updates-0-text"] = "Audit of return home interviews completed."
    assert editor.post(url, data).status_code == 302
    update = plan.updates.get()
    assert update.written_by.username == "asha"
    assert update.written_on == datetime.date(2020, 9, 1)

    data = form_data(editor.get(url))
    data["updates-0-text"] = "Rewritten."
    data["updates-0-DELETE"] = "on"
    editor.post(url, data)
    update.refresh_from_db()
    assert update.text == "Audit of return home interviews completed."
    page = editor.get(url).content.decode()
    assert 'name="updates-0-text"' not in page  # shown, not editable


# Clear messages, nothing saved


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "Write the paragraph&#x27;s text: it cannot be empty."),
        ({"number": "3"}, "This inspection already has a paragraph with that number."),
        ({"tags-0-DELETE": "on"}, "Choose at least one service area"),
    ],
)
def test_an_invalid_finding_is_refused_with_a_clear_message(editor, harrow, change, message):
    finding = harrow.findings.get(number=19)
    data = {**form_data(editor.get(change_url(finding))), **change}
    response = editor.post(change_url(finding), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    finding.refresh_from_db()
    assert finding.number == 19 and finding.text.strip() and tags_of(finding) == {"fostering"}
    assert finding.history.count() == 1 and finding.version == 1


def test_a_grade_outside_the_scale_is_refused_with_a_clear_message(superuser, harrow):
    judgement = harrow.judgements.first()
    data = {**form_data(superuser.get(change_url(judgement))), "grade": "7"}
    response = superuser.post(change_url(judgement), data)
    assert response.status_code == 200
    assert "Choose a grade on the inspection scale: Outstanding, Good" in response.content.decode()
    judgement.refresh_from_db()
    assert judgement.grade == 2


def test_a_target_date_before_the_inspection_is_refused_with_a_clear_message(editor, harrow):
    add = reverse("admin:judgements_actionplan_add")
    data = form_data(editor.get(add))
    data.update(
        action=str(harrow.improvement_actions.get(position=1).pk),
        owner="Head of Service",
        status=PlanStatus.NOT_STARTED,
        target_date="2019-12-31",
    )
    response = editor.post(add, data)
    assert response.status_code == 200
    assert "The target date cannot be before the inspection: it ended on 14 February 2020" in (
        response.content.decode()
    )
    assert not ActionPlan.objects.exists()


# Escaping


def test_script_typed_by_staff_is_shown_escaped_on_public_pages(editor, harrow, client):
    finding = harrow.findings.get(number=7)
    data = form_data(editor.get(change_url(finding)))
    data["text"] = '<script>alert("x")</script> Children are seen.'
    assert editor.post(change_url(finding), data).status_code == 302
    judgement = "/inspections/harrow-2020-02/judgements/help-and-protection/"
    for url in [judgement, finding.get_absolute_url(), "/findings/"]:
        content = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Children are seen." in content
        assert '<script>alert("x")' not in content


def test_history_starts_when_the_report_is_loaded(harrow):
    finding = harrow.findings.get(number=1)
    (record,) = finding.history.all()
    assert record.history_type == "+"
    assert record.history_change_reason == "Loaded from the report's fixture"


def test_the_same_service_area_twice_is_refused_with_a_message_not_an_error_page(editor, harrow):
    finding = harrow.findings.get(number=19)
    data = form_data(editor.get(change_url(finding)))
    add_tag(data, "tags", "fostering")  # already its tag in the first row
    response = editor.post(change_url(finding), data)
    assert response.status_code == 200
    assert "That service area is there twice: remove one of the rows." in response.content.decode()
    assert finding.tags.count() == 1


def test_a_grade_off_the_scale_on_the_inspection_page_is_refused_with_a_message(superuser, harrow):
    data = form_data(superuser.get(change_url(harrow)))
    data["judgements-0-grade"] = "0"
    response = superuser.post(change_url(harrow), data)
    assert response.status_code == 200
    assert "Choose a grade on the inspection scale" in response.content.decode()
    assert set(harrow.judgements.values_list("grade", flat=True)) == {2}


def test_reverting_from_an_out_of_date_page_is_refused_too(editor, other_editor, harrow):
    finding = harrow.findings.get(number=8)
    first = finding.history.earliest()
    revert = reverse("admin:judgements_finding_simple_history", args=[finding.pk, first.pk])
    stale = form_data(editor.get(revert))
    data = form_data(other_editor.get(change_url(finding)))
    data["text"] = "Ben's newer wording."
    assert other_editor.post(change_url(finding), data).status_code == 302
    response = editor.post(revert, stale)
    assert response.status_code == 200
    assert "someone else saved this paragraph" in response.content.decode()
    finding.refresh_from_db()
    assert finding.text == "Ben's newer wording."


def test_an_improvement_actions_page_links_to_its_action_plan(editor, harrow):
    action = harrow.improvement_actions.get(position=1)
    page = editor.get(change_url(action)).content.decode()
    assert "No action plan yet" in page
    add = reverse("admin:judgements_actionplan_add") + f"?action={action.pk}"
    assert f'href="{add}"' in page  # with the action chosen
    form = editor.get(add).content.decode()
    assert re.search(rf'<option value="{action.pk}" selected>', form)
    plan = make_plan(harrow, 1, status=PlanStatus.NOT_STARTED, target=datetime.date(2021, 1, 1))
    page = editor.get(change_url(action)).content.decode()
    assert f'href="{change_url(plan)}"' in page


def test_a_findings_last_tag_cannot_be_deleted_on_its_own(editor, harrow):
    (only,) = harrow.findings.get(number=19).tags.all()
    delete = reverse("admin:judgements_serviceareatag_delete", args=[only.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 403
    first, _second = harrow.findings.get(number=24).tags.all()
    delete = reverse("admin:judgements_serviceareatag_delete", args=[first.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert tags_of(harrow.findings.get(number=19)) == {"fostering"}
    assert harrow.findings.get(number=24).tags.count() == 1


def test_a_second_plan_for_the_same_action_is_refused_with_a_message(editor, harrow):
    make_plan(harrow, 1, status=PlanStatus.NOT_STARTED, target=datetime.date(2021, 1, 1))
    add = reverse("admin:judgements_actionplan_add")
    data = form_data(editor.get(add))
    data.update(
        action=str(harrow.improvement_actions.get(position=1).pk),
        owner="Someone else",
        status=PlanStatus.NOT_STARTED,
        target_date="2021-02-01",
    )
    response = editor.post(add, data)
    assert response.status_code == 200
    assert "This improvement action already has an action plan" in response.content.decode()
    assert ActionPlan.objects.count() == 1


def test_loading_the_fixture_again_over_a_staff_edit_is_recorded(harrow):
    finding = harrow.findings.get(number=3)
    original = finding.text
    finding.text = "Edited by staff."
    finding.save()
    call_command("loaddata", "harrow-2020-02", verbosity=0)
    call_command("loaddata", "harrow-2020-02", verbosity=0)  # changes nothing: no record
    created, edited, reloaded = finding.history.order_by("history_date")
    assert [r.history_type for r in (created, edited, reloaded)] == ["+", "~", "~"]
    assert edited.text == "Edited by staff."
    assert reloaded.text == original
    assert reloaded.history_change_reason == "Loaded from the report's fixture"


def test_a_stale_version_claims_nothing(harrow):
    from judgements.editing import EditConflict, claim_next_version

    finding = harrow.findings.get(number=2)
    claim_next_version(instance=finding, loaded_version=1)
    finding.save()
    with pytest.raises(EditConflict):
        claim_next_version(instance=Finding.objects.get(pk=finding.pk), loaded_version=1)
    assert Finding.objects.get(pk=finding.pk).version == 2


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_in_real_transactions_cannot_both_win(committed_harrow):
    """Two database connections at once: the second save's claim waits for the first
    transaction's row lock and then finds the version gone, whichever way the race runs."""
    harrow = committed_harrow
    import threading

    from django.db import connection, transaction

    from judgements.editing import EditConflict, claim_next_version

    pk = harrow.findings.get(number=6).pk
    first_claimed, second_started = threading.Event(), threading.Event()
    outcome = {}

    def save(name, text, before=None, after=None):
        try:
            if before:
                before()
            with transaction.atomic():
                finding = Finding.objects.get(pk=pk)
                claim_next_version(instance=finding, loaded_version=1)
                finding.text = text
                finding.save()
                if after:
                    after()
            outcome[name] = "saved"
        except EditConflict:
            outcome[name] = "refused"
        finally:
            connection.close()

    def hold_until_second_started():
        first_claimed.set()
        second_started.wait(timeout=60)  # a guard against hanging, not a timing assertion

    def start_after_first_claimed():
        first_claimed.wait(timeout=60)
        second_started.set()

    threads = [
        threading.Thread(target=save, args=("first", "First.", None, hold_until_second_started)),
        threading.Thread(target=save, args=("second", "Second.", start_after_first_claimed)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcome == {"first": "saved", "second": "refused"}
    finding = Finding.objects.get(pk=pk)
    assert (finding.text, finding.version) == ("First.", 2)


def test_a_paragraph_staff_said_fits_no_service_area_can_still_be_corrected(editor, harrow):
    # its change form demanded "Service area, row 1 is empty: fill it in." on any save,
    # so correcting its words meant tagging it against the staff decision
    finding = harrow.findings.get(number=19)
    finding.tags.all().delete()
    Finding.objects.filter(pk=finding.pk).update(no_service_area=True)
    url = change_url(finding)
    data = form_data(editor.get(url))
    data["text"] = finding.text + " Corrected."
    response = editor.post(url, data)
    assert response.status_code == 302, shown_text(response.content.decode())[:2000]
    finding.refresh_from_db()
    assert finding.text.endswith(" Corrected.") and finding.no_service_area
    assert not finding.tags.exists()
