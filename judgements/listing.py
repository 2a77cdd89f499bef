"""A list of findings as the findings page shows it, read as plain values and written
as HTML in Python.

The page shows twenty findings, each with a link, the council and month, its judgement's
grade and the inspection's, the text (or the search's highlighted extract) and its
service areas: about twenty template tags and includes per finding, which cost more than
the query that reads them (bench/README.md, "Search and the finding's page, rendered
faster"). Here the parts that never depend on the data (the grade tags, the checked
marks, the address patterns) are made once per process, and each finding is one string.
The HTML is the same as the template's was (tests/test_pages.py)."""

from functools import cache, lru_cache
from html import escape as html_escape

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, F, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from harrow_inspection.addresses import address, address_maker
from harrow_inspection.compiled import CompiledValues
from harrow_inspection.report_text import render_report_text
from harrow_inspection.search import MATCH_END, MATCH_START, normalised, search_query
from judgements.models import Finding, Grade, ServiceAreaTag

# The grade is always written out: colour only repeats what the words say.
COLOURS = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--teal",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Grade.INADEQUATE: "govuk-tag--red",
}


def grade_tag(grade):
    """A GOV.UK tag for a grade number, e.g. <strong class="govuk-tag …">Good</strong>."""
    grade = Grade(grade)
    return format_html('<strong class="govuk-tag {}">{}</strong>', COLOURS[grade], grade.label)


# Stand-ins for a finding's address's two parts (harrow_inspection.addresses).
_SLUG, _NUMBER = "slug-of-the-inspection", 32109


def tag_values():
    """Each finding's service-area tags in the page's own query, in the order shown:
    [{"slug", "name", "confirmed"}, …]."""
    tags = (
        ServiceAreaTag.objects.filter(finding=OuterRef("pk"))
        .order_by("service_area__position", "service_area__name")
        .values_list(
            JSONObject(slug="service_area__slug", name="service_area__name", confirmed="confirmed")
        )
    )
    return ArraySubquery(tags)


def _page_rows(ids, text=None):
    # one parameter for any number of ids (IN would make the SQL differ with their number)
    any_id = f'"{Finding._meta.db_table}"."id" = ANY(%s)'
    findings = Finding.objects.with_overall_grade().filter(
        RawSQL(any_id, (ids,), output_field=BooleanField())  # noqa: S611 - ids as a parameter
    )
    if text is not None:
        findings = findings.with_headline(search_query(text), MATCH_START, MATCH_END)
    return listed(findings.order_by(), headline=text is not None)


# The page's rows by their ids, with the search's highlights or without: compiled and
# prepared once (harrow_inspection.compiled), whatever the filters that chose them.
_STAND_IN_IDS, _STAND_IN_WORDS = [-32109, -32108], "stand-in words of a search"
PAGE_ROWS = CompiledValues(_page_rows, json_columns=("tag_list",), ids=_STAND_IN_IDS)
PAGE_ROWS_HIGHLIGHTED = CompiledValues(
    _page_rows, json_columns=("tag_list",), ids=_STAND_IN_IDS, text=_STAND_IN_WORDS
)


def page_rows(window, text=""):
    """The findings of `window` (a page of a findings queryset, in its order) as `listed`
    gives them, with the search's highlights if `text`: the window's ids in one query,
    then their rows in a second, prepared one (cheaper than compiling and planning the
    two as one on every request)."""
    ids = list(window.values_list("pk", flat=True))
    if not ids:
        return []
    if text:
        rows = PAGE_ROWS_HIGHLIGHTED.rows(ids=ids, text=normalised(text))
    else:
        rows = PAGE_ROWS.rows(ids=ids)
    by_id = {row["pk"]: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def listed(findings, *, headline=False):
    """`findings` (a FindingQuerySet with_overall_grade) as the values the list shows."""
    fields = ["pk", "number", "text", "overall_grade", *(["headline"] if headline else [])]
    return findings.values(
        *fields,
        inspection_slug=F("inspection__slug"),
        authority=F("inspection__local_authority__name"),
        start_date=F("inspection__start_date"),
        synthetic=F("inspection__is_synthetic"),
        area_short_name=F("judgement__area__short_name"),
        grade=F("judgement__grade"),
        tag_list=tag_values(),
    )


def finding_url(slug, number):
    """reverse("judgements:finding", …), made once per process."""
    return address_maker("judgements:finding", slug=_SLUG, number=_NUMBER)(slug=slug, number=number)


@cache
def checked_marks(short):
    """{confirmed: HTML} of includes/checked_mark.html, rendered once per process."""
    return {
        confirmed: render_to_string(
            "includes/checked_mark.html", {"confirmed": confirmed, "short": short}
        )
        for confirmed in (True, False)
    }


@cache
def _parts(script_prefix):
    """What every finding's HTML shares, made once per process (and address prefix)."""
    list_url = address("judgements:finding-list")
    return {
        "area_link": f'<a class="govuk-link govuk-body-s" href="{list_url}?service_area=',
        "grades": {grade: str(grade_tag(grade)) for grade in range(1, 5)},
        "marks": checked_marks(short=True),
        "synthetic": {
            synthetic: render_to_string(
                "includes/synthetic_tag.html", {"inspection": {"is_synthetic": synthetic}}
            )
            for synthetic in (True, False)
        },
    }


@cache
def _months(language):
    """A function giving a date's month and year as the page shows them ("February
    2020"), remembered per date: twenty findings a page, a few hundred months in all."""
    return lru_cache(maxsize=4096)(lambda day: date_format(day, "F Y"))


def articles(rows, terms):
    """The HTML of the findings `rows` (from `listed`), one <article> each, as the
    findings page's template wrote them. (`html.escape` is what Django's `escape` does,
    without its lazy-string wrapper: a few hundred calls a page.)"""
    parts = _parts(get_script_prefix())
    area_link, grades, marks = parts["area_link"], parts["grades"], parts["marks"]
    synthetic = parts["synthetic"]
    url_of = address_maker("judgements:finding", slug=_SLUG, number=_NUMBER)
    months = _months(get_language())
    out = []
    for row in rows:
        pk, number = row["pk"], row["number"]
        url = html_escape(url_of(slug=row["inspection_slug"], number=number))
        place = f"{html_escape(row['authority'])}, {months(row['start_date'])}"
        area = html_escape(row["area_short_name"])
        overall = ""
        if row["overall_grade"]:
            overall = (
                '<span class="app-finding__overall">Inspection’s overall grade: '
                f"{grades[row['overall_grade']]}</span>"
            )
        text = render_report_text(row.get("headline") or row["text"], terms)
        tags = "".join(
            f'<li class="app-tag-list__item">{area_link}{html_escape(tag["slug"])}">'
            f"{html_escape(tag['name'])}</a> {marks[tag['confirmed']]}</li>"
            for tag in row["tag_list"]
        )
        out.append(
            f'    <article class="app-finding" aria-labelledby="finding-{pk}">\n'
            f'      <h2 class="govuk-heading-s govuk-!-margin-bottom-1" id="finding-{pk}">\n'
            f'        <a class="govuk-link" href="{url}">{place}: paragraph {number}</a>'
            f"{synthetic[row['synthetic']]}\n"
            "      </h2>\n"
            f'      <p class="app-finding__meta">Under the judgement ‘{area}’, which the '
            f"inspection graded {grades[row['grade']]}{overall}</p>\n"
            f'      <p class="app-report-text govuk-body">{text}</p>\n'
            '      <ul class="app-tag-list" aria-label="Service areas">\n'
            f"        {tags}\n"
            "      </ul>\n"
            "    </article>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
