"""Open data: the JSON API, the CSV export and the archive export."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from judgements.models import Finding, Judgement, ServiceAreaTag
from reports.models import Inspection, LocalAuthority, StatisticalNeighbour
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def html_numbers(client, query):
    """(inspection, paragraph) of every finding the website lists, all pages."""
    found, page = [], 1
    while True:
        response = client.get("/findings/", {**query, "page": page})
        assert response.status_code == 200
        content = response.content.decode()
        found += re.findall(r'<h2[^>]*>\s*<a class="govuk-link" href="/inspections/([^/]+)/'
                            r'findings/(\d+)/">', content)  # fmt: skip
        if 'rel="next"' not in content:
            return [(inspection, int(number)) for inspection, number in found]
        page += 1


def api_numbers(client, query):
    found, url, params = [], "/api/findings/", query
    while url:
        response = client.get(url, params, **JSON)
        assert response.status_code == 200, response.content
        body = response.json()
        found += [(f["inspection"], f["number"]) for f in body["results"]]
        url, params = body["next"], None
    return found


def csv_rows(client, query):
    response = client.get("/findings.csv", query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two_reports(harrow):
    """Harrow, and a second council's report with 25 findings (more than a page)."""
    other = InspectionFactory(slug="elsewhere-2024-01")
    judgement = JudgementFactory(inspection=other)
    for number in range(1, 26):
        finding = FindingFactory(
            judgement=judgement, number=number, text=f"Care leavers and pathway plans {number}."
        )
        ServiceAreaTag.objects.create(finding=finding, service_area_id=number % 3 + 1)
    return other


PARITY = [
    {},
    {"service_area": "care-leavers", "q": "pathway"},
    {"service_area": ["fostering", "adoption", "early-help"]},
    {"q": '"care leavers" -accommodation'},
    {"judgement_area": "help-and-protection", "judgement_grade": "good"},
    {"overall_grade": "good", "latest": "yes", "sort": "council"},
    {"region": "london", "year": "2020", "sort": "paragraph"},
    {"local_authority": "harrow", "q": "children"},
    {"inspection": "elsewhere-2024-01"},
]


@pytest.mark.parametrize("query", PARITY, ids=lambda q: json.dumps(q))
def test_website_api_and_csv_give_the_same_findings_in_the_same_order(client, two_reports, query):
    website = html_numbers(client, query)
    assert website, "a parity check needs findings to compare"
    assert api_numbers(client, query) == website
    rows = csv_rows(client, query)
    assert [(row["inspection"], int(row["paragraph"])) for row in rows] == website


def test_api_finding_has_what_a_client_needs(client, harrow):
    body = client.get("/api/inspections/harrow-2020-02/findings/24/", **JSON).json()
    assert body["number"] == 24
    assert body["inspection"] == "harrow-2020-02"
    assert body["local_authority"] == "harrow"
    assert body["judgement_area"]["slug"] == "children-in-care-and-care-leavers"
    assert body["grade"] == {"number": 2, "slug": "good", "label": "Good"}
    assert body["service_areas"] == ["health", "care-leavers"]
    assert body["text"] == Finding.objects.get(number=24).text
    assert body["web_url"] == "http://testserver/inspections/harrow-2020-02/findings/24/"
    assert body["url"] == "http://testserver/api/inspections/harrow-2020-02/findings/24/"
    assert body["improvement_actions"] == [2]
    # the report's words carry the Open Government Licence's attribution, as in the CSV
    ogl = (
        "Contains public sector information licensed under the Open Government Licence "
        "v3.0. © Crown copyright 2020"
    )
    assert body["attribution"].strip() == ogl
    assert client.get(body["url"], **JSON).json() == body  # a stable address
    listed = client.get("/api/findings/", {"inspection": "harrow-2020-02"}, **JSON).json()
    assert {finding["attribution"].strip() for finding in listed["results"]} == {ogl}


