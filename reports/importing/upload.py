"""Staff upload of a report PDF in the admin: upload, preview what was read, confirm.

The uploaded file waits in a private folder between preview and confirmation, named by a
random token kept in the member of staff's session, so nobody can confirm another's file.
It is removed when the preview fails, when it is confirmed or cancelled, and, if it is
never confirmed, by the clean-up each new upload starts (folders over an hour old).
The file is read in a sandboxed child process with time and memory limits
(reports/importing/sandbox.py), so a hostile file gets a message, never a killed worker.
"""

import datetime
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import get_valid_filename

from reports.importing import ReportParseError, load
from reports.importing.load import ImportRefused, import_report, summary_of
from reports.models import ImportOutcome

SESSION_KEY = "report_upload"
UPLOADS = Path(tempfile.gettempdir()) / "harrow-inspection-uploads"
LEFTOVER_SECONDS = 3600  # an upload not confirmed within the hour is removed


class UploadForm(forms.Form):
    report = forms.FileField(
        label="Report (PDF)",
        help_text="An Ofsted ILACS inspection report, as Ofsted publishes it.",
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace the inspection if it is already here (its staff edits stay in history)",
    )
    published = forms.DateField(
        required=False,
        label="Published on (optional)",
        help_text="The date Ofsted published it, as YYYY-MM-DD; the PDF does not print it.",
    )
    source_url = forms.URLField(
        required=False,
        label="Ofsted's address for the PDF (optional)",
        max_length=500,
        assume_scheme="https",
    )

    def __init__(self, *args, refused=None, may_replace=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused  # why the upload handler stopped reading the file
        self.may_replace = may_replace
        if not may_replace:
            self.fields["replace"].disabled = True
            self.fields["replace"].help_text = (
                "Replacing a report needs the “Can replace an inspection already imported” "
                "permission (superusers have it). Without it, a report already here is "
                "refused and nothing changes."
            )

    def clean_replace(self):
        replace = self.cleaned_data["replace"]
        if replace and not self.may_replace:
            raise forms.ValidationError(
                "You may not replace an inspection: leave this unticked, or ask a superuser "
                "to replace it or to give you the permission."
            )
        return replace

    def clean_report(self):
        report = self.cleaned_data["report"]
        if report.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"That file is over {settings.UPLOAD_MAX_BYTES // 2**20} MB: it cannot be a report."
            )
        return report

    def clean(self):
        if self.refused:  # the file was cut short: say why, not "this field is required"
            self.errors.pop("report", None)
            raise forms.ValidationError({"report": self.refused})
        return super().clean()


def remove_leftovers(now=None):
    """Remove uploads nobody confirmed: folders last changed over an hour ago."""
    now = time.time() if now is None else now
    if not UPLOADS.is_dir():
        return
    for folder in UPLOADS.iterdir():
        try:
            if now - folder.stat().st_mtime > LEFTOVER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # removed by another worker meanwhile
            continue


def stored_upload(request):
    """(path, replace, publication) of the file this person uploaded and has not yet
    confirmed; publication is what they said about it (date published, Ofsted's address)."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None, False, {}
    path = UPLOADS / pending["token"] / pending["name"]
    published = pending.get("published")
    publication = {
        "published": datetime.date.fromisoformat(published) if published else None,
        "source_url": pending.get("source_url", ""),
    }
    return (path if path.exists() else None), pending["replace"], publication


def forget_upload(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        shutil.rmtree(UPLOADS / pending["token"], ignore_errors=True)


IMPORT_PERMISSION = "reports.import_report"
REPLACE_PERMISSION = "reports.replace_report"


def upload_view(model_admin, request):
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(
            "Importing a report needs the “Can import a report” permission, which Editors "
            "have. You can read the import log and every report already imported."
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a report",
    }
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(model_admin, request)
    if request.method == "POST" and "cancel" in request.POST:
        forget_upload(request)
        return redirect("admin:reports_importlog_changelist")
    posted = request.method == "POST"  # bound even when the upload was cut short
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        refused=getattr(request, "upload_refused", None),
        may_replace=request.user.has_perm(REPLACE_PERMISSION),
    )
    if request.method == "POST" and "report" in request.FILES:
        remove_leftovers()
    if request.method == "POST" and form.is_valid():
        forget_upload(request)
        token = secrets.token_urlsafe(16)
        name = get_valid_filename(Path(form.cleaned_data["report"].name).name) or "report.pdf"
        folder = UPLOADS / token
        folder.mkdir(parents=True, mode=0o700)
        kept = False
        try:
            with open(folder / name, "wb") as destination:
                for chunk in form.cleaned_data["report"].chunks():
                    destination.write(chunk)
            result = import_report(path=folder / name, dry_run=True)
        except ReportParseError as error:
            form.add_error("report", f"This file could not be read as a report: {error}")
            # every attempt is in the import log, a refused upload too (README)
            load.record_log(
                file_name=name,
                sha256=load.sha256_of(folder / name),
                user=request.user,
                outcome=ImportOutcome.FAILED,
                message=f"Uploaded in the admin and refused: {error}",
            )
        else:
            request.session[SESSION_KEY] = {
                "token": token,
                "name": name,
                "replace": form.cleaned_data["replace"],
                "published": (published := form.cleaned_data["published"])
                and published.isoformat(),
                "source_url": form.cleaned_data["source_url"],
            }
            kept = True
            return TemplateResponse(
                request,
                "admin/reports/importlog/preview.html",
                {
                    **context,
                    "title": "Check what was read",
                    "summary": summary_of(result.parsed),
                    "parsed": result.parsed,
                    "replace": form.cleaned_data["replace"],
                    "already_here": result.inspection,
                    "same_file": result.inspection is not None
                    and load.already_imported(sha256=load.sha256_of(folder / name))
                    == result.inspection,
                },
            )
        finally:
            if not kept:  # failed, refused or interrupted: nothing is left behind
                shutil.rmtree(folder, ignore_errors=True)
    return TemplateResponse(
        request, "admin/reports/importlog/upload.html", {**context, "form": form}
    )


def confirm(model_admin, request):
    path, replace, publication = stored_upload(request)
    if replace and not request.user.has_perm(REPLACE_PERMISSION):
        forget_upload(request)
        raise PermissionDenied("Replacing an inspection needs the permission to replace it.")
    if path is None:
        messages.error(request, "There is no uploaded report waiting: upload it again.")
        return redirect("admin:reports_importlog_upload")
    try:
        result = import_report(path=path, user=request.user, replace=replace, **publication)
    except (ReportParseError, ImportRefused) as error:
        messages.error(request, f"Nothing was imported: {error}")
    else:
        messages.success(request, result.message)
    finally:
        forget_upload(request)
    return redirect("admin:reports_importlog_changelist")
