"""Single inspection framework (SIF, 2013-2018) reports: read by the same importer, stored
as that framework's judgements, and lined up with ILACS on the council's pages.

The reports are Ofsted's, read from ../shared/ (never copied into the project): Harrow
2017, and from the national corpus Barnsley 2014 (the 2014-15 layout, the LSCB judged on
page 1), Kingston upon Hull 2015 (the LSCB's review bound in as a second report numbered
from 1), Birmingham 2016 (a re-inspection, no LSCB review), Isles of Scilly 2016 (three
judgements "Not judged") and Darlington 2018 (no LSCB review; grades wrapped over lines).
"""

import csv
import io
import re
import shutil

import pytest
from django.urls import reverse

from judgements.models import (
    EarlierGrade,
    EvidenceLink,
    Finding,
    ImprovementAction,
    JudgedBody,
    Judgement,
    JudgementArea,
)
from reports import grade_tables
from reports.importing import ReportParseError, parse_report
from reports.importing.load import import_report
from reports.models import Framework, Inspection, SummaryKind, SummaryParagraph
from tests.report_files import REPORTS, corpus_file, extracted, parsed, parsed_corpus

HARROW_2017 = "harrow-published-2017-03-31.pdf"
GOOD, RI, INADEQUATE = 2, 3, 4


def grades(report):
    return {row.area_slug: row.grade for row in report.judgements}


def squeezed(text):
    return re.sub(r"\s+", "", text)


# --- reading: no database ------------------------------------------------------------------------


def test_harrow_2017_every_grade_from_page_1_and_the_lscb_from_its_part():
    report = parsed(HARROW_2017)
    assert (report.framework, report.framework_version) == ("sif", "sif-2015")
    assert report.local_authority == "Harrow"
    assert report.title.startswith(
        "Inspection of services for children in need of help and protection, children "
        "looked after and care leavers and Review of the effectiveness of the Local "
        "Safeguarding Children Board"
    )
    assert (str(report.start_date), str(report.end_date)) == ("2017-01-16", "2017-02-09")
    assert grades(report) == {
        "sif-overall": GOOD,  # "Children's services in Harrow are good"
        "sif-help-and-protection": RI,
        "sif-children-looked-after": GOOD,
        "sif-adoption": GOOD,
        "sif-care-leavers": GOOD,
        "sif-leadership": GOOD,
        "sif-lscb": RI,  # "The Local Safeguarding Children Board requires improvement"
    }
    assert report.judgements[0].name == "Children's services in Harrow are good"
    assert report.lead_inspector == "Dominic Stevens"
    assert report.anomalies == []


def test_harrow_2017_recommendations_in_order_the_lscbs_apart():
    report = parsed(HARROW_2017)
    council = [a for a in report.actions if a.addressed_to == "local-authority"]
    board = [a for a in report.actions if a.addressed_to == "lscb"]
    assert (len(council), len(board)) == (10, 6)
    assert [a.position for a in report.actions] == list(range(1, 17))
    assert council[0].text.startswith("Ensure that all children and families who need an")
    assert council[-1].text.endswith("and the outcomes that they achieve.")
    assert board[0].text.startswith("Work with the Local Safeguarding Children Board's")


def test_harrow_2017_numbered_paragraphs_under_their_sections_and_sub_judgements():
    report = parsed(HARROW_2017)
    numbers = [p.number for p in report.paragraphs]
    # Recommendations are 1-10 and 87-92 of the report's one numbering; the rest are findings.
    assert numbers == [*range(11, 87), *range(93, 112)]
    by_number = {p.number: p for p in report.paragraphs}
    assert by_number[11].area_slug == "sif-help-and-protection"
    assert by_number[49].area_slug == "sif-children-looked-after"
    assert by_number[50].area_slug == "sif-adoption"  # after "The graded judgement for adoption"
    assert by_number[93].area_slug == "sif-lscb"
    assert by_number[50].text.startswith("In Harrow, all children are considered for adoption")


def test_harrow_2017_summaries_kept_apart():
    report = parsed(HARROW_2017)
    assert report.summary[0].startswith("Children in Harrow receive services that are well")
    children = report.other_summaries["children"]
    assert children[0].startswith("Services for children and young people in Harrow are good.")
    assert report.other_summaries["lscb-summary"][0].startswith(
        "The Local Safeguarding Children Board in Harrow fulfils all of its statutory"
    )


