"""History covers records written by ``loaddata`` too.

django-simple-history records nothing for "raw" saves, which is how ``loaddata`` (and
so ``setup_site`` and the tests' Harrow fixture) writes. Without a first record, the
first staff edit of a finding would have nothing to diff against and the report's own
wording could not be reverted to; and a later ``loaddata`` over staff edits would
overwrite them without a trace. So a raw save of a tracked model is recorded too,
marked as loaded from a fixture, unless it changed nothing.
"""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from harrow_inspection.operations import is_restoring_backup

LOADED = "Loaded from the report's fixture"


@receiver(post_save, dispatch_uid="judgements.history_for_loaded_records")
def history_for_loaded_records(sender, instance, raw, using, **kwargs):
    if not raw:
        return  # django-simple-history records it
    if is_restoring_backup():
        return  # the backup holds the history itself
    history = getattr(sender, "history", None)
    if history is None or not hasattr(history, "bulk_history_create"):
        return
    latest = (
        history.using(using)
        .filter(**{sender._meta.pk.attname: instance.pk})
        .order_by("-history_date", "-history_id")
        .first()
    )
    fields = [field.attname for field in history.model.tracked_fields]
    unchanged = (
        latest is not None
        and latest.history_type != "-"
        and all(getattr(latest, name) == getattr(instance, name) for name in fields)
    )
    if unchanged:
        return
    history.bulk_history_create([instance], update=latest is not None, default_change_reason=LOADED)


@receiver(pre_delete, sender="judgements.Finding", dispatch_uid="judgements.date_finding_deletion")
def date_finding_deletion(sender, instance, **kwargs):
    """Date a finding's deletion record from when its deletion began.

    Its tags and evidence links are deleted with it (cascade) and recorded after this
    moment, which is how ``judgements.editing.restore_finding`` knows which to bring back.
    """
    instance._history_date = timezone.now()
