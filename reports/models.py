"""Local authorities, inspection reports, their summaries, and the glossary.

What a report *judges* (grades, findings, improvement actions) is in the
`judgements` app; this app holds the report as a publication.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from reports.council_names import name_key


class ReportText(models.Model):
    """A passage quoted verbatim from a report; the database refuses an empty one."""

    text = models.TextField(help_text="Verbatim from the report.")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(text__regex=r"\S"),
                name="%(app_label)s_%(class)s_text_not_blank",
                violation_error_message="The text cannot be empty.",
            ),
        ]


class LocalAuthorityQuerySet(models.QuerySet):
    def with_relations(self):
        """Predecessors, successors and statistical neighbours (in order), in 3 queries."""
        neighbours = StatisticalNeighbour.objects.select_related("neighbour").order_by("position")
        return self.prefetch_related(
            "predecessors",
            "successors",
            models.Prefetch("neighbour_links", queryset=neighbours),
        )

    def with_neighbours(self):
        """The councils with statistical neighbours listed: those `neighbours_of` takes."""
        return self.filter(
            models.Exists(StatisticalNeighbour.objects.filter(authority=models.OuterRef("pk")))
        )

    def neighbourhood(self, authority):
        """`authority` and its statistical neighbours, as a subquery."""
        neighbours = StatisticalNeighbour.objects.filter(authority=authority).values("neighbour_id")
        return self.filter(Q(pk=authority.pk) | Q(pk__in=neighbours)).values("pk")


class LocalAuthorityManager(models.Manager.from_queryset(LocalAuthorityQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(models.TextChoices):
    """England's nine regions, by their ONS (GSS) codes."""

    NORTH_EAST = "E12000001", "North East"
    NORTH_WEST = "E12000002", "North West"
    YORKSHIRE = "E12000003", "Yorkshire and the Humber"
    EAST_MIDLANDS = "E12000004", "East Midlands"
    WEST_MIDLANDS = "E12000005", "West Midlands"
    EAST = "E12000006", "East of England"
    LONDON = "E12000007", "London"
    SOUTH_EAST = "E12000008", "South East"
    SOUTH_WEST = "E12000009", "South West"


#: Ofsted works in eight regions: North East and Yorkshire and the Humber are one.
OFSTED_REGIONS = {
    Region.NORTH_EAST: "North East, Yorkshire and the Humber",
    Region.YORKSHIRE: "North East, Yorkshire and the Humber",
}


class LocalAuthority(models.Model):
    """An English council with children's services (an upper-tier authority).

    Loaded from the project's table fixtures/councils.csv (`manage.py load_councils`);
    docs/decisions/councils.md says where its facts come from.
    """

    name = models.CharField(
        max_length=100, unique=True, help_text="As Ofsted names it, e.g. Harrow."
    )
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in web addresses.")
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text="The current GSS code, e.g. E09000015.",
    )
    former_ons_codes = ArrayField(
        models.CharField(max_length=9),
        default=list,
        blank=True,
        help_text="Earlier GSS codes of the same authority (a code changes when a "
        "boundary or status does).",
    )
    dfe_code = models.CharField(
        "DfE code", max_length=3, blank=True, help_text="The DfE's three-digit LA code, e.g. 310."
    )
    ofsted_urn = models.CharField(
        "Ofsted URN",
        max_length=10,
        blank=True,
        help_text="Ofsted's unique reference number for the local authority, e.g. 80499.",
    )
    region = models.CharField(max_length=9, choices=Region.choices, blank=True)
    opened = models.DateField(
        null=True, blank=True, help_text="First day it operates in the DfE's list (from 2009)."
    )
    closed = models.DateField(null=True, blank=True, help_text="Last day it operated, if it ended.")
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True
    )
    statistical_neighbours = models.ManyToManyField(
        "self",
        through="StatisticalNeighbour",
        through_fields=("authority", "neighbour"),
        symmetrical=False,
        related_name="neighbour_of",
        blank=True,
    )

    objects = LocalAuthorityManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["ofsted_urn"],
                condition=~Q(ofsted_urn=""),
                name="one_local_authority_per_ofsted_urn",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:local-authority", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def ofsted_region(self):
        """The Ofsted region: the region, except North East and Yorkshire and the Humber."""
        return OFSTED_REGIONS.get(self.region, self.get_region_display())


