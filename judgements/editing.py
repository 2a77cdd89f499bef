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


def _plain(value):
    return "(empty)" if value in (None, "") else str(value)


def _when(record):
    return date_format(timezone.localtime(record.history_date), "j F Y, H:i")


def _who(record):
    user = record.history_user
    return (user.get_full_name() or user.get_username()) if user else "someone"


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


def changes_since(*, instance, loaded_version):
    """Sentences saying who changed what in ``instance`` since ``loaded_version``."""
    history = type(instance).history.filter(id=instance.pk)
    baseline = history.filter(version=loaded_version).order_by("-history_date").first()
    newer = history.order_by("history_date")
    if baseline is not None:
        newer = newer.filter(history_date__gt=baseline.history_date)
    newer = list(newer.select_related("history_user"))
    sentences = []
    if newer:
        people = sorted({_who(record) for record in newer})
        sentences.append(f"Saved by {', '.join(people)} (last at {_when(newer[-1])}).")
    if baseline is not None and newer:
        delta = newer[-1].diff_against(baseline, excluded_fields=NOT_DIFFED)
        for change in delta.changes:
            label = type(instance)._meta.get_field(change.field).verbose_name
            sentences.append(  # in full: the person merging needs the whole text
                f"{label.capitalize()} was “{_plain(change.old)}” "
                f"and is now “{_plain(change.new)}”."
            )
    if not newer:
        return sentences
    # The admin saves the record before its inlines, so the other person's tag and
    # update changes are dated from their save of the record on.
    since = newer[0].history_date
    for model, link, describe in RELATED_HISTORY.get(type(instance), []):
        records = model.history.filter(**{link: instance.pk}, history_date__gte=since)
        records = records.order_by("history_date")
        for record in records.select_related("history_user"):
            verb = {"+": "added", "~": "changed", "-": "removed"}[record.history_type]
            sentences.append(f"{_who(record)} {verb} {describe(record)}.")
    return sentences


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