def test_every_stored_text_of_harrow_2017_is_verbatim_in_the_report():
    """Each paragraph, recommendation and summary paragraph is the report's text; a
    paragraph over a page break is two pieces of it (the running footer between)."""
    report = parsed(HARROW_2017)
    _, _, pages = extracted(HARROW_2017)
    whole = squeezed(" ".join(pages))
    texts = [p.text for p in report.paragraphs] + [a.text for a in report.actions]
    texts += report.summary + [t for kind in report.other_summaries.values() for t in kind]
    for text in texts:
        text = squeezed(text)
        if text in whole:
            continue
        assert any(
            text[:cut] in whole and text[cut:] in whole for cut in range(20, len(text) - 5)
        ), text[:60]


def test_the_2014_layout_with_the_lscb_judged_on_page_1():
    report = parsed_corpus("barnsley-published-2014-08-08.pdf")
    assert report.framework_version == "sif-2014"
    assert grades(report) == {
        "sif-overall": RI,
        "sif-help-and-protection": RI,
        "sif-children-looked-after": RI,
        "sif-adoption": RI,
        "sif-care-leavers": GOOD,
        "sif-leadership": RI,
        "sif-lscb": RI,
    }
    # "Summary of findings" 1-9 are findings of the overall judgement; "Areas for
    # improvement" are recommendations; the LSCB's areas for improvement are its own.
    by_number = {p.number: p for p in report.paragraphs}
    assert by_number[1].area_slug == "sif-overall"
    assert by_number[52].area_slug == "sif-help-and-protection"
    assert by_number[142].area_slug == "sif-lscb"
    assert report.actions[0].text.startswith("The local authority and its partners need to build")
    lscb = [a for a in report.actions if a.addressed_to == "lscb"]
    assert lscb[0].text.startswith("Increase the influence of the Barnsley Safeguarding")
    assert len(lscb) == 7


def test_an_lscb_review_bound_in_with_its_own_numbering_keeps_every_paragraph():
    report = parsed_corpus("kingston-upon-hull-published-2015-02-10.pdf")
    assert grades(report)["sif-lscb"] == RI
    numbers = [p.number for p in report.paragraphs]
    assert len(numbers) == len(set(numbers))
    assert report.anomalies == [
        "paragraph numbers 1 to 21 are printed a second time (pages 41 to 45, a part "
        "numbered from 1 again): stored as 141 to 161"
    ]
    assert {p.area_slug for p in report.paragraphs if p.number > 140} == {"sif-lscb"}


def test_a_re_inspection_without_an_lscb_review():
    report = parsed_corpus("birmingham-published-2016-11-25.pdf")
    assert report.inspection_type == "re-inspection"
    assert report.title.startswith("Re-inspection of services for children in need")
    assert grades(report) == {
        "sif-overall": INADEQUATE,
        "sif-help-and-protection": INADEQUATE,
        "sif-children-looked-after": RI,
        "sif-adoption": RI,
        "sif-care-leavers": RI,
        "sif-leadership": INADEQUATE,
    }
    assert {a.addressed_to for a in report.actions} == {"local-authority"}


def test_grades_wrapped_over_lines_and_no_lscb_review():
    report = parsed_corpus("darlington-published-2018-05-21.pdf")
    assert grades(report) == {
        "sif-overall": RI,
        "sif-help-and-protection": RI,
        "sif-children-looked-after": RI,
        "sif-adoption": GOOD,
        "sif-care-leavers": GOOD,
        "sif-leadership": RI,
    }


def test_judgements_not_judged_are_not_given_a_grade():
    report = parsed_corpus("isles-of-scilly-published-2016-06-27.pdf")
    assert set(grades(report)) == {
        "sif-overall",
        "sif-help-and-protection",
        "sif-leadership",
        "sif-lscb",
    }
    assert "the judgement table says 'Adoption performance' was not judged" in report.anomalies


def test_a_summary_whose_paragraphs_are_closer_than_a_blank_line_keeps_them_apart():
    """Darlington 2018 sets its executive summary's paragraphs 1.7 lines apart (less than
    a blank line): the summary is 14 paragraphs, not one."""
    summary = parsed_corpus("darlington-published-2018-05-21.pdf").summary
    assert len(summary) == 14
    assert summary[0].startswith("It has been a considerable achievement for the local")
    assert summary[1].startswith("Senior leaders know the services, the quality of social")
    assert summary[-1].endswith("the help they receive from their personal advisers.")


