"""Synthetic data for load testing: what the generator writes, that it repeats with a
seed, that every page, API answer and CSV row says it is synthetic, that removing it
leaves the real report alone, and that query counts do not grow with it."""

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command

from judgements.models import (
    EvidenceLink,
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    ServiceAreaTag,
)
from reports.models import Inspection, LocalAuthority, SummaryParagraph

pytestmark = pytest.mark.django_db

TAG = "Synthetic: not a real report"
BANNER = "Synthetic data: this inspection was made up"


def generate(councils=2, inspections=3, findings=30, seed=7):
    out = io.StringIO()
    call_command(
        "generate_synthetic",
        councils=councils,
        inspections=inspections,
        findings_per_inspection=findings,
        seed=seed,
        stdout=out,
    )
    return out.getvalue()


def slugs(related):
    return related.values_list("slug", flat=True)


def snapshot():
    """What the synthetic data says, without database ids."""
    return [
        (
            inspection.slug,
            str(inspection.start_date),
            [(j.area.slug, j.grade) for j in inspection.judgements.order_by("table_position")],
            [
                (f.number, f.judgement.area.slug, f.text, sorted(slugs(f.service_areas)))
                for f in inspection.findings.order_by("number")
            ],
            [
                (a.position, a.text, sorted(a.evidence.values_list("number", flat=True)))
                for a in inspection.improvement_actions.order_by("position")
            ],
        )
        for inspection in Inspection.objects.filter(is_synthetic=True).order_by("slug")
    ]  # fmt: skip


def test_generates_councils_times_inspections_marked_synthetic(harrow):
    message = generate(councils=2, inspections=3, findings=30)
    synthetic = Inspection.objects.filter(is_synthetic=True)
    assert synthetic.count() == 6
    assert Finding.objects.filter(inspection__is_synthetic=True).count() == 180
    assert Judgement.objects.filter(inspection__is_synthetic=True).count() == 24
    assert "180 findings" in message
    councils = LocalAuthority.objects.filter(inspections__in=synthetic).distinct()
    assert [council.name[:17] for council in councils] == ["Synthetic council"] * 2
    # every finding has paragraph numbers 1..30 under a judgement of its own inspection
    for inspection in synthetic:
        numbers = list(inspection.findings.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, 31))
        assert not inspection.findings.exclude(judgement__inspection=inspection).exists()
    assert (
        not ServiceAreaTag.objects.filter(finding__inspection__is_synthetic=True)
        .filter(finding__tags__isnull=True)
        .exists()
    )
    assert EvidenceLink.objects.filter(action__inspection__is_synthetic=True).exists()
    assert not Inspection.objects.get(slug=harrow.slug).is_synthetic


def test_text_is_made_of_the_real_reports_sentences(harrow):
    generate(councils=1, inspections=1)
    real = " ".join(
        [
            *Finding.objects.filter(inspection=harrow).values_list("text", flat=True),
            *harrow.summary_paragraphs.values_list("text", flat=True),
        ]
    )
    for finding in Finding.objects.filter(inspection__is_synthetic=True):
        assert finding.text.split(". ")[0] in real


def test_grades_follow_a_realistic_distribution(harrow):
    generate(councils=10, inspections=20, findings=3)
    overall = Counter(
        Judgement.objects.filter(
            inspection__is_synthetic=True, area__slug="overall-effectiveness"
        ).values_list("grade", flat=True)
    )
    shares = {grade: overall[grade] / 200 for grade in Grade}
    assert 0.07 < shares[Grade.OUTSTANDING] < 0.25
    assert 0.33 < shares[Grade.GOOD] < 0.57
    assert 0.20 < shares[Grade.REQUIRES_IMPROVEMENT] < 0.40
    assert 0.03 < shares[Grade.INADEQUATE] < 0.18


def test_the_same_seed_gives_the_same_data(harrow):
    generate(seed=3)
    first = snapshot()
    call_command("remove_synthetic", stdout=io.StringIO())
    generate(seed=3)
    assert snapshot() == first
    call_command("remove_synthetic", stdout=io.StringIO())
    generate(seed=4)
    assert snapshot() != first


