"""Writing a parsed report into the database: one atomic, idempotent, logged import."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from judgements.models import (
    EarlierGrade,
    EvidenceLink,
    Finding,
    Grade,
    ImprovementAction,
    Judgement,
    JudgementArea,
    ServiceAreaTag,
)
from reports import manifest
from reports.councils import UnknownAuthority, resolve_authority
from reports.models import (
    Framework,
    ImportLog,
    ImportOutcome,
    Inspection,
    SummaryKind,
    SummaryParagraph,
)

from . import PARSER_VERSION
from .result import ReportParseError
from .sandbox import parse_report  # in a child process with memory, time and page limits


class ImportRefused(Exception):
    """The report was read but not written; the message says why and what to do."""


@dataclass
class ImportResult:
    outcome: str
    message: str
    parsed: object = None
    inspection: Inspection | None = None
    counts: dict = field(default_factory=dict)


def sha256_of(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def import_report(*, path, user=None, replace=False, dry_run=False, published=None, source_url=""):
    """Import the report at `path`, in one transaction, and log the attempt.

    A file already imported (same SHA-256, inspection still there) changes nothing and is
    not even parsed. Raises ReportParseError if the file cannot be read or names no known
    council (UnknownAuthority), ImportRefused if its inspection is already there from
    another file (replace=True replaces it). With dry_run the file is parsed and nothing
    is written, not even a log. The publication date and Ofsted's address, which the PDF
    does not print, come from `published` and `source_url` when given, otherwise from the
    file's row in fixtures/reports-manifest.csv (found by its SHA-256), if any.
    """
    path = Path(path)
    digest = sha256_of(path) if path.exists() else ""
    log = {"file_name": path.name, "sha256": digest, "user": user}
    done = already_imported(sha256=digest)
    if done and not (replace or dry_run):
        if not read_by_this_version(sha256=digest):
            return reread_summaries(path=path, inspection=done, log=log)
        message = f"{path.name}: {done.slug} is already imported from this file; unchanged"
        record_log(**log, outcome=ImportOutcome.UNCHANGED, inspection=done, message=message)
        return ImportResult(ImportOutcome.UNCHANGED, message, inspection=done)
    listed = manifest.entry_for(digest)
    try:
        parsed = parse_report(path)
        authority = authority_of(parsed, urn=listed.urn if listed else "")
    except ReportParseError as error:
        if not dry_run:
            record_log(**log, outcome=ImportOutcome.FAILED, message=str(error))
        raise
    slug = f"{authority.slug}-{parsed.start_date:%Y-%m}"
    publication = {
        "published_on": published or (listed.published if listed else None),
        "source_url": source_url or (listed.ofsted_url if listed else ""),
    }
    log["framework_version"] = parsed.framework_version
    if dry_run:  # with the inspection already here by that name, if any (the preview says so)
        return ImportResult(
            "dry-run",
            f"{path.name}: read {slug}, nothing written",
            parsed,
            inspection=done or Inspection.objects.filter(slug=slug).first(),
        )
    existing = Inspection.objects.filter(slug=slug).first()
    if existing and not replace:
        message = (
            f"{path.name}: {slug} is already in the database from another source; "
            "use --replace to replace it"
        )
        record_log(**log, outcome=ImportOutcome.REFUSED, inspection=existing, message=message)
        raise ImportRefused(message)
    with transaction.atomic():
        if existing:
            delete_inspection(inspection=existing)
        inspection, counts = record_report(
            parsed=parsed, authority=authority, slug=slug, **publication
        )
    outcome = ImportOutcome.REPLACED if existing else ImportOutcome.IMPORTED
    message = f"{path.name}: {outcome.label.lower()} {inspection.slug} " + describe(counts)
    if parsed.anomalies:
        message += "; as printed, with anomalies: " + "; ".join(parsed.anomalies)
    record_log(
        **log,
        outcome=outcome,
        inspection=inspection,
        counts=counts,
        message=message,
        anomalies=parsed.anomalies,
    )
    return ImportResult(outcome, message, parsed, inspection, counts)


def delete_inspection(*, inspection):
    """Delete an inspection and everything in it (findings first: their judgements are
    protected from deletion while findings point at them)."""
    inspection.findings.all().delete()
    inspection.delete()


def already_imported(*, sha256):
    """The inspection a file with this checksum was imported as, if it is still there."""
    log = (
        ImportLog.objects.filter(
            sha256=sha256,
            outcome__in=[ImportOutcome.IMPORTED, ImportOutcome.REPLACED],
            inspection__isnull=False,
        )
        .select_related("inspection")
        .first()
    )
    return log.inspection if log else None


def read_by_this_version(*, sha256):
    """Whether this version of the importer has dealt with the file already."""
    return ImportLog.objects.filter(sha256=sha256, parser_version=PARSER_VERSION).exists()


def edited_in_admin(inspection):
    """Whether staff have changed the inspection or one of its summary paragraphs in the
    admin (Django's admin log records every change made there). A paragraph's entry is
    found by its id, or by its name ("harrow-2017-01 summary paragraph 3"), which a
    deleted paragraph's entry still has."""
    types = ContentType.objects.get_for_models(Inspection, SummaryParagraph)
    paragraphs = [str(pk) for pk in inspection.summary_paragraphs.values_list("pk", flat=True)]
    entries = LogEntry.objects.filter(
        Q(content_type=types[Inspection], object_id=str(inspection.pk))
        | Q(content_type=types[SummaryParagraph], object_id__in=paragraphs)
        | Q(
            content_type=types[SummaryParagraph],
            object_repr__startswith=f"{inspection.slug} summary paragraph ",
        )
    )
    return entries.exists()


def summary_rows(parsed):
    """(kind, text) of every summary paragraph, in the report's order."""
    return [(SummaryKind.SUMMARY, text) for text in parsed.summary] + [
        (kind, text) for kind, texts in parsed.other_summaries.items() for text in texts
    ]


def write_summaries(*, inspection, rows):
    """The inspection's summary paragraphs, from `summary_rows`, numbered from 1."""
    SummaryParagraph.objects.bulk_create(
        SummaryParagraph(inspection=inspection, position=position, text=text, kind=kind)
        for position, (kind, text) in enumerate(rows, start=1)
    )


def printed_dates(parsed):
    """Page 1's inspection dates, as `Inspection.dates_as_printed` holds them."""
    field = Inspection._meta.get_field("dates_as_printed")
    return parsed.dates_text[: field.max_length]


def reread_summaries(*, path, inspection, log):
    """A file imported by an older version of the importer: read it again and bring in
    what this version reads better in the parts staff do not curate elsewhere, the
    summaries and the dates as printed (version 4 reads SIF reports' executive
    summaries). Findings, actions, tags and links are never touched here (`--replace`
    re-imports the whole report); an inspection staff have edited in the admin keeps its
    summaries and dates, and the log says so. A file this version cannot read raises
    ReportParseError and logs nothing, so the next start tries again."""
    version = f"importer version {PARSER_VERSION}"
    unchanged = f"{path.name}: {inspection.slug} is already imported from this file; unchanged"
    try:
        parsed = parse_report(path)
    except ReportParseError as error:
        raise ReportParseError(
            f"{unchanged}: {version} could not read it again ({error}); it stays as "
            "imported, and the next import of the folder tries again"
        ) from error
    log["framework_version"] = parsed.framework_version
    rows = summary_rows(parsed)
    with transaction.atomic():
        # One at a time per inspection, and everything checked again under the lock: a
        # staff edit or another worker (the same file twice in a folder) may have come
        # in meanwhile.
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if read_by_this_version(sha256=log["sha256"]):
            return ImportResult(ImportOutcome.UNCHANGED, unchanged, parsed, inspection)
        stored = list(
            inspection.summary_paragraphs.order_by("position").values_list("kind", "text")
        )
        if stored == rows and inspection.dates_as_printed == printed_dates(parsed):
            message, outcome = unchanged, ImportOutcome.UNCHANGED
        elif edited_in_admin(inspection):
            message = (
                f"{unchanged}: staff have edited it in the admin, so its summaries and dates "
                f"stay as they are ({version} reads {len(rows)} summary paragraphs, "
                f"{len(stored)} are held)"
            )
            outcome = ImportOutcome.UNCHANGED
        else:
            inspection.summary_paragraphs.all().delete()
            write_summaries(inspection=inspection, rows=rows)
            inspection.dates_as_printed = printed_dates(parsed)
            inspection.save(update_fields=["dates_as_printed"])
            message = (
                f"{path.name}: {inspection.slug} re-read by {version}: summary paragraphs "
                f"{len(stored)} \u2192 {len(rows)}, dates as printed; findings unchanged"
            )
            outcome = ImportOutcome.REREAD
        record_log(**log, outcome=outcome, inspection=inspection, message=message)
    return ImportResult(outcome, message, parsed, inspection)


def describe(counts):
    return "(" + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ")"


def record_log(**fields):
    return ImportLog.objects.create(parser_version=PARSER_VERSION, **fields)


def authority_of(parsed, *, urn=""):
    """The council the report is about: by Ofsted's URN when the manifest gives one, else
    by the name the report prints (as the parser reads it, then in full)."""
    try:
        return resolve_authority(parsed.local_authority, urn=urn, on=parsed.start_date)
    except UnknownAuthority as unknown:
        if parsed.printed_name in ("", parsed.local_authority):
            raise
        try:
            return resolve_authority(parsed.printed_name, on=parsed.start_date)
        except UnknownAuthority:
            raise unknown from None


@transaction.atomic
def record_report(*, parsed, authority, slug, published_on=None, source_url=""):
    """Write every part of `parsed`; returns the inspection and counts of rows written."""
    inspection = record_inspection(
        parsed=parsed,
        authority=authority,
        slug=slug,
        published_on=published_on,
        source_url=source_url,
    )
    summaries = summary_rows(parsed)
    write_summaries(inspection=inspection, rows=summaries)
    judgements = record_judgements(inspection=inspection, parsed=parsed)
    findings = record_findings(inspection=inspection, judgements=judgements, parsed=parsed)
    actions = record_actions(inspection=inspection, parsed=parsed)
    tags = ServiceAreaTag.objects.create_automatic(findings=findings, actions=actions)
    links = EvidenceLink.objects.create_automatic(actions=actions, findings=findings)
    record_first_versions(findings=findings, actions=actions, tags=tags, links=links)
    # A later report's statement of this inspection's grades ("the 2017 single
    # inspection") now has the inspection itself to point at.
    EarlierGrade.objects.filter(
        inspection__local_authority=authority,
        earlier_framework=parsed.framework,
        earlier_year=parsed.start_date.year,
        earlier_inspection__isnull=True,
    ).update(earlier_inspection=inspection)
    counts = {
        "judgements": len(judgements),
        "summary paragraphs": len(summaries),
        "actions": len(actions),
        "findings": len(findings),
        "automatic tags": len(tags),
        "automatic evidence links": len(links),
    }
    return inspection, counts


#: The reason on the first version of everything an import writes (its history).
IMPORTED = "Imported from the report"


def record_first_versions(**written):
    """The first version, in history, of each paragraph, action, tag and evidence link
    the import wrote with bulk_create (which django-simple-history does not see): so the
    first staff edit has the report's own words to compare with and to revert to, with
    the tags and links it was imported with (docs/decisions/history.md)."""
    models = {"findings": Finding, "actions": ImprovementAction}
    models |= {"tags": ServiceAreaTag, "links": EvidenceLink}
    for name, rows in written.items():
        models[name].history.bulk_history_create(rows, default_change_reason=IMPORTED)


def record_inspection(*, parsed, authority, slug, published_on=None, source_url=""):
    return Inspection.objects.create(
        local_authority=authority,
        slug=slug,
        published_on=published_on,
        source_url=source_url,
        framework=Framework(parsed.framework),
        inspection_type=parsed.inspection_type,
        start_date=parsed.start_date,
        end_date=parsed.end_date,
        dates_as_printed=printed_dates(parsed),
        lead_inspector=parsed.lead_inspector,
        lead_inspector_title=parsed.lead_inspector_title,
        title=parsed.title,
        copyright_notice=parsed.copyright_notice,
        anomalies=parsed.anomalies,
    )


def record_judgements(*, inspection, parsed):
    """{area slug: Judgement} for every row of the report's judgement table."""
    areas = JudgementArea.objects.in_bulk(
        [row.area_slug for row in parsed.judgements], field_name="slug"
    )
    return {
        row.area_slug: Judgement.objects.create(
            inspection=inspection,
            area=areas[row.area_slug],
            grade=row.grade,
            table_position=row.position,
        )
        for row in parsed.judgements
    }


def record_findings(*, inspection, judgements, parsed):
    return Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            number=paragraph.number,
            judgement=judgements[paragraph.area_slug],
            text=paragraph.text,
        )
        for paragraph in parsed.paragraphs
    )


