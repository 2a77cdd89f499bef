"""Staff writes that must never lose work: version-checked saves and restoring deletions.

Optimistic concurrency: a versioned record (``Finding``, ``ActionPlan``) carries a
``version`` that goes up by one with every save. A form remembers the version it was
opened at; the save locks the row, checks that version in the same transaction and
claims the next one with ``UPDATE … SET version = n + 1 WHERE id = … AND version = n``.
If someone else saved in between, the save is refused and ``changes_since`` says what
they changed, so the person whose save was refused can merge.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from judgements.differences import shown_value
from judgements.models import (
    ActionPlan,
    EvidenceLink,
    Finding,
    ImprovementAction,
    ProgressUpdate,
    ServiceAreaTag,
)

NOT_DIFFED = ["version"]
SHOWN_CHARACTERS = 300


class EditConflict(Exception):
    """Someone else saved the record after this form was opened."""


def current_version(*, model, pk, lock=False):
    """The record's version now; with ``lock``, also lock the row until the transaction ends."""
    rows = model._default_manager.filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def claim_next_version(*, instance, loaded_version):
    """Before saving ``instance``: move its row from ``loaded_version`` to the next one.

    Raises EditConflict, changing nothing, if the row is no longer at ``loaded_version``.
    Must run in the transaction that then saves ``instance``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_next_version must run inside transaction.atomic")
    claimed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=loaded_version)
        .update(version=F("version") + 1)
    )
    if claimed != 1:
        raise EditConflict(f"{instance} was saved by someone else after version {loaded_version}")
    instance.version = loaded_version + 1


def _short(value):
    text = "(empty)" if value in (None, "") else str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _when(record):
    return date_format(timezone.localtime(record.history_date), "j F Y, H:i")


YOU_ELSEWHERE = "you, in another window"


def _who(record, user=None):
    """Who saved ``record``, as the person reading it would say it."""
    saver = record.history_user
    if saver is None:
        return "someone"
    if user is not None and saver.pk == user.pk:
        return YOU_ELSEWHERE
    return saver.get_full_name() or saver.get_username()


def _capitalised(text):
    return text[:1].upper() + text[1:]


# What else a record's form edits, whose own history says what changed: (model, the
# field pointing at the record, how to describe one row).
RELATED_HISTORY = {
    Finding: [
        (ServiceAreaTag, "finding_id", lambda r: f"service area “{r.service_area}”"),
        (EvidenceLink, "finding_id", lambda r: f"evidence for action {r.action.position}"),
    ],
    ActionPlan: [
        (ProgressUpdate, "plan_id", lambda r: f"progress update “{_short(r.text)}”"),
    ],
}


def _since(instance, loaded_version):
    """(the history record at ``loaded_version`` or None, the records saved after it)."""
    history = type(instance).history.filter(id=instance.pk)
    baseline = history.filter(version=loaded_version).order_by("-history_date").first()
    newer = history.order_by("history_date")
    if baseline is not None:
        newer = newer.filter(history_date__gt=baseline.history_date)
    return baseline, list(newer.select_related("history_user"))


def _related_sentences(instance, since, user):
    sentences = []
    for model, link, describe in RELATED_HISTORY.get(type(instance), []):
        records = model.history.filter(**{link: instance.pk}, history_date__gte=since)
        records = records.order_by("history_date")
        for record in records.select_related("history_user"):
            verb = {"+": "added", "~": "changed", "-": "removed"}[record.history_type]
            who = _who(record, user)
            who = "You (in another window)" if who == YOU_ELSEWHERE else who
            sentences.append(f"{who} {verb} {describe(record)}.")
    return sentences


def changed_since(*, instance, loaded_version, user=None):
    """What happened to ``instance`` since ``loaded_version``, for the person whose save
    was refused (``user``): a dict with

    * ``records``: the history records saved since, oldest first (empty: nothing known);
    * ``by_you``: whether ``user`` saved all of them (in another window or tab);
    * ``who``: who saved them (“you, in another window” when it was ``user``);
    * ``when``: when the last was saved, in words;
    * ``fields``: the names of the fields changed since (None when the version opened
      is not in the history, so that what changed is not known);
    * ``related``: sentences on the rows edited with it (tags, evidence, updates).
    """
    baseline, newer = _since(instance, loaded_version)
    found = {"records": newer, "by_you": False, "who": "", "when": "", "fields": None}
    found["related"] = []
    if not newer:
        return found
    people = sorted({_who(record, user) for record in newer})
    found["by_you"] = people == [YOU_ELSEWHERE]
    found["who"] = " and ".join(people)
    found["when"] = _when(newer[-1])
    if baseline is not None:
        delta = newer[-1].diff_against(baseline, excluded_fields=NOT_DIFFED)
        found["fields"] = [change.field for change in delta.changes]
        found["before"] = {change.field: change.old for change in delta.changes}
    # The admin saves the record before its inlines, so the other person's tag and
    # update changes are dated from their save of the record on.
    found["related"] = _related_sentences(instance, newer[0].history_date, user)
    return found


def changes_since(*, instance, loaded_version, user=None):
    """Sentences saying who changed what in ``instance`` since ``loaded_version``, each
    field by its label and its values as the admin shows them (“In progress”)."""
    found = changed_since(instance=instance, loaded_version=loaded_version, user=user)
    if not found["records"]:
        return []
    sentences = [f"Saved by {found['who']} (last at {found['when']})."]
    model = type(instance)
    for name in found["fields"] or []:
        field = model._meta.get_field(name)
        old = shown_value(field, found["before"][name])
        new = shown_value(field, getattr(found["records"][-1], field.attname))
        label = _capitalised(str(field.verbose_name))
        sentences.append(f"{label} was “{_short(old)}” and is now “{_short(new)}”.")
    return sentences + found["related"]


def restorable_findings():
    """The latest deletion record of every finding that is deleted now."""
    deletions = (
        Finding.history.filter(history_type="-")
        .exclude(id__in=Finding.objects.values("id"))
        .select_related("history_user")
        .order_by("id", "-history_date")
        .distinct("id")
    )
    return sorted(deletions, key=lambda record: record.history_date, reverse=True)


def restore_finding(*, deletion, user):
    """Bring back a deleted finding as it was, with the tags and evidence links it had.

    ``deletion`` is the finding's "-" history record. The tags and links restored are
    those deleted with it (recorded from the moment its deletion began: see
    judgements/signals.py), so that a tag removed weeks before stays removed.
    """
    with transaction.atomic():
        if Finding.objects.filter(pk=deletion.id).exists():
            raise ValueError(f"{deletion.instance} is not deleted: nothing to restore.")
        finding = deletion.instance
        finding.version = deletion.version + 1
        finding._history_user = user
        finding._change_reason = "Restored after deletion"
        finding.save(force_insert=True)
        restored = []
        for model in (ServiceAreaTag, EvidenceLink):
            deleted_with_it = model.history.filter(
                finding_id=finding.pk,
                history_type="-",
                history_date__gte=deletion.history_date,
            )
            for record in deleted_with_it:
                if model.objects.filter(pk=record.id).exists():
                    continue
                gone = model is EvidenceLink and not (
                    ImprovementAction.objects.filter(pk=record.action_id).exists()
                )
                if gone:
                    continue
                row = record.instance
                row._history_user = user
                row._change_reason = "Restored with its finding"
                row.save(force_insert=True)
                restored.append(row)
    return finding, restored


# Reverting a finding brings back its service-area tags and evidence links as they
# were at that version: (model, the key a row is known by, how to name a row).
FINDING_ROWS = [
    (ServiceAreaTag, "service_area_id", lambda row: f"service area “{row.service_area}”"),
    (EvidenceLink, "action_id", lambda row: f"evidence for action {row.action.position}"),
]


def version_ends(record):
    """When the finding version ``record`` stopped being current: the date of the next
    version of the finding, or None if it is the latest. The rows the admin saved with a
    version (its inlines) are dated just after it, so "as at the version" means "as they
    stood until the next version" (or now)."""
    following = (
        Finding.history.filter(id=record.id, history_date__gt=record.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return following


def rows_at(model, *, finding_id, until):
    """{id: a historical record or live row of ``model``} linked to the finding as they
    stood just before ``until`` (None: now). A row with no history at all (the importer
    writes automatic tags in bulk, which records nothing) existed from the start; a row
    whose first record is a change or removal existed before that record."""
    live = {row.pk: row for row in model.objects.filter(finding_id=finding_id)}
    if until is None:
        return live
    ids = set(model.history.filter(finding_id=finding_id).values_list("id", flat=True))
    records = {}
    for record in model.history.filter(id__in=ids | set(live)).order_by("history_date"):
        records.setdefault(record.id, []).append(record)
    found = {}
    for pk in ids | set(live):
        history = records.get(pk, [])
        before = [record for record in history if record.history_date < until]
        if before:
            last = before[-1]
            if last.history_type != "-" and last.finding_id == finding_id:
                found[pk] = last
        elif not history:
            found[pk] = live[pk]
        elif history[0].history_type != "+" and history[0].finding_id == finding_id:
            found[pk] = history[0]
    return found


def finding_rows_at(record):
    """[(model, {key: row}, describe)] for the tags and evidence links of the finding
    version ``record``."""
    until = version_ends(record)
    result = []
    for model, key, describe in FINDING_ROWS:
        rows = rows_at(model, finding_id=record.id, until=until)
        result.append((model, {getattr(row, key): row for row in rows.values()}, describe))
    return result


def restore_finding_rows(*, finding, record, user, reason):
    """Make the finding's tags and evidence links what they were at version ``record``,
    in the caller's transaction. Returns sentences saying what was restored."""
    sentences = []
    for model, was, describe in finding_rows_at(record):
        key = {ServiceAreaTag: "service_area_id", EvidenceLink: "action_id"}[model]
        now = {getattr(row, key): row for row in model.objects.filter(finding=finding)}
        if model is ServiceAreaTag and not was:
            sentences.append(
                "No service area is recorded for that version, so its service areas are "
                "kept as they are."
            )
            continue
        for gone in sorted(set(now) - set(was)):
            row = now[gone]
            name = describe(row)
            row._history_user = user
            row._change_reason = reason
            row.delete()
            sentences.append(f"Removed {name}.")
        for back in sorted(set(was) - set(now)):
            source = was[back]
            if model is EvidenceLink and not ImprovementAction.objects.filter(pk=back).exists():
                sentences.append("An evidence link to an action since removed was not restored.")
                continue
            row = source.instance if hasattr(source, "instance") else source
            if model.objects.filter(pk=row.pk).exists():
                row.pk = None
            row.finding_id = finding.pk
            row._history_user = user
            row._change_reason = reason
            row.save(force_insert=True)
            sentences.append(f"Added back {describe(row)}.")
    return sentences
