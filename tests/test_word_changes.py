"""A text search's count follows an edit of the words without counting every match again
(judgements/word_changes.py): right after the edit the search shows the count of now,
not of a moment before, and its pages past the middle are still exactly what OFFSET
gives. Where that cannot be known exactly (a tag changed too, too many paragraphs
changed, an old count), the search is counted again as before."""

import re

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from harrow_inspection import data_version
from harrow_inspection.search import search_query
from judgements import word_changes
from judgements.filters import LIST_ORDER
from judgements.models import Finding, ServiceArea, ServiceAreaTag, WordsChange

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _a_moment_before_would_be_shown(settings):
    """Nothing remembered from other tests (their version numbers repeat); and, as in
    production, right after a change a count not followed is the one of a moment before
    (shown while it is counted again in the background)."""
    caches["default"].clear()
    caches[settings.PAGE_CACHE_ALIAS].clear()
    settings.COUNTS_STALE_SECONDS = 30


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def shown(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    count = page.paginator.count
    assert f"{count} finding" in response.content.decode().replace(",", "")
    return count, [(row["inspection_slug"], row["number"]) for row in page.object_list]


def matching(word):
    return Finding.objects.filter(search_vector=search_query(word))


def add_words(finding, words):
    finding.text = f"{finding.text} {words}"
    finding.save()  # as the admin saves: every column, and a history row


def test_an_edit_of_the_words_logs_them_as_they_were_with_the_version_of_the_write(
    committed_harrow,
):
    finding = Finding.objects.get(inspection=committed_harrow, number=24)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM judgements_finding WHERE id = %s",
                       [finding.pk])  # fmt: skip
        before_words = cursor.fetchone()[0]
    (version, _), _ = data_version._read()
    sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE id = %s", [finding.pk])
    (after, _), _ = data_version._read()
    logged = WordsChange.objects.get()
    assert logged.finding_id == finding.pk
    assert logged.version == after == version + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT old_vector::text FROM judgements_wordschange")
        assert cursor.fetchone()[0] == before_words
    # a write that leaves the words as they were (a space added) logs nothing
    sql("UPDATE judgements_finding SET text = text || ' ' WHERE id = %s", [finding.pk])
    assert WordsChange.objects.count() == 1


def test_right_after_an_edit_of_the_words_a_search_shows_the_count_of_now(client, committed_harrow):
    url = "/findings/?q=zymurgy"
    assert shown(client, url) == (0, [])
    first, second = Finding.objects.filter(inspection=committed_harrow, number__in=[3, 24])
    add_words(first, "Zymurgy.")
    assert shown(client, url)[0] == 1
    add_words(second, "Zymurgy again.")
    right_after = client.get(url)
    assert right_after.context["page"].paginator.count == 2
    assert "2 findings" in right_after.content.decode()
    # and words taken away
    first.text = first.text.replace(" Zymurgy.", "")
    first.save()
    assert shown(client, url) == (1, [(committed_harrow.slug, second.number)])


def test_a_page_past_the_middle_right_after_an_edit_is_the_offsets_page(client, committed_harrow):
    word = "children"
    total = matching(word).count()
    assert total > 20, "the search needs a second page past the middle"
    url = f"/findings/?q={word}&sort=newest&page=2"  # newest first: LIST_ORDER
    count, _ = shown(client, url)
    assert count == total
    lacking = Finding.objects.filter(inspection=committed_harrow).exclude(
        pk__in=matching(word).values("pk")
    )
    add_words(lacking.order_by("number").first(), "Children were seen.")
    count, rows = shown(client, url)
    assert count == total + 1
    expected = [
        (committed_harrow.slug, number)
        for number in matching(word).order_by(*LIST_ORDER).values_list("number", flat=True)[20:40]
    ]
    assert rows == expected