def test_api_inspection_judgements_actions_and_service_areas(client, harrow):
    inspection = client.get("/api/inspections/harrow-2020-02/", **JSON).json()
    assert [j["grade"]["slug"] for j in inspection["judgements"]] == ["good"] * 4
    assert inspection["start_date"] == "2020-02-10"
    assert inspection["lead_inspector"] == "Brenda McLaughlin"
    assert len(inspection["summary"]) == 3
    assert inspection["earlier_grades"][0]["grade"]["slug"] == "requires-improvement"
    assert inspection["finding_count"] == 32
    actions = client.get(inspection["improvement_actions"], **JSON).json()["results"]
    assert [a["evidence"] for a in actions] == [[8], [24], [29], [13, 22]]
    assert all("Open Government Licence" in a["attribution"] for a in actions)
    judgements = client.get("/api/judgements/", {"grade": "good"}, **JSON).json()
    assert judgements["count"] == 4
    areas = client.get("/api/service-areas/", **JSON).json()["results"]
    counts = {area["slug"]: area["finding_count"] for area in areas}
    assert counts["care-leavers"] == 3
    assert client.get("/api/glossary/MASH/", **JSON).json()["expansion"] == (
        "multi-agency safeguarding hub"
    )
    root = client.get("/api/", **JSON).json()
    for link in root.values():
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/findings/", {"service_area": "no-such-area"}, "service_area"),
        ("/api/findings/", {"page": "abc"}, "page"),
        ("/api/findings/", {"page": "999"}, "page"),
        ("/api/findings/", {"judgement_grade": "excellent"}, "judgement_grade"),
        ("/api/findings/", {"grade": "excellent"}, "judgement_grade"),  # its old name
        ("/api/findings/", {"overall_grade": "excellent"}, "overall_grade"),
        ("/api/findings/", {"sort": "random"}, "sort"),
        ("/api/findings/", {"q": "x" * 10_000}, "q"),
        ("/api/findings/", {"q": "nul\x00"}, "q"),
        ("/api/judgements/", {"area": "<script>"}, "area"),
        ("/api/inspections/", {"local_authority": "atlantis"}, "local_authority"),
        ("/findings.csv", {"inspection": "nowhere-2020-01"}, "inspection"),
    ],
)
def test_bad_parameters_get_400_with_a_json_body_naming_them(client, harrow, url, query, field):
    response = client.get(url, query, **JSON)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()


@pytest.mark.parametrize("url", ["/api/findings/", "/api/inspections/"])
def test_an_empty_filter_value_means_any_on_every_list(client, harrow, url):
    everything = client.get(url, **JSON).json()["count"]
    assert everything > 0
    for query in ({"local_authority": ""}, {"local_authority": " "}):
        response = client.get(url, query, **JSON)
        assert response.status_code == 200, response.content
        assert response.json()["count"] == everything


@pytest.mark.parametrize(
    "url",
    [
        "/api/inspections/harrow-2020-02/findings/99/",
        "/api/inspections/nowhere-2020-02/",
        "/api/inspections/harrow-2020-02/judgements/nothing/",
        "/api/service-areas/nothing/",
        "/api/glossary/XYZ/",
    ],
)
def test_unknown_objects_get_404_with_a_json_body(client, harrow, url):
    response = client.get(url, **JSON)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_api_is_read_only(client, harrow):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/findings/").status_code == 405
    assert client.post("/findings.csv").status_code == 405
    assert Finding.objects.count() == 32


def test_conditional_get_answers_304_until_the_data_changes(client, harrow):
    for url in ["/api/findings/?service_area=care-leavers", "/findings.csv?q=pathway"]:
        first = client.get(url, **JSON)
        assert first.status_code == 200
        etag, modified = first["ETag"], first["Last-Modified"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified, **JSON).status_code == 304
        Judgement.objects.filter(area__slug="overall-effectiveness").update(grade=1)
        again = client.get(url, HTTP_IF_NONE_MATCH=etag, **JSON)
        assert again.status_code == 200
        assert again["ETag"] != etag


def test_etags_differ_between_addresses(client, harrow):
    one = client.get("/api/findings/", {"service_area": "fostering"}, **JSON)["ETag"]
    two = client.get("/api/findings/", {"service_area": "adoption"}, **JSON)["ETag"]
    assert one != two