def test_an_executive_summary_starting_on_page_1_under_the_judgement_table():
    summary = parsed_corpus("lewisham-published-2016-01-20.pdf").summary
    assert len(summary) == 11
    assert summary[0].startswith("Children's services in Lewisham require improvement to be")
    assert len(parsed_corpus("dudley-published-2016-04-05.pdf").summary) == 12


def test_the_2014_15_summary_of_findings_printed_unnumbered_is_the_summary():
    """Calderdale 2015 prints its summary of findings as unnumbered bullet points under
    plain sub-headings: the points are the summary, the sub-headings are not."""
    report = parsed_corpus("calderdale-published-2015-03-20.pdf")
    assert len(report.summary) == 12
    assert report.summary[0].startswith("Senior managers and elected members, supported by")
    lscb = report.other_summaries["lscb-summary"]
    assert len(lscb) == 7
    assert lscb[0].startswith("The LSCB is meeting its statutory responsibilities")
    texts = report.summary + lscb
    for heading in ("Multi-agency training", "Effectiveness of scrutiny and challenge"):
        assert not any(heading in text for text in texts)
    # The numbered findings are untouched: 1-17 are recommendations, findings start at 18.
    assert (report.paragraphs[0].number, len(report.paragraphs)) == (18, 169)
    assert report.paragraphs[0].text.startswith("Senior managers have taken concerted action")


def test_a_bullet_points_last_line_without_a_full_stop_is_not_taken_for_a_heading():
    lscb = parsed_corpus("st-helens-published-2015-01-20.pdf").other_summaries["lscb-summary"]
    assert (
        "The LSCB's work on the voice of the child is not yet having an impact on children "
        "in need of help and protection"
    ) in lscb
    enfield = parsed_corpus("enfield-published-2015-03-27.pdf").other_summaries["lscb-summary"]
    assert enfield[3] == (
        "The multi-agency training plan is comprehensive and well evaluated. Training is "
        "responsive to emerging need, including learning from SCRs."
    )  # and not "... SCRs. Scrutiny and challenge", the sub-heading under it


def test_what_the_inspection_judgments_mean_is_not_the_lscbs_summary():
    """Hartlepool 2014 spells it "judgments": Ofsted's standard text under that heading
    is not the report's findings."""
    report = parsed_corpus("hartlepool-published-2014-02-11.pdf")
    lscb = report.other_summaries["lscb-summary"]
    assert lscb[0].startswith("Presently the HSCB does not have an independent chair")
    assert not any("An outstanding LSCB is highly influential" in text for text in lscb)
    assert report.summary[0].startswith("Children, young people and their families can easily")


def test_the_framework_is_recognised_from_the_report_not_its_file_name(tmp_path):
    copy = tmp_path / "walsall-published-2025-07-08.pdf"
    shutil.copy(REPORTS / HARROW_2017, copy)
    assert parse_report(copy).framework == "sif"


def test_the_2013_framework_before_sif_is_refused_naming_it():
    with pytest.raises(ReportParseError, match=r"2013 framework before SIF"):
        parse_report(corpus_file("norfolk-published-2013-08-16.pdf"))


# --- the database ---------------------------------------------------------------------------------


@pytest.fixture
def harrow_2017(db, shared_reports_parsed_once):
    import_report(path=REPORTS / HARROW_2017)
    return Inspection.objects.get(slug="harrow-2017-01")


def test_harrow_2017_imports_as_the_single_inspection_frameworks_judgements(harrow_2017):
    assert harrow_2017.framework == Framework.SINGLE_INSPECTION
    judgements = {j.area.slug: j for j in Judgement.objects.filter(inspection=harrow_2017)}
    assert {j.area.framework for j in judgements.values()} == {"sif"}
    assert judgements["sif-adoption"].area.parent.slug == "sif-children-looked-after"
    assert judgements["sif-care-leavers"].area.parent.slug == "sif-children-looked-after"
    assert judgements["sif-lscb"].area.judged == JudgedBody.LSCB
    assert judgements["sif-help-and-protection"].area.judged == JudgedBody.LOCAL_AUTHORITY
    # No SIF area is called what an ILACS area is called.
    ilacs = set(
        JudgementArea.objects.filter(framework="ilacs").values_list("short_name", flat=True)
    )
    assert not ilacs & set(
        JudgementArea.objects.filter(framework="sif").values_list("short_name", flat=True)
    )
    actions = ImprovementAction.objects.filter(inspection=harrow_2017)
    assert actions.filter(addressed_to=JudgedBody.LSCB).count() == 6
    assert (
        Finding.objects.filter(inspection=harrow_2017, judgement__area__slug="sif-lscb").count()
        == 19
    )
    kinds = set(
        SummaryParagraph.objects.filter(inspection=harrow_2017).values_list("kind", flat=True)
    )
    assert kinds == {SummaryKind.SUMMARY, SummaryKind.CHILDREN, SummaryKind.LSCB_SUMMARY}