def record_actions(*, inspection, parsed):
    return ImprovementAction.objects.bulk_create(
        ImprovementAction(
            inspection=inspection,
            position=action.position,
            text=action.text,
            sub_points=action.sub_points,
            framework_reference=action.framework_reference,
            footnotes=action.footnotes,
            addressed_to=action.addressed_to,
        )
        for action in parsed.actions
    )


def summary_of(parsed):
    """What a dry run read, for a person to check against the PDF."""
    lines = [
        f"{parsed.local_authority} ({parsed.slug}, {parsed.framework_version})",
        f"  {parsed.title}",
        f"  Inspection dates: {parsed.dates_text} ({parsed.start_date} to {parsed.end_date})",
        "  Lead inspector: "
        + ", ".join(part for part in [parsed.lead_inspector, parsed.lead_inspector_title] if part)
        if parsed.lead_inspector
        else "  Lead inspector: not named in the report",
        *(f"  {row.name}: {Grade(row.grade).label}" for row in parsed.judgements),
        f"  {len(parsed.summary)} summary paragraphs, {len(parsed.actions)} actions, "
        + (
            f"paragraphs {parsed.paragraphs[0].number} to {parsed.paragraphs[-1].number}"
            if parsed.paragraphs
            else "no numbered paragraphs"
        ),
        f"  {parsed.copyright_notice or 'No copyright notice printed'}",
        *(f"  Anomaly: {anomaly}" for anomaly in parsed.anomalies),
    ]
    return "\n".join(lines)