class StatisticalNeighbourManager(models.Manager):
    def get_by_natural_key(self, authority_slug, position):
        return self.get(authority__slug=authority_slug, position=position)


class StatisticalNeighbour(models.Model):
    """One of an authority's statistical neighbours (the DfE's ten), in the DfE's order."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_links"
    )
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(help_text="1 for the closest neighbour.")

    objects = StatisticalNeighbourManager()

    class Meta:
        ordering = ["authority_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "position"], name="one_statistical_neighbour_per_position"
            ),
            models.UniqueConstraint(
                fields=["authority", "neighbour"], name="statistical_neighbour_once"
            ),
            models.CheckConstraint(
                condition=~Q(authority=F("neighbour")), name="not_its_own_statistical_neighbour"
            ),
        ]

    def __str__(self):
        return f"{self.authority}: {self.position}. {self.neighbour}"

    def natural_key(self):
        return (*self.authority.natural_key(), self.position)

    natural_key.dependencies = ["reports.localauthority"]


class LocalAuthorityAliasManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class LocalAuthorityAlias(models.Model):
    """Another name a report may print for an authority, e.g. "Hull" for Kingston upon Hull.

    `key` is the name as reports.council_names.name_key normalises it (filled on save), so each
    variant can stand for one authority only.
    """

    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200, help_text="The name as a report prints it.")
    key = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text="The name normalised (case, “&”, “Council”, “the”… removed).",
    )

    objects = LocalAuthorityAliasManager()

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "local authority aliases"

    def __str__(self):
        return f"{self.name} → {self.authority}"

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.key = name_key(self.name)
        if not self.key:
            raise ValidationError({"name": "Give the name as a report prints it."})
        others = LocalAuthority.objects.exclude(pk=self.authority_id).only("name")
        if clash := next((a for a in others if name_key(a.name) == self.key), None):
            raise ValidationError({"name": f"“{self.name}” is how {clash} is named already."})
        taken = LocalAuthorityAlias.objects.exclude(pk=self.pk).filter(key=self.key)
        if alias := taken.select_related("authority").first():
            raise ValidationError(
                {"name": f"“{self.name}” is already an alias, of {alias.authority}."}
            )

    def natural_key(self):
        return (self.key,)


class Framework(models.TextChoices):
    """The inspection framework a report was written under."""

    ILACS = "ilacs", "Inspection of local authority children's services (ILACS)"
    SINGLE_INSPECTION = "sif", "Single inspection framework (SIF)"
    FOCUSED_VISIT = "focused-visit", "ILACS focused visit"
    MONITORING_VISIT = "monitoring-visit", "Monitoring visit"


def lists_recommendations(framework):
    """A single inspection framework report's "What needs to improve" is its
    "Recommendations", numbered the same way: the words its pages use."""
    return framework == Framework.SINGLE_INSPECTION


def attribution(licence, copyright_notice):
    """The attribution the Open Government Licence asks re-users to give: a report's
    licence and its copyright notice as printed (empty where it prints none)."""
    return f"Contains public sector information licensed under the {licence}. {copyright_notice}"


class InspectionType(models.TextChoices):
    """Whether the report says it was a standard or a short inspection."""

    NOT_STATED = "", "Not stated in the report"
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    REINSPECTION = "re-inspection", "Re-inspection (single inspection framework)"


class SummaryKind(models.TextChoices):
    """Which of a report's unnumbered summaries a paragraph belongs to."""

    SUMMARY = "summary", "Summary"
    CHILDREN = "children", "Summary for children and young people"
    LSCB_SUMMARY = "lscb-summary", "The LSCB's executive summary"
    LSCB_CHILDREN = "lscb-children", "The LSCB's summary for children and young people"