def test_importing_harrow_2017_twice_changes_nothing(harrow_2017):
    again = import_report(path=REPORTS / HARROW_2017)
    assert again.outcome == "unchanged"
    assert Inspection.objects.filter(slug="harrow-2017-01").count() == 1


def test_the_2020_reports_statement_of_the_2017_grade_agrees_with_the_2017_report(
    harrow_history, harrow_2017
):
    """Harrow 2020: "an improvement since the 2017 single inspection, when services for
    help and protection required improvement"; the 2017 report's own grade agrees."""
    inspections = list(Inspection.objects.filter(local_authority=harrow_2017.local_authority))
    stated = EarlierGrade.objects.filter(earlier_framework="sif", earlier_year=2017)
    assert stated.exists()
    for earlier in stated:
        held = grade_tables.held_counterpart(earlier, inspections)
        assert held is not None and held.inspection == harrow_2017
        assert held.area.slug == "sif-help-and-protection"
        assert held.grade == earlier.grade == RI
        assert earlier.earlier_inspection == harrow_2017  # linked when 2017 was imported


def test_harrows_page_shows_three_inspections_from_three_reports(
    client, harrow_history, harrow_2017
):
    page = client.get(reverse("reports:local-authority", kwargs={"slug": "harrow"}))
    html = page.content.decode()
    assert page.status_code == 200
    columns = page.context["columns"]
    assert [c.label for c in columns] == [
        "January 2017: single inspection framework",
        "February 2020",
        "January 2025",
    ]
    assert all(c.inspection is not None for c in columns)  # all three from their reports
    rows = {row.area.slug: row for row in page.context["rows"]}
    # Help and protection: RI 2017 (SIF) -> Good 2020 -> Good 2025, the SIF's named.
    assert [g and int(g) for g in rows["help-and-protection"].grades] == [RI, GOOD, GOOD]
    assert rows["help-and-protection"].counterpart.slug == "sif-help-and-protection"
    assert "sif-help-and-protection" not in rows  # shown in the ILACS row, not twice
    # SIF's judgements without an ILACS counterpart keep rows of their own.
    assert [g and int(g) for g in rows["sif-lscb"].grades] == [RI, None, None]
    assert [g and int(g) for g in rows["sif-adoption"].grades] == [GOOD, None, None]
    assert "Single inspection framework columns: children who need help and protection" in html
    assert "January 2017: single inspection framework" in html


def test_the_2020_page_says_what_changed_since_the_2017_single_inspection(
    client, harrow, harrow_2017
):
    page = client.get(reverse("reports:inspection", kwargs={"slug": "harrow-2020-02"}))
    html = page.content.decode()
    changes = {c["area"].slug: c for c in page.context["changes"]}
    help_ = changes["help-and-protection"]
    assert help_["before"].area.slug == "sif-help-and-protection"
    assert (help_["before"].grade, help_["now"].grade) == (RI, GOOD)
    assert changes["sif-lscb"]["now"] is None
    # SIF's care leavers beside 2020's joint judgement, not "Good → not judged"
    leavers = changes["sif-care-leavers"]
    assert leavers["now"].area.slug == "children-in-care-and-care-leavers"
    assert leavers["now_note"] == "judged with children in care"
    assert "judged with children in care" in html
    assert "January 2017</a>: single inspection framework" in html
    assert "The previous inspection was under the Single inspection framework (SIF)" in html


def test_the_national_comparison_keeps_to_latest_ilacs_grades(client, harrow_history, harrow_2017):
    page = client.get(reverse("reports:comparison"))
    assert page.status_code == 200
    cells = "".join(row["html"] for row in page.context["rows"])  # each council's, rendered
    assert len(page.context["rows"]) == 1
    assert "/inspections/harrow-2025-01/" in cells
    assert "harrow-2017-01" not in cells and "harrow-2020-02" not in cells
    assert all(area.framework == "ilacs" for area in page.context["columns"])