def test_a_tag_change_leaves_a_search_that_reads_no_tags_followed(client, committed_harrow):
    url = "/findings/?q=zymurgy"
    first, second = Finding.objects.filter(inspection=committed_harrow, number__in=[3, 24])
    add_words(first, "Zymurgy.")
    assert shown(client, url)[0] == 1
    ServiceAreaTag.objects.filter(finding=first).update(confirmed=True)
    add_words(second, "Zymurgy.")
    right_after = client.get(url)
    assert right_after.context["page"].paginator.count == 2


def test_a_paragraph_added_makes_the_search_count_again(client, committed_harrow):
    url = "/findings/?q=zymurgy"
    assert shown(client, url)[0] == 0
    judgement = committed_harrow.judgements.first()
    Finding.objects.create(
        inspection=committed_harrow, judgement=judgement, number=33, text="Zymurgy."
    )
    assert client.get(url).context["page"].paginator.count == 0  # of a moment before
    assert data_version.wait_for_background()
    assert shown(client, url)[0] == 1


def test_a_tag_changed_as_well_makes_the_search_count_again(client, committed_harrow):
    """Only the words are followed: once a tag changes too, a search that reads tags
    shows the count of a moment before right after, and the next ones are counted."""
    url = "/findings/?q=zymurgy&service_area=care-leavers"
    care_leavers = ServiceArea.objects.get(slug="care-leavers")
    tagged = list(Finding.objects.filter(service_areas=care_leavers).order_by("number")[:2])
    untagged = list(Finding.objects.exclude(service_areas=care_leavers).order_by("number")[:1])
    add_words(tagged[0], "Zymurgy.")
    add_words(untagged[0], "Zymurgy.")
    assert shown(client, url)[0] == 1
    ServiceAreaTag.objects.create(finding=untagged[0], service_area=care_leavers)
    add_words(tagged[1], "Zymurgy.")
    right_after = client.get(url)
    assert right_after.context["page"].paginator.count == 1  # of a moment before
    assert right_after["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    assert shown(client, url)[0] == 3


def test_many_paragraphs_rewritten_at_once_are_counted_again(client, committed_harrow, monkeypatch):
    monkeypatch.setattr(word_changes, "MOST_CHANGED", 2)
    url = "/findings/?q=zymurgy"
    assert shown(client, url)[0] == 0
    sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE number IN (1, 2, 3)")
    assert WordsChange.objects.count() == 3
    assert client.get(url).context["page"].paginator.count == 0  # of a moment before
    assert data_version.wait_for_background()
    assert shown(client, url)[0] == 3


def test_the_log_forgets_after_a_day_and_older_counts_are_not_followed(committed_harrow):
    finding = Finding.objects.get(inspection=committed_harrow, number=24)
    sql(
        "INSERT INTO judgements_wordschange (version, finding_id, old_vector, logged_at) "
        "VALUES (1, %s, ''::tsvector, now() - interval '25 hours')",
        [finding.pk],
    )
    rows = matching("zymurgy").values("pk")
    query, params = rows.query.sql_with_params()
    earlier = data_version.count_with_version(query, params)
    assert earlier[0] == 0 and earlier[1] is not None
    assert WordsChange.objects.count() == 1
    sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE id = %s", [finding.pk])
    (now, _), _ = data_version._read()
    # the day-old change is forgotten, the new one kept
    assert list(WordsChange.objects.values_list("version", flat=True)) == [now]
    assert word_changes.follow(query, params, earlier, connection)[0] == 1
    day_old = (*earlier[:2], earlier[2] - word_changes.REACH_SECONDS - 60)
    assert word_changes.follow(query, params, day_old, connection) is None


def test_a_count_made_by_a_transaction_that_wrote_is_never_followed(committed_harrow):
    rows = matching("zymurgy").values("pk")
    query, params = rows.query.sql_with_params()
    with transaction.atomic():
        sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE number = 24")
        inside = data_version.count_with_version(query, params)
        transaction.set_rollback(True)
    assert inside[0] == 1  # its own write, rolled back since
    assert inside[1:] == (None, None)
    assert not re.search(r"zymurgy", Finding.objects.get(number=24).text, re.IGNORECASE)


def test_words_added_then_taken_away_again_leave_the_count_as_it_was(committed_harrow):
    """Between a count and its follow the same paragraph changed twice: its words as they
    were at the count are the first logged, not the last."""
    finding = Finding.objects.get(inspection=committed_harrow, number=24)
    rows = matching("zymurgy").values("pk")
    query, params = rows.query.sql_with_params()
    earlier = data_version.count_with_version(query, params)
    sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE id = %s", [finding.pk])
    sql("UPDATE judgements_finding SET text = left(text, -9) WHERE id = %s", [finding.pk])
    assert WordsChange.objects.count() == 2
    assert word_changes.follow(query, params, earlier, connection)[0] == 0 == rows.count()


def test_a_write_stamps_its_table_with_its_own_version(committed_harrow):
    from reports.models import DataVersion

    ServiceAreaTag.objects.filter(finding__number=24).update(confirmed=True)
    counter = DataVersion.objects.get()
    version, _ = counter.tables["judgements_serviceareatag"]
    assert version == counter.version
    # a text edit stamps nothing
    sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE number = 24")
    after = DataVersion.objects.get()
    assert after.version == version + 1
    assert after.tables == counter.tables


def test_a_transaction_that_wrote_never_follows(committed_harrow):
    rows = matching("zymurgy").values("pk")
    query, params = rows.query.sql_with_params()
    earlier = data_version.count_with_version(query, params)
    with transaction.atomic():
        sql("UPDATE judgements_finding SET text = text || ' Zymurgy.' WHERE number = 24")
        assert word_changes.follow(query, params, earlier, connection) is None
        transaction.set_rollback(True)
    assert word_changes.follow(query, params, earlier, connection)[0] == 0


def facet_counts(response):
    """{(facet, value): count} as the filter panel shows them."""
    found = re.findall(
        r'for="([a-z_]+)-([a-z0-9-]+)">[^<]*<span class="app-facet__count">\((\d+)',
        response.content.decode(),
    )
    return {(facet, value): int(count) for facet, value, count in found}


def test_an_edit_that_leaves_a_searchs_matches_leaves_its_facets_shown_at_once(
    client, committed_harrow
):
    """Right after an edit of words the search neither had nor gained, its facets are
    those of now, not of a moment before counted again in the background: the page can
    be kept, and nothing is left to count."""
    url = "/findings/?q=children"
    before = client.get(url)
    assert before.status_code == 200
    counts = facet_counts(before)
    assert counts[("local_authority", "harrow")] == matching("children").count()
    add_words(matching("children").order_by("number").first(), "Zymurgy.")  # still matches
    right_after = client.get(url)
    assert right_after["Cache-Control"] != "no-store"
    assert facet_counts(right_after) == counts
    assert data_version._outstanding == 0  # nothing handed to the background


def test_an_edit_that_brings_a_paragraph_into_a_search_counts_its_facets_again(
    client, committed_harrow
):
    url = "/findings/?q=zymurgy"
    first, second = Finding.objects.filter(inspection=committed_harrow, number__in=[3, 24])
    add_words(first, "Zymurgy.")
    assert facet_counts(client.get(url))[("local_authority", "harrow")] == 1
    add_words(second, "Zymurgy.")
    right_after = client.get(url)
    assert facet_counts(right_after)[("local_authority", "harrow")] == 1  # of a moment before
    assert right_after["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    assert facet_counts(client.get(url))[("local_authority", "harrow")] == 2


def test_a_paragraph_that_came_into_a_search_and_went_out_again_leaves_its_facets(
    client, committed_harrow
):
    url = "/findings/?q=zymurgy"
    first, second = Finding.objects.filter(inspection=committed_harrow, number__in=[3, 24])
    add_words(first, "Zymurgy.")
    counts = facet_counts(client.get(url))
    assert counts[("local_authority", "harrow")] == 1
    add_words(second, "Zymurgy.")
    second.text = second.text.replace(" Zymurgy.", "")
    second.save()
    right_after = client.get(url)
    assert right_after["Cache-Control"] != "no-store"
    assert facet_counts(right_after) == counts


def test_a_tag_changed_as_well_makes_a_searchs_facets_count_again(client, committed_harrow):
    url = "/findings/?q=children"
    counts = facet_counts(client.get(url))
    care_leavers = ServiceArea.objects.get(slug="care-leavers")
    untagged = matching("children").exclude(service_areas=care_leavers).order_by("number")[0]
    ServiceAreaTag.objects.create(finding=untagged, service_area=care_leavers)
    add_words(untagged, "Zymurgy.")  # leaves the search's matches as they were
    right_after = client.get(url)
    assert facet_counts(right_after) == counts  # of a moment before
    assert right_after["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    now = facet_counts(client.get(url))
    assert now[("service_area", "care-leavers")] == counts[("service_area", "care-leavers")] + 1


def test_one_paragraph_into_a_search_and_another_out_counts_its_facets_again(
    client, committed_harrow
):
    """The same number of matches, but not the same matches: the facets are counted
    again (the judgement areas' counts move from one area to the other)."""
    url = "/findings/?q=zymurgy"
    first = Finding.objects.filter(inspection=committed_harrow).order_by("number")[0]
    second = (
        Finding.objects.filter(inspection=committed_harrow)
        .exclude(judgement__area=first.judgement.area)
        .order_by("number")[0]
    )
    add_words(first, "Zymurgy.")
    counts = facet_counts(client.get(url))
    assert counts[("judgement_area", first.judgement.area.slug)] == 1
    assert ("judgement_area", second.judgement.area.slug) not in counts
    first.text = first.text.replace(" Zymurgy.", "")
    first.save()
    add_words(second, "Zymurgy.")
    right_after = client.get(url)
    assert right_after.context["page"].paginator.count == 1
    assert right_after["Cache-Control"] == "no-store"  # facets of a moment before
    assert data_version.wait_for_background()
    now = facet_counts(client.get(url))
    assert now[("judgement_area", second.judgement.area.slug)] == 1
    assert ("judgement_area", first.judgement.area.slug) not in now


def test_a_paragraph_gone_out_of_a_search_counts_its_facets_again(client, committed_harrow):
    url = "/findings/?q=zymurgy"
    first, second = Finding.objects.filter(inspection=committed_harrow, number__in=[3, 24])
    add_words(first, "Zymurgy.")
    add_words(second, "Zymurgy.")
    assert facet_counts(client.get(url))[("local_authority", "harrow")] == 2
    second.text = second.text.replace(" Zymurgy.", "")
    second.save()
    assert client.get(url)["Cache-Control"] == "no-store"
    assert data_version.wait_for_background()
    assert facet_counts(client.get(url))[("local_authority", "harrow")] == 1


def test_facets_are_never_followed_by_a_transaction_that_wrote(committed_harrow):
    rows = matching("zymurgy").values("pk")
    query, params = rows.query.sql_with_params()
    (version, changed_at), _ = data_version._read()
    base = (version, changed_at.timestamp())
    with transaction.atomic():
        sql("UPDATE judgements_finding SET text = text || ' Reviewed.' WHERE number = 24")
        assert word_changes.same_matches(query, params, base, connection) is None
        transaction.set_rollback(True)
    assert word_changes.same_matches(query, params, base, connection) is not None


def test_a_stamp_in_another_form_counts_as_a_change(client, committed_harrow):
    """A counter row whose stamp is not [version, time] (a database migrated from a draft
    of reports 0012 wrote a bare time) makes a search count again, never an error page."""
    url = "/findings/?q=zymurgy"
    first = Finding.objects.get(inspection=committed_harrow, number=3)
    add_words(first, "Zymurgy.")
    assert shown(client, url)[0] == 1
    sql(
        "UPDATE reports_dataversion SET tables = "
        "jsonb_build_object('judgements_finding', extract(epoch FROM now()))"
    )
    second = Finding.objects.get(inspection=committed_harrow, number=24)
    add_words(second, "Zymurgy.")
    assert client.get(url).status_code == 200
    assert data_version.wait_for_background()
    assert shown(client, url)[0] == 2
