"""The staff roles, as Django groups with permissions.

* Editors correct and tag findings, link evidence, and keep the action plan: they add
  and change findings, service-area tags, evidence links, improvement actions and
  action plans, remove tags and evidence links, and add progress updates (which they
  cannot change or delete: the updates are a record). They see everything else.
* Viewers see everything in the admin, history included, and change nothing.
* Editors also import reports (reports.import_report) and revert findings and action
  plans to an earlier version (revert_finding, revert_actionplan).
* Superusers (``createsuperuser``) can do everything, including deleting findings,
  replacing an imported report (reports.replace_report) and correcting progress updates.
  A superuser may grant any of these permissions to a group or a person in the admin.

Data migration judgements/0008 creates the groups (and 0014 adds the import and revert
permissions), so every database has them; running
``sync_roles`` again (e.g. from a later migration after adding a model) brings the
permissions up to date without touching who is in which group.
"""

EDITORS = "Editors"
VIEWERS = "Viewers"
ROLE_GROUPS = {"editor": EDITORS, "viewer": VIEWERS}

# Apps whose every model staff may see.
VISIBLE_APPS = ["reports", "judgements"]

EDITOR_PERMISSIONS = {
    "judgements": [
        "add_finding",
        "change_finding",
        "add_serviceareatag",
        "change_serviceareatag",
        "delete_serviceareatag",
        "add_evidencelink",
        "change_evidencelink",
        "delete_evidencelink",
        "add_improvementaction",
        "change_improvementaction",
        "add_actionplan",
        "change_actionplan",
        "add_progressupdate",
        "revert_finding",
        "revert_actionplan",
    ],
    "reports": ["import_report"],
}


def sync_roles(apps, using="default"):
    """Create or update the Editors and Viewers groups (usable from a migration)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    view = permission_model.objects.using(using).filter(
        content_type__app_label__in=VISIBLE_APPS, codename__startswith="view_"
    )
    viewers, _ = group_model.objects.using(using).get_or_create(name=VIEWERS)
    viewers.permissions.set(view)

    editors, _ = group_model.objects.using(using).get_or_create(name=EDITORS)
    edit = permission_model.objects.none()
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        edit |= permission_model.objects.using(using).filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    editors.permissions.set(view | edit)