# --- findings search, filters, CSV and API take SIF findings ------------------------------------


def test_findings_can_be_filtered_by_framework(client, harrow, harrow_2017):
    sif = Finding.objects.filter(inspection=harrow_2017).count()
    ilacs = Finding.objects.filter(inspection=harrow).count()
    page = client.get("/findings/", {"framework": "sif"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == sif
    assert "findings in single inspection framework reports (2013 to 2018)" in page.content.decode()
    api = client.get("/api/findings/", {"framework": "ilacs"}).json()
    assert api["count"] == ilacs
    both = client.get("/api/findings/", {"framework": ["ilacs", "sif"]}).json()
    assert both["count"] == sif + ilacs
    csv = client.get("/findings.csv", {"framework": "sif", "q": "adoption"})
    text = b"".join(csv.streaming_content).decode()
    assert csv.status_code == 200 and "harrow-2017-01" in text and "harrow-2020-02" not in text
    assert client.get("/api/findings/", {"framework": "ofsted"}).status_code == 400


def test_a_sif_finding_in_the_api_says_its_framework(client, harrow_2017):
    found = client.get(
        "/api/findings/", {"inspection": "harrow-2017-01", "judgement_area": "sif-lscb"}
    )
    assert found.json()["count"] == 19
    judgement = client.get("/api/inspections/harrow-2017-01/").json()["judgements"]
    assert {j["framework"] for j in judgement} == {"sif"}
    actions = client.get("/api/improvement-actions/", {"inspection": "harrow-2017-01"}).json()
    assert [a["addressed_to"] for a in actions["results"]].count("lscb") == 6


def test_the_dry_run_and_upload_preview_say_what_a_sif_report_gave():
    from reports.importing.load import summary_of

    text = summary_of(parsed(HARROW_2017))
    assert "Harrow (harrow-2017-01, sif-2015)" in text
    assert "  Children who need help and protection: Requires improvement to be good" in text
    assert "paragraphs 11 to 111" in text
    first = parsed_corpus("hartlepool-published-2014-02-11.pdf")  # numbers no paragraphs
    assert "no numbered paragraphs" in summary_of(first)
    assert "the report numbers none of its paragraphs" in " ".join(first.anomalies)


def test_a_council_with_two_sif_inspections_and_a_2023_ilacs_one(client, db):
    """Birmingham: SIF 2014, the 2016 re-inspection (no LSCB review), ILACS 2023 (children
    in care and care leavers judged apart). Each SIF judgement lines up with its ILACS
    counterpart of the 2023 layout (docs/decisions/frameworks.md); the LSCB keeps its row."""
    for name in [
        "birmingham-published-2014-05-23.pdf",
        "birmingham-published-2016-11-25.pdf",
        "birmingham-published-2023-04-18.pdf",
    ]:
        import_report(path=corpus_file(name))
    page = client.get(reverse("reports:local-authority", kwargs={"slug": "birmingham"}))
    labels = [c.label for c in page.context["columns"]]
    assert labels == [
        "March 2014: single inspection framework",
        "September 2016: single inspection framework",
        labels[2],
    ]
    assert not labels[2].endswith("single inspection framework")
    rows = {row.area.slug: row for row in page.context["rows"]}
    assert rows["children-in-care"].counterpart.slug == "sif-children-looked-after"
    assert rows["care-leavers"].counterpart.slug == "sif-care-leavers"
    assert [g and int(g) for g in rows["children-in-care"].grades][:2] == [INADEQUATE, RI]
    assert [g and int(g) for g in rows["sif-lscb"].grades] == [INADEQUATE, None, None]
    assert set(rows) == {
        "help-and-protection",
        "children-in-care",
        "care-leavers",
        "impact-of-leaders",
        "overall-effectiveness",
        "sif-adoption",
        "sif-lscb",
    }
    # Between the two SIF inspections nothing is lined up: the same framework's areas.
    second = client.get(reverse("reports:inspection", kwargs={"slug": "birmingham-2016-09"}))
    changes = {c["area"].slug: c for c in second.context["changes"]}
    assert not second.context["across_frameworks"]
    assert (
        changes["sif-help-and-protection"]["before"].grade,
        changes["sif-help-and-protection"]["now"].grade,
    ) == (INADEQUATE, INADEQUATE)
    assert changes["sif-lscb"]["now"] is None


def test_the_admin_upload_imports_a_sif_report_as_it_does_an_ilacs_one(client, db, tmp_path):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("importer", "i@example.org", "a long pass 42"))
    copy = tmp_path / "report.pdf"  # the name says nothing: the title does
    shutil.copy(REPORTS / HARROW_2017, copy)
    upload = "/admin/reports/importlog/import/"
    with open(copy, "rb") as pdf:
        preview = client.post(upload, {"report": pdf}).content.decode()
    assert "Nothing has been saved yet" in preview
    assert "Children who need help and protection: Requires improvement" in preview
    client.post(upload, {"confirm": "1"}, follow=True)
    inspection = Inspection.objects.get()
    assert (inspection.slug, inspection.framework) == ("harrow-2017-01", "sif")


def test_a_sif_report_not_in_the_manifest_finds_its_council_by_name(db, tmp_path):
    """Without the manifest's URN (a changed copy), the printed name is enough, even as
    'City of Bradford Metropolitan District Council'."""
    copy = tmp_path / "bradford.pdf"
    copy.write_bytes(corpus_file("bradford-published-2014-05-23.pdf").read_bytes() + b"\n% x\n")
    result = import_report(path=copy)
    assert result.inspection.local_authority.slug == "bradford"
    assert result.inspection.source_url == ""  # not from the manifest


def test_a_sif_inspections_overall_grade_is_its_sentences(client, harrow_2017):
    """ "Children's services in Harrow are good": the inspection's overall grade, for the
    overall-grade filter and the CSV's column, as overall effectiveness is for ILACS."""
    good = client.get("/api/findings/", {"inspection": "harrow-2017-01", "overall_grade": "good"})
    assert good.json()["count"] == harrow_2017.findings.count() > 0
    other = client.get(
        "/api/findings/", {"inspection": "harrow-2017-01", "overall_grade": "inadequate"}
    )
    assert other.json()["count"] == 0
    response = client.get("/findings.csv", {"inspection": "harrow-2017-01"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {row["overall_grade"] for row in rows} == {"Good"}


def test_the_framework_filter_is_shown_removable_and_kept_by_the_form(client, harrow_2017):
    page = client.get("/findings/", {"framework": "sif"}).content.decode()
    assert "Framework: " in page  # in the summary of filters applied, with a removal link
    assert '<input type="hidden" name="framework" value="sif">' in page


def test_a_sif_pages_evidence_and_type_are_in_the_frameworks_words(
    client, editor, harrow, harrow_2017
):
    """A SIF report's "What needs to improve" is its "Recommendations": a finding's page
    names them so, and the inspection page says "re-inspection" once, not the framework
    twice."""
    link = (
        EvidenceLink.objects.filter(action__inspection=harrow_2017)
        .select_related("action", "finding")
        .first()
    )
    page = client.get(link.finding.get_absolute_url()).content.decode()
    assert "Evidence for the report’s recommendations" in page
    assert f'#what-needs-to-improve">recommendation {link.action.position}</a>' in page
    assert "what needs to improve" not in page.lower().replace("#what-needs-to-improve", "")

    review = editor.get(reverse("admin:judgements_review_inspection", args=[harrow_2017.slug]))
    assert "Evidence for the report’s recommendations" in review.content.decode()
    assert f'value="Confirm recommendation {link.action.position}"' in review.content.decode()

    ilacs = client.get("/inspections/harrow-2020-02/findings/8/").content.decode()
    assert "Evidence for what needs to improve" in ilacs
    assert '#what-needs-to-improve">point 1</a>' in ilacs and "recommendation" not in ilacs

    harrow_2017.inspection_type = "re-inspection"
    harrow_2017.save(update_fields=["inspection_type"])
    page = client.get(reverse("reports:inspection", kwargs={"slug": "harrow-2017-01"}))
    framework = re.search(r"Framework</dt>\s*<dd[^>]*>(.*?)</dd>", page.content.decode(), re.S)
    assert framework[1] == "Single inspection framework (SIF), re-inspection"


def test_a_sif_reports_recommendation_number_says_it_is_a_recommendation(client, harrow_2017):
    # paragraph 87 (the LSCB's first recommendation) was a bare "Page not found"
    response = client.get("/inspections/harrow-2017-01/findings/87/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Its findings are paragraphs 11\u201386 and 93\u2013111." in html
    assert "Paragraphs 1\u201310 and 87\u201392 are its recommendations" in html
    assert 'href="/inspections/harrow-2017-01/#what-needs-to-improve"' in html
