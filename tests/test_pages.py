"""The public website: what each page shows, its query count, and its answers to bad
input."""

import datetime
import re

import pytest
from django.test import Client, override_settings
from django.urls import path

from judgements.facets import in_a_sentence
from judgements.models import Finding, Grade, JudgementArea, ServiceArea, ServiceAreaTag
from reports.models import Framework, GlossaryTerm
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

FINDINGS = "/findings/"


def text_of(response):
    return response.content.decode()


def numbers(response):
    """The paragraph numbers listed on a findings page, in order."""
    return [int(n) for n in re.findall(r": paragraph (\d+)</a>", text_of(response))]


def description(response):
    return re.search(r'id="result-description" role="status">(.*?)<', text_of(response))[1]


def test_home_lists_the_inspection_with_its_overall_grade(
    client, harrow, django_assert_num_queries
):
    # the data version (the count below is kept until it changes), how many (for the
    # pages), inspections, then their judgements with areas
    with django_assert_num_queries(4):
        response = client.get("/")
    content = text_of(response)
    assert response.status_code == 200
    assert f'href="{harrow.get_absolute_url()}"' in content
    assert "10 February 2020 to 14 February 2020" in content
    assert 'govuk-tag--teal">Good</strong>' in content
    # it says that it is not every report there is, and where they all are
    assert "1 report held here, read from Ofsted’s PDFs: not every report" in content
    assert 'href="https://reports.ofsted.gov.uk/"' in content


def test_home_gives_a_single_inspection_framework_report_its_overall_judgement(client):
    """The single inspection framework's overall judgement is the inspection's overall
    grade on the home page too (as on the report's page, the API and the CSV); a report
    that made no overall judgement says so instead of leaving the cell empty."""
    sif = InspectionFactory(
        framework=Framework.SINGLE_INSPECTION,
        start_date=datetime.date(2017, 1, 9),
        end_date=datetime.date(2017, 1, 31),
    )
    JudgementFactory(
        inspection=sif,
        area=JudgementArea.objects.get(slug="sif-overall"),
        grade=Grade.REQUIRES_IMPROVEMENT,
    )
    InspectionFactory(  # no judgement at all
        start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 16)
    )
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", text_of(client.get("/")), re.S)
    by_council = {re.search(r'href="([^"]+)"', row)[1]: row for row in rows[1:]}
    assert ">Requires improvement" in by_council[sif.get_absolute_url()]
    others = [row for url, row in by_council.items() if url != sif.get_absolute_url()]
    assert len(others) == 1
    assert "no overall grade" in others[0]  # as in the 2026 layout, which has none


def test_a_form_sent_without_its_csrf_token_gets_the_sites_own_page():
    response = Client(enforce_csrf_checks=True).post(FINDINGS, {"q": "care"})
    assert response.status_code == 403
    content = text_of(response)
    assert "That form could not be accepted" in content
    assert "Nothing was changed." in content
    assert "DEBUG" not in content
    assert 'class="govuk-template"' in content  # the site's design, not Django's bare page


def evidence_lines(client):
    content = text_of(client.get("/inspections/harrow-2020-02/"))
    return re.findall(r"<p class=\"govuk-body-s\">(Evidence.*?)</p>", content)


def test_evidence_links_say_once_whether_staff_checked_them_and_each_when_they_differ(
    client, harrow
):
    lines = evidence_lines(client)
    assert len(lines) == harrow.improvement_actions.count()  # Harrow's are all hand-made
    for line in lines:
        assert line.startswith('Evidence <span class="app-checked app-checked--yes')
        assert line.count("checked by staff") == 1, line
    assert any("</a>, <a" in line for line in lines)  # several links, commas between

    action = next(a for a in harrow.improvement_actions.all() if a.evidence_links.count() > 1)
    first = action.evidence_links.order_by("pk").first()
    first.confirmed = False
    first.save(update_fields=["confirmed"])
    mixed = [line for line in evidence_lines(client) if "not yet checked" in line]
    assert len(mixed) == 1
    assert mixed[0].startswith("Evidence: <a")
    assert mixed[0].count("checked by staff") == action.evidence_links.count()
    assert "</span>, <a" in mixed[0] and "</span> ," not in mixed[0]


