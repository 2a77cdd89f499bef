"""Who may import, replace, delete, revert and correct progress updates (issue 17): each
is a permission a superuser can grant, with defaults that match the work."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from judgements.roles import EDITORS, VIEWERS
from reports.models import Inspection
from tests.report_files import REPORTS
from tests.staff_clients import PASSWORD, staff_client
from tests.test_admin import form_data
from tests.test_staff import change_url

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/reports/importlog/import/"
WALSALL = REPORTS / "walsall-published-2025-07-08.pdf"


def group_permissions(name):
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_editors_import_and_revert_but_only_superusers_replace_delete_and_correct_updates():
    editors = group_permissions(EDITORS)
    assert {
        "reports.import_report",
        "judgements.revert_finding",
        "judgements.revert_actionplan",
    } <= editors
    for superusers_only in [
        "reports.replace_report",
        "judgements.delete_finding",
        "judgements.change_progressupdate",
        "judgements.delete_progressupdate",
    ]:
        assert superusers_only not in editors
    viewers = group_permissions(VIEWERS)
    assert "reports.import_report" not in viewers
    assert "judgements.revert_finding" not in viewers


def test_a_viewer_refused_inside_the_admin_gets_an_admin_page_saying_what_they_may_do(harrow):
    viewer = staff_client("cleo", "viewer")
    response = viewer.get(UPLOAD)
    assert response.status_code == 403
    content = response.content.decode()
    assert "admin/css/base.css" in content and "staff admin" in content  # the admin's design
    assert "Importing a report needs the “Can import a report” permission" in content
    assert "see every report, finding and action plan, with its history" in content
    assert "import a report" not in content.split("You may:")[1].split("</ul>")[0]


def test_a_superuser_grants_one_viewer_the_import_permission_and_they_may_upload(harrow):
    staff_client("cleo", "viewer")
    cleo = User.objects.get(username="cleo")
    cleo.user_permissions.add(Permission.objects.get(codename="import_report"))
    client = Client()
    client.force_login(cleo)
    assert client.get(UPLOAD).status_code == 200
    assert "Import a report" in client.get("/admin/reports/importlog/").content.decode()


def test_a_viewers_revert_is_refused_with_an_admin_page_and_the_form_offers_no_revert(harrow):
    viewer = staff_client("cleo", "viewer")
    editor = staff_client("asha", "editor")
    finding = harrow.findings.get(number=5)
    first = finding.history.earliest()
    revert = reverse("admin:judgements_finding_simple_history", args=[finding.pk, first.pk])
    assert 'name="_save"' not in viewer.get(revert).content.decode()
    response = viewer.post(revert, form_data(editor.get(revert)))
    assert response.status_code == 403
    assert "Reverting this finding to an earlier version needs" in response.content.decode()


def test_an_editor_without_the_revert_permission_may_change_but_not_revert(harrow):
    editor = staff_client("asha", "editor")
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.remove(Permission.objects.get(codename="revert_finding"))
    finding = harrow.findings.get(number=5)
    first = finding.history.earliest()
    revert = reverse("admin:judgements_finding_simple_history", args=[finding.pk, first.pk])
    data = form_data(editor.get(change_url(finding)))
    assert editor.post(revert, data).status_code == 403
    data["text"] = "A corrected paragraph."
    assert editor.post(change_url(finding), data).status_code == 302


def test_an_editor_cannot_replace_an_inspection_only_a_superuser_can(harrow):
    editor = staff_client("asha", "editor")
    page = editor.get(UPLOAD).content.decode()
    assert "Replacing a report needs the" in page
    with open(WALSALL, "rb") as pdf:
        preview = editor.post(UPLOAD, {"report": pdf, "replace": "on"})
    assert "This will replace" not in preview.content.decode()  # the box is not theirs to tick
    assert editor.post(UPLOAD, {"confirm": "1"}).status_code == 302
    assert Inspection.objects.filter(local_authority__name="Walsall").count() == 1

    root = Client()
    root.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    assert "Replacing a report needs the" not in root.get(UPLOAD).content.decode()