def test_removal_leaves_the_real_report_untouched(harrow):
    def real_counts():
        return [
            model.objects.count()
            for model in (
                Inspection, LocalAuthority, Finding, Judgement, ServiceAreaTag,
                ImprovementAction, EvidenceLink, SummaryParagraph,
            )
        ]  # fmt: skip

    before = real_counts()
    texts = list(Finding.objects.order_by("number").values_list("text", flat=True))
    generate()
    assert real_counts() != before
    out = io.StringIO()
    call_command("remove_synthetic", stdout=out)
    assert "Removed 6 synthetic inspections" in out.getvalue()
    assert real_counts() == before
    assert list(Finding.objects.order_by("number").values_list("text", flat=True)) == texts
    assert not LocalAuthority.objects.filter(slug__startswith="synthetic-").exists()


@pytest.fixture
def one_synthetic(harrow):
    generate(councils=1, inspections=1, findings=10)
    return Inspection.objects.get(is_synthetic=True)


def test_every_page_showing_synthetic_data_says_so(client, one_synthetic, harrow):
    finding = one_synthetic.findings.get(number=1)
    judgement = finding.judgement
    home = client.get("/").content.decode()
    assert home.count(TAG) == 1  # by the synthetic inspection, not by Harrow
    for url in [
        one_synthetic.get_absolute_url(),
        finding.get_absolute_url(),
        f"/inspections/{one_synthetic.slug}/judgements/{judgement.area.slug}/",
    ]:
        assert BANNER in client.get(url).content.decode(), url
    listing = client.get("/findings/", {"inspection": one_synthetic.slug}).content.decode()
    assert listing.count(TAG) == 10
    area = finding.service_areas.first()
    area_page = client.get(f"/service-areas/{area.slug}/").content.decode()
    assert TAG in area_page
    # and the real report's pages say nothing of the kind
    for url in [harrow.get_absolute_url(), "/inspections/harrow-2020-02/findings/24/"]:
        page = client.get(url).content.decode()
        assert BANNER not in page
        assert TAG not in page
    assert TAG not in client.get("/findings/", {"inspection": harrow.slug}).content.decode()


def test_the_api_and_csv_say_which_findings_are_synthetic(client, one_synthetic, harrow):
    results = client.get("/api/findings/", {"inspection": one_synthetic.slug}).json()["results"]
    assert {finding["is_synthetic"] for finding in results} == {True}
    real = client.get("/api/findings/", {"inspection": harrow.slug}).json()["results"]
    assert {finding["is_synthetic"] for finding in real} == {False}
    assert client.get(f"/api/inspections/{one_synthetic.slug}/").json()["is_synthetic"] is True
    assert client.get(f"/api/inspections/{harrow.slug}/").json()["is_synthetic"] is False
    response = client.get("/findings.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    flags = Counter((row["inspection"], row["is_synthetic"]) for row in rows)
    assert flags == {(one_synthetic.slug, "yes"): 10, (harrow.slug, "no"): 32}


PAGES = [
    "/",
    "/inspections/harrow-2020-02/",
    "/inspections/harrow-2020-02/findings/24/",
    "/findings/",
    "/findings/?service_area=care-leavers",
    "/findings/?service_area=care-leavers&service_area=fostering&service_area=early-help",
    "/findings/?q=children",
    "/findings/?q=children&judgement_grade=good&judgement_area=impact-of-leaders",
    "/findings/?overall_grade=good&latest=yes&region=london&year=2020&sort=council",
    "/findings/?page=2",
    "/api/findings/",
    "/api/findings/?service_area=care-leavers&q=leavers",
    "/service-areas/care-leavers/",
]


@pytest.mark.parametrize("url", PAGES)
def test_query_counts_stay_constant_with_generated_data(
    client, harrow, django_assert_max_num_queries, url
):
    # at most: the findings list's 14 (tests/test_pages.py) and a slug or two looked up
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    generate(councils=3, inspections=4, findings=30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_counts_and_facets_follow_the_data_at_once(client, harrow):
    """Counts and facet counts are cached until the data changes: a write shows at once."""

    def described(**query):
        content = client.get("/findings/", query).content.decode()
        return content.split('id="result-description" role="status">')[1].split("<")[0]

    assert described() == "32 findings"
    assert described(service_area="care-leavers") == "3 findings about care leavers"
    generate(councils=1, inspections=1, findings=10)
    assert described() == "42 findings"
    finding = Finding.objects.filter(inspection__is_synthetic=True).first()
    finding.tags.all().delete()
    assert described() == "42 findings"
    facet = client.get("/findings/").content.decode()
    tags = ServiceAreaTag.objects.filter(service_area__slug="care-leavers").count()
    assert f'Care leavers <span class="app-facet__count">({tags}<' in facet