def test_inspection_page(client, harrow, django_assert_max_num_queries):
    # + 1: the data version (ETag); + 1: the SIF summaries kept apart from the summary
    with django_assert_max_num_queries(10 + 2):
        response = client.get("/inspections/harrow-2020-02/")
    content = text_of(response)
    assert response.status_code == 200
    assert "Brenda McLaughlin, Her Majesty&#x27;s Inspector" in content
    assert "10 February 2020 to 14 February 2020" in content
    judgements = re.search(r"<caption[^>]*>Judgements</caption>(.*?)</table>", content, re.S)[1]
    assert judgements.count(">Good</strong>") == 4
    for area in ["help and protection", "children in care and care leavers", "impact of leaders"]:
        assert area in judgements
    assert "Services for children and young people in Harrow are good." in content
    assert "Care leavers need to have access to their (emotional and physical) health" in content
    assert 'href="/inspections/harrow-2020-02/findings/24/">paragraph 24</a>' in content
    since = re.search(r"Since the previous inspection</h2>(.*?)</table>", content, re.S)[1]
    assert re.search(r"Requires improvement to be good</strong>.*2017.*Good</strong>", since, re.S)
    assert 'href="https://files.ofsted.gov.uk/v1/file/50149055"' in content
    assert "Open Government Licence v3.0. © Crown copyright 2020" in content


