"""The action plan as a working list (issue 17, item 3): every improvement action with
or without a plan, its filters, its CSV, and owner and status assigned in bulk with the
same version check as a single save."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from judgements.models import ActionPlan, ImprovementAction, PlanStatus, ProgressUpdate
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/judgements/improvementaction/"
CSV = "/admin/judgements/improvementaction/plan.csv"


def shown_text(html):
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def rows(response):
    """The list's rows, each as the text a reader sees."""
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [shown_text(row).strip() for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def action(harrow, position):
    return ImprovementAction.objects.get(inspection=harrow, position=position)


def make_plan(harrow, position, **fields):
    defaults = {"owner": "Head of Service", "status": PlanStatus.NOT_STARTED}
    defaults["target_date"] = datetime.date(2021, 3, 31)
    return ActionPlan.objects.create(action=action(harrow, position), **{**defaults, **fields})


@pytest.fixture
def older_harrow(harrow):
    """An earlier Harrow inspection with an action: not the plan being worked on."""
    older = InspectionFactory(
        local_authority=harrow.local_authority,
        slug="harrow-2016-01",
        start_date=datetime.date(2016, 1, 11),
        end_date=datetime.date(2016, 1, 22),
    )
    ImprovementAction.objects.create(inspection=older, position=1, text="An older action.")
    return older


def test_every_action_of_the_latest_inspection_is_listed_with_its_plan_or_none(
    editor, harrow, older_harrow
):
    plan = make_plan(harrow, 1, owner="Head of Corporate Parenting", status=PlanStatus.IN_PROGRESS)
    ProgressUpdate.objects.create(
        plan=plan, written_on=datetime.date(2021, 1, 5), text="Audit of pathway plans begun."
    )
    response = editor.get(LIST)
    listed = rows(response)
    assert len(listed) == 4  # Harrow 2020's four actions; the 2016 one is not the latest
    first = listed[0]
    assert "Head of Corporate Parenting" in first and "In progress" in first
    assert "31 Mar 2021" in first
    assert "5 Jan 2021: Audit of pathway plans begun." in first
    days = (timezone.localdate() - datetime.date(2021, 3, 31)).days
    assert f"Yes, by {days} days" in first
    # The three actions without a plan are listed too, and say so.
    assert all("No owner" in row and "No plan yet" in row for row in listed[1:])
    assert all("None set" in row for row in listed[1:])

    everything = rows(editor.get(LIST + "?inspection=all"))
    assert len(everything) == 5 and any("An older action." in row for row in everything)
    council = f"inspection__local_authority__id__exact={harrow.local_authority_id}"
    one = rows(editor.get(f"{LIST}?{council}&inspection={older_harrow.pk}"))
    assert len(one) == 1 and "An older action." in one[0]


def test_the_list_filters_by_status_overdue_and_unowned(editor, harrow):
    make_plan(harrow, 1, status=PlanStatus.IN_PROGRESS)  # overdue: target 2021
    make_plan(harrow, 2, status=PlanStatus.COMPLETE)  # complete: never overdue
    make_plan(harrow, 3, status=PlanStatus.NOT_STARTED, target_date=datetime.date(2099, 1, 1))

    def positions(query):
        return [int(row.split()[0]) for row in rows(editor.get(LIST + "?" + query))]

    assert positions("status=in-progress") == [1]
    assert positions("status=none") == [4]
    assert positions("overdue=yes") == [1]
    assert positions("overdue=no") == [2, 3, 4]
    assert positions("owner=none") == [4]
    assert positions("owner=some") == [1, 2, 3]


def test_the_plan_downloads_as_a_csv_excel_reads_and_no_spreadsheet_runs(editor, harrow):
    make_plan(harrow, 1, owner='=HYPERLINK("http://evil.example")', status=PlanStatus.IN_PROGRESS)
    response = editor.get(CSV + "?status=in-progress")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="action-plan-latest-' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel then reads it as UTF-8
    table = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(table) == 1  # as filtered
    (row,) = table
    assert row["local_authority"] == "Harrow"
    assert row["owner"] == '\'=HYPERLINK("http://evil.example")'  # shown, never run
    assert row["status"] == "In progress" and row["overdue"] == "yes"
    assert row["improvement_action"] == action(harrow, 1).text  # verbatim, in full
    everything = list(csv.DictReader(io.StringIO(editor.get(CSV).content.decode()[1:])))
    assert [r["status"] for r in everything] == ["In progress"] + ["No plan yet"] * 3


def loaded_list(client):
    """The POST a browser sends from the list: its hidden plan versions."""
    page = client.get(LIST).content.decode()
    return dict(re.findall(r'name="(loaded_plan_\d+)" value="(\d+)"', page))


def bulk(client, versions, actions, **fields):
    data = {
        **versions,
        "action": "assign_owner_and_status",
        ACTION_CHECKBOX_NAME: [str(a.pk) for a in actions],
        "apply": "yes",
        **fields,
    }
    return client.post(LIST, data)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_owner_and_status_are_assigned_to_three_actions_at_once(editor, harrow):
    make_plan(harrow, 1)
    chosen = [action(harrow, position) for position in (1, 2, 3)]
    versions = loaded_list(editor)
    assert versions[f"loaded_plan_{chosen[0].pk}"] == "1"
    assert versions[f"loaded_plan_{chosen[1].pk}"] == "0"  # no plan

    # The confirmation page lists them and asks for a target date for the new plans.
    page = editor.post(
        LIST,
        {
            **versions,
            "action": "assign_owner_and_status",
            ACTION_CHECKBOX_NAME: [a.pk for a in chosen],
        },
    )
    assert page.status_code == 200
    text = shown_text(page.content.decode())
    assert "The 3 actions you chose" in text
    assert "Target date for new plans" in text

    # Without a target date the two new plans cannot be made: nothing is saved.
    refused = bulk(editor, versions, chosen, owner="Head of Service", status="in-progress")
    assert refused.status_code == 200
    assert "2 of the selected actions have no plan yet, and a new plan needs a target date" in (
        unescape(refused.content.decode())
    )
    assert ActionPlan.objects.count() == 1

    done = bulk(
        editor,
        versions,
        chosen,
        owner="Head of Service",
        status="in-progress",
        target_date="2026-06-30",
    )
    assert done.status_code == 302
    plans = ActionPlan.objects.filter(action__in=chosen).order_by("action__position")
    assert [(p.owner, p.status) for p in plans] == [("Head of Service", "in-progress")] * 3
    assert [p.target_date for p in plans][1:] == [datetime.date(2026, 6, 30)] * 2
    assert plans[0].target_date == datetime.date(2021, 3, 31)  # an existing plan keeps its own
    assert plans[0].version == 2
    record = plans[0].history.latest()
    assert record.history_user.username == "asha"
    assert record.history_change_reason == "Assigned in bulk from the action plan list"
    (message,) = messages_of(editor.get(done["Location"]))
    assert message.startswith("Assigned owner “Head of Service” and status “In progress” to 3 ")


def test_an_action_whose_plan_changed_since_the_list_was_loaded_is_refused(
    editor, other_editor, harrow
):
    first, second = make_plan(harrow, 1), make_plan(harrow, 2)
    versions = loaded_list(editor)
    # Ben changes action 2's plan on its own page after Asha loaded the list.
    second.status = PlanStatus.COMPLETE
    second.version += 1
    second._history_user = None
    second.save()
    response = bulk(editor, versions, [first.action, second.action], owner="Director")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.owner == "Director"
    assert (second.owner, second.status) == ("Head of Service", PlanStatus.COMPLETE)
    shown = messages_of(editor.get(response["Location"]))
    assert any(m.startswith("Assigned owner “Director” to 1 action") for m in shown), shown
    (refusal,) = [m for m in shown if m.startswith("Not changed")]
    assert "action 2 of Harrow, February 2020" in refusal
    assert "saved after you loaded the list, so nothing was changed for it" in refusal
    assert "Status was “Not started” and is now “Complete”" in refusal


def test_a_plan_made_for_an_action_since_the_list_was_loaded_is_not_overwritten(editor, harrow):
    versions = loaded_list(editor)
    make_plan(harrow, 4, owner="Someone else's choice")
    response = bulk(
        editor, versions, [action(harrow, 4)], owner="Director", target_date="2026-06-30"
    )
    assert response.status_code == 302
    assert ActionPlan.objects.get(action__position=4).owner == "Someone else's choice"
    (refusal,) = messages_of(editor.get(response["Location"]))
    assert "Someone made a plan for it after you loaded the list" in refusal


def test_a_target_date_before_the_inspection_is_refused_for_new_plans(editor, harrow):
    versions = loaded_list(editor)
    response = bulk(
        editor, versions, [action(harrow, 4)], owner="Director", target_date="2019-01-01"
    )
    assert not ActionPlan.objects.exists()
    (refusal,) = messages_of(editor.get(response["Location"]))
    assert "The target date cannot be before the inspection: it ended on 14 February 2020" in (
        refusal
    )


def test_a_viewer_sees_the_list_and_the_csv_but_cannot_assign(viewer, harrow):
    plan = make_plan(harrow, 1)
    page = viewer.get(LIST).content.decode()
    assert ACTION_CHECKBOX_NAME not in page  # no boxes to tick, no bulk action
    assert viewer.get(CSV).status_code == 200
    versions = dict(re.findall(r'name="(loaded_plan_\d+)" value="(\d+)"', page))
    bulk(viewer, versions, [plan.action], owner="Director")
    plan.refresh_from_db()
    assert plan.owner == "Head of Service"


def test_the_admin_index_still_reaches_the_list(editor, harrow):
    assert editor.get(reverse("admin:judgements_improvementaction_changelist")).status_code == 200


def test_the_lists_queries_do_not_grow_with_the_number_of_actions(editor, harrow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_plan(harrow, 1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor.get(LIST + "?inspection=all").status_code == 200
        return len(captured)

    few = queries()
    for position in range(5, 25):
        made = ImprovementAction.objects.create(
            inspection=harrow, position=position, text=f"Action {position}."
        )
        ActionPlan.objects.create(action=made, owner="Head", target_date=datetime.date(2021, 1, 1))
    assert queries() == few, few