def test_cors_is_open_for_reading_the_api(client, harrow):
    response = client.get("/api/findings/", HTTP_ORIGIN="https://example.org", **JSON)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/findings/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/findings/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page  # only the API


def test_api_lists_run_a_fixed_number_of_queries(
    client, two_reports, django_assert_max_num_queries
):
    for url in ["/api/findings/", "/api/inspections/", "/api/judgements/",
                "/api/improvement-actions/", "/api/service-areas/"]:  # fmt: skip
        with django_assert_max_num_queries(8):
            assert client.get(url, **JSON).status_code == 200


def test_csv_export(client, harrow):
    response = client.get("/findings.csv", {"service_area": "care-leavers"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.date.today().isoformat()
    assert f'filename="findings-care-leavers-{today}.csv"' in response["Content-Disposition"]
    rows = csv_rows(client, {"service_area": "care-leavers"})
    assert list(rows[0]) == [
        "inspection", "local_authority", "paragraph", "judgement_area", "grade",
        "service_areas", "text", "url", "is_synthetic", "published", "source_url",
        "inspection_date", "overall_grade",
        "unconfirmed_service_areas", "attribution",
    ]  # fmt: skip
    assert [row["paragraph"] for row in rows] == ["14", "23", "24"]
    row = rows[2]
    assert row["inspection"] == "harrow-2020-02"
    assert row["judgement_area"] == (
        "The experiences and progress of children in care and care leavers"
    )
    assert row["grade"] == "Good"
    assert row["service_areas"] == "Health and well-being; Care leavers"
    assert row["text"] == Finding.objects.get(number=24).text
    assert row["url"] == "http://testserver/inspections/harrow-2020-02/findings/24/"
    assert row["is_synthetic"] == "no"
    assert row["published"] == "2020-03-16"
    assert row["source_url"] == "https://files.ofsted.gov.uk/v1/file/50149055"
    assert row["inspection_date"] == "2020-02-10"
    assert row["overall_grade"] == "Good"
    assert row["unconfirmed_service_areas"] == ""  # Harrow 2020 is tagged by hand
    # the Open Government Licence's attribution on every row, as /inspections.csv has it
    assert row["attribution"] == (
        "Contains public sector information licensed under the Open Government Licence "
        "v3.0. © Crown copyright 2020"
    )


def test_the_findings_page_links_to_its_csv_and_json(client, harrow):
    content = client.get("/findings/", {"service_area": "fostering", "page": 1}).content.decode()
    assert 'href="/findings.csv?service_area=fostering&amp;bom=1"' in content
    assert 'href="/api/findings/?service_area=fostering"' in content


def test_openapi_schema_is_valid_and_describes_every_filter(client):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/findings/"]["get"]["parameters"]}
    assert parameters == {
        "q", "service_area", "confirmed", "judgement_area", "judgement_grade", "overall_grade",
        "region", "year", "latest", "sort", "inspection", "local_authority", "neighbours_of",
        "framework", "page",
    }  # fmt: skip
    assert client.get(reverse("api:docs")).status_code == 200


def test_archive_export_round_trip(harrow, tmp_path):
    archive = tmp_path / "archive.json"
    call_command("export_data", output=str(archive), stdout=io.StringIO())

    def snapshot():
        return {
            "findings": list(
                Finding.objects.values_list(
                    "inspection__slug", "number", "text", "judgement__grade"
                )
            ),
            "tags": sorted(Finding.objects.values_list("number", "service_areas__slug")),
            "evidence": sorted(
                Finding.objects.filter(improvement_actions__isnull=False).values_list(
                    "improvement_actions__position", "number"
                )
            ),
            "inspections": list(Inspection.objects.values()),
        }  # fmt: skip

    before = snapshot()
    Inspection.objects.all().delete()
    assert not Finding.objects.exists()
    call_command("loaddata", str(archive), verbosity=0)
    after = snapshot()
    assert after["findings"] == before["findings"]
    assert after["tags"] == before["tags"]
    assert after["evidence"] == before["evidence"]
    for row in after["inspections"] + before["inspections"]:
        row.pop("id")
    assert after["inspections"] == before["inspections"]


def test_unknown_api_addresses_answer_in_json_and_pages_in_html(client, harrow):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such address in the API: see /api/."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_deleting_an_inspection_takes_its_findings_but_a_judgement_alone_is_refused(harrow):
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        harrow.judgements.get(area__slug="help-and-protection").delete()
    assert Finding.objects.count() == 32
    harrow.delete()
    assert not Finding.objects.exists()
    assert not Judgement.objects.exists()


def test_api_actions_show_the_public_plan_status_but_never_the_owner(client, harrow):
    import datetime

    from judgements.models import ActionPlan

    action = harrow.improvement_actions.get(position=2)
    ActionPlan.objects.create(
        action=action, owner="Head of care leavers' service", status="in-progress",
        target_date=datetime.date(2020, 9, 30),
    )  # fmt: skip
    body = client.get("/api/inspections/harrow-2020-02/improvement-actions/2/", **JSON).json()
    assert body["action_plan"] == {
        "status": "in-progress", "status_label": "In progress", "target_date": "2020-09-30"
    }  # fmt: skip
    assert "Head of care leavers" not in json.dumps(body)
    other = client.get("/api/inspections/harrow-2020-02/improvement-actions/1/", **JSON).json()
    assert other["action_plan"] is None


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/inspections/", "region"),  # answered all 413 inspections, as if filtered
        ("/api/findings/", "page_size"),
        ("/api/comparison/", "bogus"),
        ("/api/service-areas/", "q"),
        ("/api/inspections/harrow-2020-02/", "page"),
    ],
)
def test_a_parameter_the_address_does_not_take_is_a_400_saying_what_it_takes(
    client, harrow, url, parameter
):
    response = client.get(url, {parameter: "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    (message,) = response.json()[parameter]
    assert f"does not take “{parameter}”" in message
    takes = message.partition("; it takes: ")[2].rstrip(".").split(", ")
    assert "format" in takes and parameter not in takes


def test_the_parameters_an_address_takes_still_work(client, harrow):
    for url in ["/api/inspections/?page=1&format=json", "/api/findings/?grade=good&q=care"]:
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200, url


def test_every_filter_is_described_and_a_wrong_choice_names_the_right_ones(client, harrow):
    # the documentation showed a dash for half the filters (latest, neighbours_of…), and
    # ?latest=1 was told only "not one of the available choices"
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("description"), (path, parameter["name"])
    judgement_grade = next(
        p for p in schema["paths"]["/api/judgements/"]["get"]["parameters"] if p["name"] == "grade"
    )
    assert judgement_grade["schema"]["items"]["type"] == "string"  # slugs, not numbers
    wrong = client.get("/api/findings/", {"latest": "1"}, **JSON)
    assert wrong.status_code == 400
    assert wrong.json()["latest"] == ["1 is not a value this takes: yes."]
    page = client.get("/findings/", {"latest": "1"})
    assert page.status_code == 400 and "1 is not a value this takes: yes." in page.content.decode()


def test_a_council_in_the_api_has_its_region_as_the_filters_take_it_and_its_neighbours(
    client, harrow, django_assert_max_num_queries
):
    # "region": "E12000007" alone, and no neighbours, though the page lists them and
    # ?region= and ?neighbours_of= take slugs
    body = client.get("/api/local-authorities/harrow/", **JSON).json()
    assert body["region"] == "E12000007"
    assert (body["region_slug"], body["region_name"]) == ("london", "London")
    expected = [
        link.neighbour.slug
        for link in StatisticalNeighbour.objects.filter(authority__slug="harrow").order_by(
            "position"
        )
    ]
    assert len(expected) == 10 and body["statistical_neighbours"] == expected
    assert client.get("/api/comparison/", {"neighbours_of": "harrow"}, **JSON).status_code == 200
    with django_assert_max_num_queries(6):  # fixed, whatever the number of councils
        listed = client.get("/api/local-authorities/", **JSON).json()
    assert listed["count"] == LocalAuthority.objects.count()