def test_judgement_page_lists_its_findings_in_order(client, harrow, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/inspections/harrow-2020-02/judgements/help-and-protection/")
    content = text_of(response)
    assert "The experiences and progress of children who need help and protection" in content
    assert ">Good</strong>" in content
    found = [int(n) for n in re.findall(r'id="paragraph-(\d+)"', content)]
    assert found == list(range(1, 14))


def test_findings_list_pages_through_every_finding(client, harrow):
    first = client.get(FINDINGS)
    assert numbers(first) == list(range(1, 21))
    assert description(first) == "32 findings"
    second = client.get(FINDINGS, {"page": 2})
    assert numbers(second) == list(range(21, 33))
    assert 'aria-current="page">2</a>' in text_of(second)


@pytest.mark.parametrize(
    ("query", "expected", "sentence"),
    [
        ({"service_area": "care-leavers"}, [14, 23, 24], "3 findings about care leavers"),
        (
            {"service_area": ["fostering", "adoption"]},
            [19, 20],
            "2 findings about fostering or adoption",
        ),
        (
            {"judgement_area": "impact-of-leaders", "service_area": "workforce"},
            [30, 31, 32],
            "3 findings about workforce under impact of leaders",
        ),
        ({"judgement_grade": "inadequate"}, [], "0 findings in judgements graded inadequate"),
        ({"local_authority": "harrow", "service_area": "adoption"}, [20], None),
        ({"inspection": "harrow-2020-02", "q": "radicalisation"}, [3], None),
        (
            {"service_area": "care-leavers", "q": "pathway"},
            [24],
            "1 finding about care leavers matching ‘pathway’",
        ),
    ],
)
def test_findings_filters(client, harrow, query, expected, sentence):
    response = client.get(FINDINGS, query)
    assert response.status_code == 200
    assert numbers(response) == expected
    if sentence:
        assert description(response) == sentence


def test_search_stems_ranks_and_highlights(client, harrow):
    response = client.get(FINDINGS, {"q": "radicalisation"})
    assert numbers(response) == [3]
    assert "<mark>radicalisation</mark>" in text_of(response)
    stemmed = client.get(FINDINGS, {"q": "adopters"})  # English stemming: adopter, adoption
    assert 20 in numbers(stemmed)
    ranked = numbers(client.get(FINDINGS, {"q": "care leavers"}))
    assert ranked[0] in {14, 23, 24}  # the paragraphs about care leavers come first
    assert len(ranked) > 3


def test_search_understands_websearch_syntax(client, harrow):
    phrase = set(numbers(client.get(FINDINGS, {"q": '"care leavers"'})))
    assert {14, 23, 24} <= phrase
    without_housing = set(numbers(client.get(FINDINGS, {"q": '"care leavers" -accommodation'})))
    assert 23 not in without_housing  # paragraph 23 is about accommodation
    assert without_housing < phrase


def test_facets_count_and_toggle(client, harrow):
    content = text_of(client.get(FINDINGS, {"service_area": "care-leavers"}))
    facet = re.search(r"Service area</legend>(.*?)</fieldset>", content, re.S)[1]
    # Chosen: checked, and first. Others: counts under the other filters.
    assert re.search(r'value="care-leavers" checked>\s*<label[^>]*>Care leavers <span', facet)
    assert facet.index("Care leavers") < facet.index("Fostering")
    assert re.search(r"Fostering <span class=\"app-facet__count\">\(1<", facet)
    judgement_facet = re.search(r"Judgement area</legend>(.*?)</fieldset>", content, re.S)[1]
    assert re.search(r"Children in care and care leavers <span[^>]*>\(3<", judgement_facet)
    assert 'href="/findings/">Clear all filters</a>' in content
    # The summary of filters applied: each removable
    assert re.search(
        r'href="\?"><span[^>]*>Remove filter </span>Service area: Care leavers', content
    )


def test_facet_links_reset_the_page(client, harrow):
    content = text_of(client.get(FINDINGS, {"page": 2, "judgement_grade": "good"}))
    assert 'href="?">' in content  # removing the one filter goes back to page 1


def test_findings_list_query_count_does_not_grow_with_the_data(
    client, harrow, django_assert_max_num_queries
):
    # the data version, the count, the page's ids, its rows (with their service areas),
    # eight facets, the inspections drop-down and the glossary
    with django_assert_max_num_queries(14) as small:
        client.get(FINDINGS, {"q": "care"})
    other = InspectionFactory(slug="elsewhere-2024-01")
    judgement = JudgementFactory(inspection=other)
    areas = list(ServiceArea.objects.all())
    for number in range(1, 61):
        finding = FindingFactory(judgement=judgement, number=number, text="Care plans are good.")
        ServiceAreaTag.objects.create(finding=finding, service_area=areas[number % len(areas)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(FINDINGS, {"q": "care"})
    assert len(numbers(response)) == 20


MALFORMED = [
    {"page": "abc"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "1.5"},
    {"page": "99999"},
    {"service_area": "no-such-area"},
    {"judgement_area": "<script>"},
    {"judgement_grade": "excellent"},
    {"overall_grade": "excellent"},
    {"region": "atlantis"},
    {"year": "1999"},
    {"latest": "maybe"},
    {"sort": "random"},
    {"inspection": "nowhere-1999-01"},
    {"local_authority": "atlantis"},
    {"q": "x" * 10_000},
    {"q": "nul\x00byte"},
]


@pytest.mark.parametrize("query", MALFORMED, ids=lambda q: repr(q)[:40])
def test_malformed_query_strings_get_a_helpful_400(client, harrow, query):
    response = client.get(FINDINGS, query)
    assert response.status_code == 400
    content = text_of(response)
    assert "These filters cannot be used" in content
    (parameter,) = query  # the page names the part of the address that cannot be used
    assert f"<code>{parameter}</code>:" in response.content.decode()
    assert 'href="/findings/">Start again with all findings</a>' in content
    assert "Traceback" not in content


@pytest.mark.parametrize(
    "query",
    [
        {"q": "!!!"},
        {"q": '"unclosed phrase'},
        {"q": "&& || :* <-> ("},
        {"q": "-"},
        {"q": "   "},
        {"q": "Ärger über café"},
        {"unknown": "parameter"},
        {"service_area": ""},
        {"q": "", "judgement_grade": "", "local_authority": "", "inspection": "", "sort": ""},
    ],
    ids=lambda q: repr(q)[:40],
)
def test_odd_but_harmless_query_strings_get_a_normal_page(client, harrow, query):
    response = client.get(FINDINGS, query)
    assert response.status_code == 200
    assert "Findings" in text_of(response)


def test_finding_page(client, harrow, django_assert_max_num_queries):
    # the finding with its tags, its actions, its neighbours' numbers and the data
    # version for the ETag (one query: harrow_inspection/http_cache.py), the glossary
    with django_assert_max_num_queries(2):
        response = client.get("/inspections/harrow-2020-02/findings/24/")
    content = text_of(response)
    assert response.status_code == 200
    finding = Finding.objects.get(number=24)
    assert "Senior leaders are aware that the transition from child in care" in content
    assert "The experiences and progress of children in care and care leavers" in content
    assert 'href="/findings/?service_area=care-leavers">Care leavers</a>' in content
    assert "Care leavers need to have access to their (emotional and physical)" in content
    assert 'href="/inspections/harrow-2020-02/findings/23/" rel="prev"' in content
    assert 'href="/inspections/harrow-2020-02/findings/25/" rel="next"' in content
    citation = re.search(r'id="citation">(.*?)</p>', content, re.S)[1]
    assert "Ofsted (2020)" in citation
    assert "paragraph 24" in citation
    assert f"http://testserver{finding.get_absolute_url()}" in citation
    first, last = (
        text_of(client.get(f"/inspections/harrow-2020-02/findings/{n}/")) for n in (1, 32)
    )
    assert 'rel="prev"' not in first
    assert 'href="/inspections/harrow-2020-02/findings/2/" rel="next"' in first
    assert 'href="/inspections/harrow-2020-02/findings/31/" rel="prev"' in last
    assert 'rel="next"' not in last


def test_abbreviations_are_explained_where_they_appear(client, harrow):
    content = text_of(client.get("/inspections/harrow-2020-02/findings/2/"))
    assert '<abbr title="multi-agency safeguarding hub">MASH</abbr>' in content
    content = text_of(client.get("/inspections/harrow-2020-02/findings/14/"))
    assert '<abbr title="personal adviser">PAs</abbr>' in content


def test_a_glossary_term_changed_by_staff_is_explained_on_the_next_visit(client, harrow):
    """The glossary is read once per data change: an edit shows at once."""
    url = "/inspections/harrow-2020-02/findings/2/"
    assert '<abbr title="multi-agency safeguarding hub">MASH</abbr>' in text_of(client.get(url))
    GlossaryTerm.objects.filter(abbreviation="MASH").update(
        expansion="multi-agency safeguarding hub (the front door)"
    )
    content = text_of(client.get(url))
    assert '<abbr title="multi-agency safeguarding hub (the front door)">MASH</abbr>' in content


def test_glossary_page(client, harrow):
    content = text_of(client.get("/glossary/"))
    assert "multi-agency safeguarding hub" in content
    assert "public law outline" in content
    # the frameworks' own abbreviations, which every page uses (a data migration)
    assert "single inspection framework" in content and "ILACS" in content
    # as a reader looks them up: Cafcass before CIN, whatever the capitals
    shown = re.findall(r"<dt[^>]*>(?:<abbr[^>]*>)?([^<]+)", content)
    assert shown and shown == sorted(shown, key=str.lower)


def test_service_areas_page_counts_and_charts(client, harrow, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/service-areas/")
    content = text_of(response)
    row = re.search(
        r'href="/service-areas/care-leavers/">Care leavers</a>(.*?)</li>', content, re.S
    )
    assert re.search(r'<rect width="\d+%"', row[1])
    assert re.search(r">3<span[^>]*> findings</span>", row[1])
    table_row = re.search(r">Care leavers</a></th>(.*?)</tr>", content, re.S)[1]
    assert re.search(r"numeric\" data-label=\"Findings\">3</td>", table_row)
    chart = re.search(r'<ul class="app-bar-chart"(.*?)</ul>', content, re.S)[1]
    counts = [int(n) for n in re.findall(r">(\d+)<span[^>]*> findings</span>", chart)]
    assert counts == sorted(counts, reverse=True)  # most first
    table = re.search(r"what they cover</caption>(.*?)</table>", content, re.S)[1]
    names = re.findall(r'href="/service-areas/([a-z-]+)/"', table)
    assert names == list(ServiceArea.objects.order_by("position").values_list("slug", flat=True))


def test_service_area_page_lists_its_findings(client, harrow):
    response = client.get("/service-areas/fostering/")
    assert numbers(response) == [19]
    assert "1 finding." in text_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/harrow-2020-02/findings/0/",
        "/inspections/nowhere-2020-02/",
        "/inspections/harrow-2020-02/judgements/no-such-area/",
        "/service-areas/no-such-area/",
        "/no/such/page/",
    ],
)
def test_unknown_pages_are_a_404_in_the_sites_design(client, harrow, url):
    response = client.get(url)
    assert response.status_code == 404
    content = text_of(response)
    assert "Page not found" in content
    assert "govuk-service-navigation" in content


def test_a_paragraph_the_report_does_not_have_says_which_it_has(client, harrow):
    # a citation's paragraph 33 of Harrow 2020 was a bare "Page not found"
    response = client.get("/inspections/harrow-2020-02/findings/33/")
    assert response.status_code == 404
    content = text_of(response)
    assert "No finding numbered 33 in this report" in content
    assert "Its findings are paragraphs 1\u201332." in content
    assert 'href="/inspections/harrow-2020-02/"' in content
    Finding.objects.filter(inspection__slug="harrow-2020-02", number=15).delete()
    content = text_of(client.get("/inspections/harrow-2020-02/findings/15/"))
    assert "Its findings are paragraphs 1\u201314 and 16\u201332." in content
    assert "The report does not print a paragraph 15." in content


def broken_view(request):
    raise RuntimeError("something broke")


urlpatterns = [path("broken/", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_server_errors_show_the_sites_500_page_without_a_traceback(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    content = text_of(response)
    assert "Sorry, there is a problem with the service" in content
    assert "something broke" not in content
    assert "Traceback" not in content


def test_staff_typed_text_is_escaped_on_public_pages(client, harrow):
    Finding.objects.filter(number=1).update(text="<script>alert('x')</script> Hubs & MASH.")
    content = text_of(client.get("/inspections/harrow-2020-02/findings/1/"))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Hubs &amp; <abbr" in content
    for url in ["/inspections/harrow-2020-02/judgements/help-and-protection/", "/findings/"]:
        content = text_of(client.get(url))
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert" in content
    content = text_of(client.get("/findings/?q=hubs"))
    assert "<script>" not in content
    assert "<mark>Hubs</mark> &amp; <abbr" in content


def test_grade_tags_say_the_grade_in_words(client, harrow):
    harrow.judgements.filter(area__slug="overall-effectiveness").update(grade=Grade.INADEQUATE)
    content = text_of(client.get("/"))
    assert 'govuk-tag--red">Inadequate</strong>' in content


def test_the_methods_page_says_in_words_how_many_findings_have_no_service_area(client, harrow):
    # it printed "Of 32 findings, 0 have no service area and staff decided that none fits 1."
    def sentence():
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text_of(client.get("/about/tagging/"))))
        return re.search(r"Of [\d,]+ findings, [^.]*\.", text)[0]

    assert sentence() == "Of 32 findings, every one has a service area."
    finding = Finding.objects.get(inspection__slug="harrow-2020-02", number=19)
    ServiceAreaTag.objects.filter(finding=finding).delete()
    Finding.objects.filter(pk=finding.pk).update(no_service_area=True)
    assert sentence() == (
        "Of 32 findings, every one has a service area except 1 for which staff decided "
        "that none fits."
    )
    ServiceAreaTag.objects.filter(
        finding__inspection=finding.inspection, finding__number=20
    ).delete()
    assert sentence() == (
        "Of 32 findings, 1 has no service area yet, and for 1 staff decided that none of "
        "the service areas fits."
    )


@pytest.mark.parametrize("words", ["the", "and of", '"the"'])
def test_a_search_of_only_common_words_says_why_nothing_matches(client, harrow, words):
    # "the" answered "No findings match. Try fewer filters or other words", with no reason
    content = text_of(client.get("/findings/", {"q": words}))
    assert "has no word the search can look for" in content
    assert "Words as common as “the”, “and” or “of” are left out" in content


def test_a_search_of_a_word_no_finding_has_keeps_the_plain_message(client, harrow):
    content = text_of(client.get("/findings/", {"q": "zzzqqq"}))
    assert "No findings match. Try fewer filters or other words" in content
    assert "has no word the search can look for" not in content


def test_the_description_keeps_abbreviations_and_proper_names(client, harrow):
    assert in_a_sentence("Care leavers (SIF)") == "care leavers (SIF)"  # was "(sif)"
    assert in_a_sentence("Local Safeguarding Children Board (SIF)") == (
        "Local Safeguarding Children Board (SIF)"
    )
    content = text_of(client.get(FINDINGS, {"judgement_area": "sif-care-leavers"}))
    assert (
        "findings under care leavers (SIF)" in content
        or "0 findings under care leavers (SIF)" in content
    )


def test_addresses_trimmed_back_from_a_reports_lead_somewhere(client, harrow):
    # /inspections/ and /inspections/<report>/findings/ were 404s, though a reader trims
    # a paragraph's address to reach the list above it
    assert client.get("/inspections/")["Location"] == "/"
    findings = client.get("/inspections/harrow-2020-02/findings/")
    assert findings["Location"] == "/findings/?inspection=harrow-2020-02"
    assert client.get(findings["Location"]).status_code == 200
    judgements = client.get("/inspections/harrow-2020-02/judgements/")
    assert judgements["Location"] == "/inspections/harrow-2020-02/"
    unknown = client.get("/inspections/nowhere-1999-01/findings/", follow=True)
    assert unknown.status_code == 400 and "nowhere-1999-01" in unknown.content.decode()
