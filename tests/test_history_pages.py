"""A local authority's inspections over time, the national comparison, and what changed
since the previous inspection."""

import re

import pytest

from judgements.models import Grade, Judgement, JudgementArea
from tests.factories import InspectionFactory, JudgementFactory, LocalAuthorityFactory

pytestmark = pytest.mark.django_db

GRADES = "Outstanding|Good|Requires improvement to be good|Inadequate"
CELL = rf">({GRADES}|not judged[^<]*|not stated[^<]*|judged [^<]*)<"


def text_of(response):
    return response.content.decode()


def test_local_authority_page_lists_inspections_in_time_order_with_grades(
    client, harrow_history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):  # 8, and the data version for the ETag
        response = client.get("/local-authorities/harrow/")
    content = text_of(response)
    assert response.status_code == 200
    assert content.index("10 February 2020") < content.index("20 January 2025")
    table = re.search(r"Grades per judgement area</caption>(.*?)</table>", content, re.S)[1]
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
    # The 2017 grade the 2020 report states is the single inspection framework's.
    assert "2017: single inspection framework (as the 2020 report says)" in header[1]
    assert "February 2020" in header[2] and "January 2025" in header[3]
    rows = {
        re.search(r'scope="row"[^>]*>(.*?)</th>', row)[1]: re.findall(CELL, row)
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    }
    assert rows["Help and protection"] == ["Requires improvement to be good", "Good", "Good"]
    assert rows["Overall effectiveness"] == ["not stated in the report", "Good", "Inadequate"]
    # 2020 judged care leavers with children in care: never "not judged" (issue 16)
    assert rows["Care leavers"] == [
        "not stated in the report", "judged with children in care (one judgement)", "Inadequate"
    ]  # fmt: skip
    assert content.count("<polyline") == len(rows)  # one line per judgement area in the chart


def test_inspection_page_says_what_changed_since_the_previous_inspection(client, harrow_history):
    content = text_of(client.get("/inspections/harrow-2025-01/"))
    changes = re.search(r"What changed since the previous inspection</h2>(.*?)</table>",
                        content, re.S)[1]  # fmt: skip
    overall = re.search(r">Overall effectiveness</th>(.*?)</tr>", changes, re.S)[1]
    assert re.search(r">Good</strong>.*>Inadequate</strong> <span[^>]*>worse</span>", overall, re.S)
    helped = re.search(r">Help and protection</th>(.*?)</tr>", changes, re.S)[1]
    assert "same" in helped
    assert 'href="/inspections/harrow-2020-02/"' in changes
    # in the order of the report's own table of judgements, the table above it
    short = {area.name: area.short_name for area in JudgementArea.objects.all()}
    table = re.search(r">Judgements</caption>(.*?)</table>", content, re.S)[1]
    order = [short[name] for name in re.findall(r'scope="row"[^>]*><a[^>]*>([^<]+)</a>', table)]
    rows = re.findall(r'scope="row"[^>]*>([^<]+)</th>', changes)
    assert len(order) >= 4 and rows[: len(order)] == order
    # 2020 judged children in care and care leavers together: its grade is set beside
    # each of 2025's two judgements, saying so, and care leavers' fall is seen
    assert "Children in care and care leavers" not in rows
    leavers = re.search(r">Care leavers</th>(.*?)</tr>", changes, re.S)[1]
    assert re.search(
        r">Good</strong> <span[^>]*>judged with children in care</span>.*"
        r">Inadequate</strong> <span[^>]*>worse</span>",
        leavers,
        re.S,
    ), leavers
    in_care = re.search(r">Children in care</th>(.*?)</tr>", changes, re.S)[1]
    assert "judged with care leavers" in in_care and "not judged" not in in_care


