"""Staff edit the report in the admin; nobody else gets in."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from simple_history.models import HistoricalChanges

from judgements.models import Finding, ServiceArea
from tests.factories import FindingFactory

pytestmark = pytest.mark.django_db

FINDINGS = reverse("admin:judgements_finding_changelist")


@pytest.fixture
def editor(client):
    """A member of staff who may view and change findings and their tags, not a superuser."""
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["judgements", "reports"],
            codename__regex=r"^(view|change|add|delete)_",
        )
    )
    client.force_login(user)
    return client


def form_data(response):
    """The POST a browser would send back for an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    try:
        inlines = response.context["inline_admin_formsets"]
    except KeyError:  # a page without inlines, e.g. reverting to an earlier version
        inlines = []
    for inline in inlines:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if form.fields[name].show_hidden_initial:  # as the page's hidden input sends it
                data[form.add_initial_prefix(name)] = str(value)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(getattr(value, "pk", value))
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, harrow):
    for url in [
        reverse("admin:index"),
        FINDINGS,
        reverse("admin:judgements_finding_change", args=[harrow.findings.get(number=1).pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_non_staff_user_is_sent_to_log_in(client, harrow):
    client.force_login(User.objects.create_user("member", password="x"))
    response = client.get(FINDINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_see_findings_listed_by_paragraph_with_area_and_tags(editor, harrow):
    response = editor.get(FINDINGS)
    assert response.status_code == 200
    findings = list(response.context["cl"].result_list)
    assert [f.number for f in findings] == list(range(1, 33))
    content = response.content.decode()
    assert "Care leavers" in content
    assert "Children in care and care leavers" in content


def test_findings_list_runs_a_fixed_number_of_queries(
    editor, harrow, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert editor.get(FINDINGS).status_code == 200


def test_staff_filter_findings_by_service_area_and_search_the_text(editor, harrow):
    response = editor.get(
        FINDINGS, {"service_areas__id__exact": ServiceArea.objects.get(slug="care-leavers").pk}
    )
    assert {f.number for f in response.context["cl"].result_list} == {14, 23, 24}
    response = editor.get(FINDINGS, {"q": "radicalisation"})
    assert [f.number for f in response.context["cl"].result_list] == [3]


def test_staff_find_a_paragraph_by_number_in_the_autocomplete(editor, harrow):
    response = editor.get(
        reverse("admin:autocomplete"),
        {
            "term": "24",
            "app_label": "judgements",
            "model_name": "evidencelink",
            "field_name": "finding",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["harrow-2020-02 paragraph 24"]


def test_staff_edit_a_findings_tags_on_its_page(editor, harrow):
    finding = harrow.findings.get(number=19)
    url = reverse("admin:judgements_finding_change", args=[finding.pk])
    data = form_data(editor.get(url))
    assert data["tags-TOTAL_FORMS"] == "2"  # the fostering tag and one empty row
    data["tags-1-service_area"] = str(ServiceArea.objects.get(slug="workforce").pk)
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(finding.service_areas.values_list("slug", flat=True)) == {"fostering", "workforce"}


def test_staff_edit_a_findings_text_and_evidence_links(editor, harrow):
    finding = harrow.findings.get(number=23)
    url = reverse("admin:judgements_finding_change", args=[finding.pk])
    data = form_data(editor.get(url))
    data["text"] = finding.text.replace("suitable", "safe and suitable")
    prefix = "evidence_links"
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-action"] = str(harrow.improvement_actions.get(position=2).pk)
    data[f"{prefix}-0-finding"] = str(finding.pk)
    assert editor.post(url, data).status_code == 302
    finding.refresh_from_db()
    assert "live in safe and suitable accommodation" in finding.text
    assert list(finding.improvement_actions.values_list("position", flat=True)) == [2]


def test_every_model_is_registered_in_the_admin():
    for app_label in ["reports", "judgements"]:
        for model in apps.get_app_config(app_label).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # shown on each record's own history page
            assert admin.site.is_registered(model), model


def test_the_admin_index_speaks_plainly(editor, harrow):
    content = editor.get(reverse("admin:index")).content.decode()
    for words in [
        "Reports and local authorities",
        "Judgements, findings and improvement actions",
        "Findings",
        "Improvement actions",
        "Service areas",
        "Glossary terms",
    ]:
        assert words in content


def test_an_unknown_finding_in_the_admin_is_not_a_server_error(editor, harrow):
    response = editor.get(reverse("admin:judgements_finding_change", args=[999999]))
    assert response.status_code == 302  # back to the list, with a message
    assert Finding.objects.count() == 32


def test_evidence_from_another_report_is_refused_with_a_message(editor, harrow):
    other = FindingFactory(number=24)
    action = harrow.improvement_actions.get(position=2)
    url = reverse("admin:judgements_improvementaction_change", args=[action.pk])
    data = form_data(editor.get(url))
    data["evidence_links-1-finding"] = str(other.pk)
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Evidence must be a paragraph of the same report" in response.content.decode()
    assert list(action.evidence.values_list("number", flat=True)) == [24]
    assert not other.evidence_links.exists()


def test_a_judgement_of_another_inspection_is_refused_with_a_message(editor, harrow):
    other_judgement = FindingFactory().judgement
    finding = harrow.findings.get(number=1)
    url = reverse("admin:judgements_finding_change", args=[finding.pk])
    data = form_data(editor.get(url))
    data["judgement"] = str(other_judgement.pk)
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Choose a judgement of the same inspection" in response.content.decode()
    finding.refresh_from_db()
    assert finding.judgement.inspection == harrow


def test_staff_find_a_service_area_in_the_tag_autocomplete(editor, harrow):
    response = editor.get(
        reverse("admin:autocomplete"),
        {
            "term": "care",
            "app_label": "judgements",
            "model_name": "serviceareatag",
            "field_name": "service_area",
        },
    )
    assert response.status_code == 200
    names = [r["text"] for r in response.json()["results"]]
    # in the taxonomy's order
    assert names == ["Young carers", "Children in care", "Care leavers"]
