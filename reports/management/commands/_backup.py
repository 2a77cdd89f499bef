"""What a backup holds, shared by the backup and restore commands.

Everything staff and imports have written: the reports and judgements apps (inspections,
findings, tags, evidence links, improvement actions, action plans, progress updates,
import logs, tagging rules, and every Historical… table), the staff accounts and roles,
and the admin's log of actions. Not the change counter nor the log of words changed
(the database's triggers keep them; judgements/word_changes.py), sessions, login-attempt
records, content types or permissions (migrate makes those).

Primary keys are kept as they are, so that history records, whose `id` column names
the record they are a version of, still point at the right record after a restore.
"""

from django.apps import apps

APPS = ["reports", "judgements"]
EXTRA_MODELS = ["auth.User", "auth.Group", "admin.LogEntry"]
NOT_BACKED_UP = ["reports.DataVersion", "judgements.WordsChange"]


def backed_up_labels():
    return [*APPS, *EXTRA_MODELS]


def backed_up_models():
    models = []
    for label in APPS:
        models += list(apps.get_app_config(label).get_models())
    models += [apps.get_model(label) for label in EXTRA_MODELS]
    excluded = {apps.get_model(label) for label in NOT_BACKED_UP}
    return [model for model in models if model not in excluded]


def backed_up_tables():
    """Every table a restore replaces: the models' own and their many-to-many tables."""
    tables = set()
    for model in backed_up_models():
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return sorted(tables)