class InspectionQuerySet(models.QuerySet):
    def with_local_authority(self):
        return self.select_related("local_authority")

    def latest_per_local_authority(self):
        """Each local authority's most recent inspection (PostgreSQL DISTINCT ON)."""
        return self.order_by("local_authority_id", "-start_date").distinct("local_authority_id")


class InspectionManager(models.Manager.from_queryset(InspectionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Inspection(models.Model):
    """One inspection and the report Ofsted published about it."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="inspections"
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Stable web address: local authority and year-month of the first day, "
        "e.g. harrow-2020-02.",
    )
    framework = models.CharField(max_length=20, choices=Framework.choices)
    inspection_type = models.CharField(
        max_length=20, choices=InspectionType.choices, blank=True, default=InspectionType.NOT_STATED
    )
    start_date = models.DateField("first inspection day")
    end_date = models.DateField("last inspection day")
    dates_as_printed = models.CharField(
        "inspection dates as printed",
        max_length=200,
        blank=True,
        help_text="As page 1 of the report prints them, e.g. '5 to 9 December 2022 and 14 to "
        "15 February 2023' (an inspection in two visits). Empty for a report typed in.",
    )
    lead_inspector = models.CharField(
        max_length=200, blank=True, help_text="Empty where the report names none."
    )
    lead_inspector_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="As the report gives it, e.g. Her Majesty's Inspector.",
    )
    title = models.CharField(
        "report title",
        max_length=300,
        help_text="As the report gives it, e.g. Inspection of children's social care services.",
    )
    publisher = models.CharField(max_length=200, default="Ofsted")
    published_on = models.DateField(null=True, blank=True)
    source_url = models.URLField(
        "source document", max_length=500, blank=True, help_text="Where Ofsted publishes the PDF."
    )
    copyright_notice = models.CharField(
        max_length=200,
        blank=True,
        help_text="As printed in the report, e.g. © Crown copyright 2020; empty where it "
        "prints none.",
    )
    licence = models.CharField(max_length=200, default="Open Government Licence v3.0")
    licence_url = models.URLField(
        max_length=500,
        default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    )
    is_synthetic = models.BooleanField(
        "synthetic",
        default=False,
        help_text="Made up by `manage.py generate_synthetic` for load testing: not a real "
        "report. Every page, API answer and CSV row that shows it says so.",
    )
    anomalies = models.JSONField(
        default=list,
        blank=True,
        help_text="What the report itself gets wrong and was imported as printed, from its "
        "import (a paragraph number skipped or printed twice, no copyright line).",
    )

    objects = InspectionManager()

    class Meta:
        ordering = ["-start_date", "local_authority__name"]
        indexes = [
            # The newest-first order of the home page, and (with id) of every findings list.
            models.Index(F("start_date").desc(), "id", name="inspection_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="inspection_ends_on_or_after_start",
                violation_error_message="The last inspection day cannot be before the first.",
            ),
        ]

    def __str__(self):
        return f"{self.local_authority}, {self.start_date:%B %Y}"

    def get_absolute_url(self):
        return reverse("reports:inspection", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["reports.localauthority"]

    @property
    def lists_recommendations(self):
        return lists_recommendations(self.framework)

    @property
    def attribution(self):
        """The attribution the Open Government Licence asks re-users to give."""
        return attribution(self.licence, self.copyright_notice)


class SummaryParagraphManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, position):
        return self.get(inspection__slug=inspection_slug, position=position)


class SummaryParagraph(ReportText):
    """One paragraph of the report's opening summary, verbatim."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="summary_paragraphs"
    )
    position = models.PositiveSmallIntegerField(
        help_text="1 for the first paragraph, and so on, through all the report's summaries."
    )
    kind = models.CharField(
        max_length=20,
        choices=SummaryKind.choices,
        default=SummaryKind.SUMMARY,
        help_text="The opening (executive) summary, or (single inspection framework) the "
        "summary for children and young people, or the LSCB's.",
    )

    objects = SummaryParagraphManager()

    class Meta:
        ordering = ["inspection_id", "position"]
        constraints = [
            *ReportText.Meta.constraints,
            models.UniqueConstraint(
                fields=["inspection", "position"],
                name="one_summary_paragraph_per_position",
                violation_error_message="This report already has a summary paragraph "
                "in that position.",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="summary_position_from_one"),
        ]

    def __str__(self):
        return f"{self.inspection.slug} summary paragraph {self.position}"

    def natural_key(self):
        return (*self.inspection.natural_key(), self.position)

    natural_key.dependencies = ["reports.inspection"]


class GlossaryTermManager(models.Manager):
    def get_by_natural_key(self, abbreviation):
        return self.get(abbreviation=abbreviation)


class GlossaryTerm(models.Model):
    """An abbreviation used in inspection reports."""

    abbreviation = models.CharField(max_length=30, unique=True)
    expansion = models.CharField(
        max_length=300,
        help_text="What it stands for; where a report spells it out, in the report's words.",
    )

    objects = GlossaryTermManager()

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = "glossary term"

    def __str__(self):
        return f"{self.abbreviation}: {self.expansion}"

    def natural_key(self):
        return (self.abbreviation,)


class DataVersion(models.Model):
    """One row that PostgreSQL bumps whenever any report data changes.

    Statement-level triggers on every table of the `reports` and `judgements` apps
    (installed by `harrow_inspection.data_version` after each migrate) increment `version`, so
    ETag and Last-Modified headers cost one primary-key lookup and are right whatever
    wrote the data: the admin, an import, a fixture or SQL. `counts` moves with the same
    writes except those that change no count of a list that is not a text search (a
    paragraph's words, history rows, review decisions): docs/decisions/counts-version.md.
    """

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    counts = models.BigIntegerField(
        default=0,
        help_text="Moves with every write that can change a count, a facet or a "
        "drop-down of a list that is not a text search.",
    )
    counts_changed_at = models.DateTimeField(null=True)
    tables = models.JSONField(
        default=dict,
        help_text="For each table, the version and the time (Unix) of the write through "
        "it that last moved `counts`: what a text search's count reads to tell whether it "
        "still holds (judgements/word_changes.py).",
    )

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"version {self.version}, {self.changed_at:%Y-%m-%d %H:%M:%S}"


class ImportOutcome(models.TextChoices):
    IMPORTED = "imported", "Imported"
    REPLACED = "replaced", "Replaced an earlier import"
    UNCHANGED = "unchanged", "Already imported: nothing changed"
    REREAD = "re-read", "Already imported: summaries re-read by a newer importer"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Could not be read"


class ImportLog(models.Model):
    """One attempt to import a report file, whatever its outcome."""

    file_name = models.CharField(max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    parser_version = models.CharField(max_length=20)
    framework_version = models.CharField(
        max_length=20, blank=True, help_text="The report's layout, e.g. ilacs-2023."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=ImportOutcome.choices)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_logs"
    )
    counts = models.JSONField(default=dict, blank=True, help_text="Rows written, by kind.")
    message = models.TextField(blank=True)
    anomalies = models.JSONField(
        default=list,
        blank=True,
        help_text="What the report itself gets wrong and was imported as printed "
        "(a paragraph number skipped or printed twice, no copyright line).",
    )

    class Meta:
        ordering = ["-created_at"]
        # Who may import is a permission a superuser grants (judgements/roles.py gives
        # Editors import_report; replacing a report is left to superusers by default).
        permissions = [
            ("import_report", "Can import a report"),
            ("replace_report", "Can replace an inspection already imported"),
        ]

    def __str__(self):
        return f"{self.file_name}: {self.get_outcome_display()} ({self.created_at:%Y-%m-%d %H:%M})"