def test_comparison_shows_each_local_authoritys_latest_grades(client, harrow_history):
    other = InspectionFactory(local_authority=LocalAuthorityFactory(name="Barnet", slug="barnet"))
    JudgementFactory(inspection=other, grade=Grade.OUTSTANDING)
    JudgementFactory(
        inspection=other,
        area=Judgement.area.field.related_model.objects.get(slug="overall-effectiveness"),
        grade=Grade.GOOD,
        table_position=2,
    )
    content = text_of(client.get("/local-authorities/"))
    names = re.findall(r'href="/local-authorities/([a-z-]+)/"', content)
    assert names == ["barnet", "harrow"]  # sorted by name; Harrow once, its latest report
    assert 'href="/inspections/harrow-2025-01/">January 2025' in content
    assert "harrow-2020-02" not in content
    by_overall = text_of(client.get("/local-authorities/", {"sort": "overall-effectiveness"}))
    assert re.findall(r'href="/local-authorities/([a-z-]+)/"', by_overall) == ["barnet", "harrow"]
    inadequate = client.get(
        "/local-authorities/", {"grade": "inadequate", "area": "overall-effectiveness"}
    )
    assert re.findall(r'href="/local-authorities/([a-z-]+)/"', text_of(inadequate)) == ["harrow"]
    distribution = re.search(r"by the grade of their latest inspection</caption>(.*?)</table>",
                             content, re.S)[1]  # fmt: skip
    overall = re.search(r">Overall effectiveness</th>(.*?)</tr>", distribution, re.S)[1]
    assert re.findall(r"numeric\"[^>]*>(\d+)<", overall) == ["0", "1", "0", "1"]


def test_comparison_shows_a_change_on_the_next_visit(client, harrow_history):
    """Each council's cells and the national charts are rendered once per data change:
    a grade corrected after a first visit shows in the table and the charts at once."""

    def overall_row(content):
        row = re.search(r'href="/local-authorities/harrow/".*?</tr>', content, re.S)[0]
        return re.search(r'data-label="Overall effectiveness">(.*?)</td>', row, re.S)[1]

    def distribution(content):
        table = re.search(r"by the grade of their latest inspection</caption>(.*?)</table>",
                          content, re.S)[1]  # fmt: skip
        overall = re.search(r">Overall effectiveness</th>(.*?)</tr>", table, re.S)[1]
        return re.findall(r"numeric\"[^>]*>(\d+)<", overall)

    first = text_of(client.get("/local-authorities/"))
    assert ">Inadequate</strong>" in overall_row(first)
    assert distribution(first) == ["0", "0", "0", "1"]
    Judgement.objects.filter(
        inspection__slug="harrow-2025-01", area__slug="overall-effectiveness"
    ).update(grade=Grade.GOOD)
    after = text_of(client.get("/local-authorities/"))
    assert ">Good</strong>" in overall_row(after)
    assert distribution(after) == ["0", "1", "0", "0"]
    new = InspectionFactory(local_authority=LocalAuthorityFactory(name="Barnet", slug="barnet"))
    JudgementFactory(inspection=new, grade=Grade.OUTSTANDING)
    assert 'href="/local-authorities/barnet/"' in text_of(client.get("/local-authorities/"))


@pytest.mark.parametrize(
    "query", [{"sort": "nonsense"}, {"grade": "excellent"}, {"area": "<script>"}]
)
def test_comparison_refuses_bad_parameters_with_a_message(client, harrow, query):
    response = client.get("/local-authorities/", query)
    assert response.status_code == 400
    assert "These filters cannot be used" in text_of(response)


def test_unknown_local_authority_is_not_found(client, harrow):
    assert client.get("/local-authorities/atlantis/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "date"}, {"sort": "overall-effectiveness"}, {"grade": "good"},
     {"grade": "inadequate", "area": "overall-effectiveness"}],
)  # fmt: skip
def test_comparison_page_and_api_agree(client, harrow_history, query):
    other = InspectionFactory(local_authority=LocalAuthorityFactory(name="Barnet", slug="barnet"))
    JudgementFactory(inspection=other, grade=Grade.GOOD)
    page = text_of(client.get("/local-authorities/", query))
    on_page = re.findall(r'<th scope="row"[^>]*><a class="govuk-link" href="/local-authorities/'
                         r'([a-z-]+)/"', page)  # fmt: skip
    api = client.get("/api/comparison/", query, HTTP_ACCEPT="application/json").json()
    assert [row["local_authority"] for row in api["results"]] == on_page
    assert on_page  # every query above matches someone
