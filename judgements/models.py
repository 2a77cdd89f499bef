"""What a report judges: grades per judgement area, numbered findings, service-area
tags, and the "What needs to improve" actions with the findings that evidence them.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from harrow_inspection.search import SEARCH_CONFIG, normalised_in_database
from judgements import tagging, word_changes
from judgements.tagging import compile_rules
from reports.models import Framework, Inspection, ReportText

GRADE_NUMBER_HELP = "Ofsted's grade number: 1 is the best."
#: The judgement area whose grade is the inspection's overall grade.
OVERALL_EFFECTIVENESS = "overall-effectiveness"
# Each framework's overall judgement of an inspection: ILACS's overall effectiveness, the
# single inspection framework's sentence ("Children's services in Harrow are good"). The
# inspection's overall grade is whichever its framework made (docs/decisions/frameworks.md).
OVERALL_AREAS = (OVERALL_EFFECTIVENESS, "sif-overall")


class Grade(models.IntegerChoices):
    """The ILACS four-point scale, stored as Ofsted's grade number.

    Lower is better (grade 1 is outstanding), so ordering by grade lists the best
    first and ``Grade.GOOD < Grade.INADEQUATE``. Use ``is_better_than`` in code that
    reads as a sentence.
    """

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good"
    INADEQUATE = 4, "Inadequate"

    @property
    def slug(self):
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_slug(cls, slug):
        for grade in cls:
            if grade.slug == slug:
                return grade
        raise ValueError(f"{slug!r} is not a grade: use one of {[g.slug for g in cls]}")

    def is_better_than(self, other):
        return self < other


GRADE_ERROR = "Choose a grade on the inspection scale: " + ", ".join(Grade.labels) + "."


class GradeField(models.PositiveSmallIntegerField):
    """A grade on the four-point scale (Ofsted's number); every form of it, in any app's
    admin, says what to choose when the grade is missing or off the scale."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", Grade.choices)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        errors = {"invalid_choice": GRADE_ERROR, "required": GRADE_ERROR}
        kwargs["error_messages"] = {**errors, **kwargs.get("error_messages", {})}
        return super().formfield(**kwargs)


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class JudgedBody(models.TextChoices):
    """Whose work a judgement grades, or to whom a recommendation is addressed."""

    LOCAL_AUTHORITY = "local-authority", "The local authority"
    LSCB = "lscb", "The Local Safeguarding Children Board (LSCB)"


class JudgementArea(models.Model):
    """One of the things an inspection grades, e.g. overall effectiveness.

    Each belongs to the framework that grades it: a single inspection framework (SIF)
    grade is never an ILACS grade. SIF's sub-judgements (2.1 adoption performance, 2.2
    care leavers) have their parent; its review of the LSCB grades the board, not the
    council. Which SIF area lines up with which ILACS area, for pages that show a
    council's grades over time, is reports/grade_tables.py's CORRESPONDENCE
    (docs/decisions/frameworks.md)."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True, help_text="As reports word it.")
    short_name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(
        help_text="Order in which the areas' sections appear in a report."
    )
    framework = models.CharField(
        max_length=20,
        choices=Framework.choices,
        default=Framework.ILACS,
        help_text="The inspection framework whose reports grade this area.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_areas",
        help_text="The judgement this is a sub-judgement of (SIF 2.1 and 2.2).",
    )
    judged = models.CharField(
        max_length=20,
        choices=JudgedBody.choices,
        default=JudgedBody.LOCAL_AUTHORITY,
        help_text="Whose work it grades: the council's, or the LSCB's.",
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.slug,)


class ServiceArea(models.Model):
    """A part of children's services that findings are tagged with, e.g. care leavers."""

    slug = models.SlugField(
        max_length=100, unique=True, help_text="Stable: used in web addresses and the API."
    )
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="What a finding must be substantially about to carry this tag."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class JudgementManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, area_slug):
        return self.get(inspection__slug=inspection_slug, area__slug=area_slug)


class Judgement(models.Model):
    """The grade an inspection gave one judgement area."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(
        JudgementArea,
        on_delete=models.PROTECT,
        related_name="judgements",
        verbose_name="judgement area",
    )
    grade = GradeField()
    table_position = models.PositiveSmallIntegerField(
        help_text="Row of the report's judgement table (1 for the first row)."
    )

    objects = JudgementManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection_id", "table_position"]
        indexes = [
            # ?grade= and ?judgement_area= on findings and /api/judgements/.
            models.Index(fields=["area", "grade"], name="judgement_by_area_and_grade"),
            models.Index(fields=["grade"], name="judgement_by_grade"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "area"],
                name="one_grade_per_area_per_inspection",
                violation_error_message="This inspection already has a grade for that area.",
            ),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values),
                name="grade_on_the_ilacs_scale",
                violation_error_message="The grade must be one of: "
                + ", ".join(Grade.labels)
                + ".",
            ),
        ]

    def __str__(self):
        return f"{self.inspection.slug}: {self.area} {self.get_grade_display().lower()}"

    def natural_key(self):
        return (*self.inspection.natural_key(), *self.area.natural_key())

    natural_key.dependencies = ["reports.inspection", "judgements.judgementarea"]


class FindingQuerySet(models.QuerySet):
    def with_context(self):
        """Everything a list of findings shows, in a fixed number of queries."""
        return (
            self.select_related("inspection__local_authority", "judgement__area")
            .prefetch_related(
                # Each tag with its area, to say which a person confirmed (`area_tags`).
                models.Prefetch(
                    "tags",
                    queryset=ServiceAreaTag.objects.select_related("service_area").order_by(
                        "service_area__position", "service_area__name"
                    ),
                    to_attr="area_tags",
                )
            )
            .defer("search_vector")  # only ever searched, never shown
        )

    def with_overall_grade(self):
        """Annotate `overall_grade`: the grade of the overall-effectiveness judgement of
        the finding's inspection (None where it made none), in the same query."""
        overall = Judgement.objects.filter(
            inspection=models.OuterRef("inspection_id"), area__slug__in=OVERALL_AREAS
        )
        return self.annotate(overall_grade=models.Subquery(overall.values("grade")[:1]))

    def with_headline(self, query, start, stop):
        """Annotate `headline`: the text around the words matching `query`, each match
        between `start` and `stop`."""
        return self.annotate(
            headline=SearchHeadline(
                "text",
                query,
                config=SEARCH_CONFIG,
                start_sel=start,
                stop_sel=stop,
                max_words=40,
                min_words=20,
                max_fragments=3,
                fragment_delimiter=" … ",
            )
        )


class FindingManager(models.Manager.from_queryset(FindingQuerySet)):
    def get_by_natural_key(self, inspection_slug, number):
        return self.get(inspection__slug=inspection_slug, number=number)


class Finding(ReportText):
    """A numbered paragraph of a report, verbatim, under the judgement it supports.

    ``inspection`` repeats ``judgement.inspection`` so that the database can make
    paragraph numbers unique per inspection; a composite foreign key (migration
    0003) makes the database refuse a finding whose two disagree.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField("paragraph number")
    judgement = models.ForeignKey(
        Judgement,
        # A judgement with findings cannot be deleted on its own, but deleting the whole
        # inspection takes both (RESTRICT allows that; PROTECT would not).
        on_delete=models.RESTRICT,
        related_name="findings",
        help_text="The judgement whose section of the report this paragraph stands in.",
    )
    service_areas = models.ManyToManyField(
        ServiceArea, through="ServiceAreaTag", related_name="findings", verbose_name="service area"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector(normalised_in_database(F("text")), config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="English full-text search vector of the text, with dashes, quotes and "
        "ligatures read as plain ones (harrow_inspection/search.py), kept by PostgreSQL.",
    )

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every save, so that a save made from an out-of-date "
        "form is refused rather than overwriting someone else's edit.",
    )
    no_service_area = models.BooleanField(
        "none of the service areas",
        default=False,
        help_text="A person decided that no service area fits this paragraph (it then "
        "has no tags, and re-tagging leaves it alone).",
    )
    listed_date = models.DateField(
        null=True,
        editable=False,
        help_text="The inspection's first day, copied here by database triggers (migration "
        "0011) whatever writes the finding or the inspection, so that the findings list's "
        "newest-first order is one index on this table.",
    )

    objects = FindingManager()
    # The search vector and the listed date are derived: no point keeping their history.
    history = HistoricalRecords(excluded_fields=["search_vector", "listed_date"])

    class Meta:
        ordering = ["inspection_id", "number"]
        # Reverting to an earlier version is a permission of its own (Editors have it:
        # judgements/roles.py), apart from changing.
        permissions = [("revert_finding", "Can revert a finding to an earlier version")]
        indexes = [
            GinIndex(fields=["search_vector"], name="finding_search_vector"),
            # The findings list's order (LIST_ORDER), with the id, so that a page of ids,
            # however deep, is an index-only scan (harrow_inspection/paging.py).
            models.Index(
                F("listed_date").desc(),
                "inspection_id",
                "number",
                "id",
                name="finding_list_order",
            ),
            # ?sort=paragraph: the same, by paragraph number first
            models.Index(
                "number",
                F("listed_date").desc(),
                "inspection_id",
                "id",
                name="finding_paragraph_order",
            ),
        ]
        constraints = [
            *ReportText.Meta.constraints,
            models.UniqueConstraint(
                fields=["inspection", "number"],
                name="one_paragraph_number_per_inspection",
                violation_error_message="This inspection already has a paragraph with that number.",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_numbers_from_one"),
        ]

    def __str__(self):
        return f"{self.inspection.slug} paragraph {self.number}"

    def clean(self):
        super().clean()
        same = self.judgement_id and self.judgement.inspection_id == self.inspection_id
        if self.judgement_id and self.inspection_id and not same:
            raise ValidationError(
                {"judgement": "Choose a judgement of the same inspection as the paragraph."}
            )

    def natural_key(self):
        return (*self.inspection.natural_key(), self.number)

    natural_key.dependencies = ["reports.inspection", "judgements.judgement"]

    def get_absolute_url(self):
        return reverse(
            "judgements:finding", kwargs={"slug": self.inspection.slug, "number": self.number}
        )

    @staticmethod
    def follow_count(sql, params, earlier, connection):
        """A text search's count brought up to date from one made earlier, or None
        (judgements/word_changes.py; called by harrow_inspection.paging.cached_count)."""
        return word_changes.follow(sql, params, earlier, connection)


class WordsChange(models.Model):
    """A paragraph's search vector as it was before a write changed its words, logged by a
    database trigger (migration 0022) with the data version of that write and forgotten
    after a day: what lets a search's count follow an edit without counting every match
    again (judgements/word_changes.py). Not report data: no page shows it."""

    version = models.BigIntegerField(help_text="The data version of the write.")
    finding_id = models.BigIntegerField()
    old_vector = SearchVectorField()
    logged_at = models.DateTimeField()

    class Meta:
        verbose_name = "paragraph's words before an edit"
        verbose_name_plural = "paragraphs' words before edits"
        indexes = [
            models.Index(fields=["version"], name="words_change_version"),
            models.Index(fields=["logged_at"], name="words_change_logged_at"),
        ]

    def __str__(self):
        return f"paragraph {self.finding_id}'s words before version {self.version}"


#: The reason on the first version of a tag or link that re-tagging made.
RETAGGED = "Made again by the automatic tagger"


class ServiceAreaTagManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, number, service_area_slug):
        return self.get(
            finding__inspection__slug=inspection_slug,
            finding__number=number,
            service_area__slug=service_area_slug,
        )

    def create_automatic(self, *, findings, actions=()):
        """Tag `findings` (all of one report, each with its judgement's area loaded) by the
        structured tagger (judgements.tagging.tag_report), as automatic and unconfirmed."""
        findings = list(findings)
        if not findings:
            return []
        suggested = tagging.tag_report(report_paragraphs(findings), report_actions(actions))
        return self.bulk_create(self._automatic(findings, suggested))

    def _automatic(self, findings, suggested):
        """Unsaved automatic, unconfirmed tags of `findings` with the areas `suggested`
        (finding number -> area slugs) by this version of the tagger."""
        ids = dict(ServiceArea.objects.values_list("slug", "pk"))
        return [
            self.model(
                finding=finding,
                service_area_id=ids[slug],
                source=TagSource.AUTOMATIC,
                confirmed=False,
                tagger=tagging.TAGGER_VERSION,
            )
            for finding in findings
            for slug in sorted(suggested.get(finding.number, ()))
            if slug in ids
        ]

    def retag(self, *, inspection):
        """Tag `inspection`'s findings again with the current tagger. A finding a person has
        tagged or checked (any manual or confirmed tag, or marked as having no service
        area) is left exactly as it is; every other finding's automatic tags are replaced.
        Returns (findings re-tagged, findings left alone)."""
        findings = list(
            Finding.objects.filter(inspection=inspection)
            .select_related("judgement__area")
            .order_by("number")
        )
        reviewed = set(
            self.filter(finding__inspection=inspection)
            .filter(Q(confirmed=True) | Q(source=TagSource.MANUAL))
            .values_list("finding_id", flat=True)
        ) | {finding.pk for finding in findings if finding.no_service_area}
        open_findings = [finding for finding in findings if finding.pk not in reviewed]
        actions = ImprovementAction.objects.filter(inspection=inspection)
        suggested = tagging.tag_report(report_paragraphs(findings), report_actions(actions))
        with transaction.atomic():
            self.filter(finding__in=open_findings, source=TagSource.AUTOMATIC).delete()
            made = self.bulk_create(self._automatic(open_findings, suggested))
            # bulk_create skips django-simple-history: each new tag's first version
            self.model.history.bulk_history_create(made, default_change_reason=RETAGGED)
        return len(open_findings), len(reviewed)

    def stale_inspections(self):
        """Ids of the inspections whose automatic tags another version of the tagger made,
        with a finding nobody tagged (and nobody marked as having none), or with an
        improvement action that has no evidence link: what `retag --stale` re-tags."""
        old = self.filter(source=TagSource.AUTOMATIC, confirmed=False).exclude(
            tagger=tagging.TAGGER_VERSION
        )
        untagged = Finding.objects.filter(tags__isnull=True, no_service_area=False)
        unlinked = ImprovementAction.objects.filter(evidence_links__isnull=True)
        return (
            set(old.values_list("finding__inspection_id", flat=True))
            | set(untagged.values_list("inspection_id", flat=True))
            | set(unlinked.values_list("inspection_id", flat=True))
        )


def report_paragraphs(findings):
    return [
        tagging.ReportParagraph(finding.number, finding.judgement.area.slug, finding.text)
        for finding in sorted(findings, key=lambda finding: finding.number)
    ]


def report_actions(actions):
    return [
        tagging.ReportAction(action.position, tagging.action_text(action)) for action in actions
    ]


class TagSource(models.TextChoices):
    MANUAL = "manual", "Tagged by a person"
    AUTOMATIC = "automatic", "Tagged automatically by the tagger"


class LinkSource(models.TextChoices):
    MANUAL = "manual", "Linked by a person"
    AUTOMATIC = "automatic", "Linked automatically by the evidence linker"


class ServiceAreaTag(models.Model):
    """A finding tagged with a service area it is substantially about."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="tags")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="tags")
    source = models.CharField(max_length=20, choices=TagSource.choices, default=TagSource.MANUAL)
    confirmed = models.BooleanField(
        default=True, help_text="Automatic tags stay unconfirmed until a person checks them."
    )
    tagger = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The version of the tagger that made an automatic tag (TAGGER_VERSION).",
    )

    objects = ServiceAreaTagManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["finding_id", "service_area__position"]
        verbose_name = "service-area tag"
        indexes = [
            # ?service_area= filters and the per-area pages start from the area; the unique
            # constraint's index starts from the finding.
            models.Index(fields=["service_area", "finding"], name="tag_by_service_area"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "service_area"],
                name="one_tag_per_service_area_per_finding",
                violation_error_message="This finding already has that service area.",
            ),
        ]

    def __str__(self):
        return f"{self.finding}: {self.service_area}"

    def natural_key(self):
        return (*self.finding.natural_key(), *self.service_area.natural_key())

    natural_key.dependencies = ["judgements.finding", "judgements.servicearea"]


class TaggingRuleManager(models.Manager):
    def rulebook(self):
        """Every rule, compiled for judgements.tagging.suggest()."""
        return compile_rules(self.values_list("service_area_id", "pattern"))


class TaggingRule(models.Model):
    """A keyword of the old rulebook: findings whose text matches `pattern` (a
    case-insensitive regular expression, matched at word boundaries) were tagged with its
    service area on import until issue 15. Imports now use judgements.tagging.tag_report;
    the rulebook stays for `manage.py tag_agreement` and as the "before" figure."""

    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, related_name="tagging_rules"
    )
    pattern = models.CharField(max_length=200, help_text="e.g. care leavers?|pathway plans?")

    objects = TaggingRuleManager()

    class Meta:
        ordering = ["service_area__position", "pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_area", "pattern"], name="one_rule_per_pattern_and_area"
            ),
        ]

    def __str__(self):
        return f"{self.pattern} → {self.service_area}"


class ImprovementActionManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, position):
        return self.get(inspection__slug=inspection_slug, position=position)


class ImprovementAction(ReportText):
    """One point of the report's "What needs to improve" (ILACS) or one of its
    recommendations (SIF), verbatim."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    position = models.PositiveSmallIntegerField(help_text="1 for the first point, and so on.")
    sub_points = models.JSONField(
        default=list, blank=True, help_text="Nested points under this one, verbatim, in order."
    )
    framework_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="The national framework outcome or enabler the report cross-references, "
        "e.g. Outcome 3, national framework.",
    )
    footnotes = models.JSONField(
        default=list, blank=True, help_text="The report's footnotes to this point, verbatim."
    )
    addressed_to = models.CharField(
        max_length=20,
        choices=JudgedBody.choices,
        default=JudgedBody.LOCAL_AUTHORITY,
        help_text="To whom the report addresses it: SIF reports make recommendations to "
        "the council and, in the LSCB's review, to the board.",
    )
    evidence = models.ManyToManyField(
        Finding,
        through="EvidenceLink",
        related_name="improvement_actions",
        help_text="The paragraphs of the same report that show why this needs to improve.",
    )

    objects = ImprovementActionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection_id", "position"]
        constraints = [
            *ReportText.Meta.constraints,
            models.UniqueConstraint(
                fields=["inspection", "position"],
                name="one_improvement_action_per_position",
                violation_error_message="This report already has an improvement action "
                "in that position.",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="action_position_from_one"),
        ]

    def __str__(self):
        start = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.inspection.slug} action {self.position}: {start}"

    def natural_key(self):
        return (*self.inspection.natural_key(), self.position)

    natural_key.dependencies = ["reports.inspection"]


class EvidenceLinkManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, position, finding_inspection_slug, number):
        return self.get(
            action__inspection__slug=inspection_slug,
            action__position=position,
            finding__inspection__slug=finding_inspection_slug,
            finding__number=number,
        )

    def create_automatic(self, *, actions, findings):
        """Link each of `actions` (one report's) to the paragraphs of `findings` most
        likely behind it (judgements.tagging.link_evidence), as automatic and
        unconfirmed; `findings` need their judgement's area loaded."""
        actions, findings = list(actions), list(findings)
        if not actions or not findings:
            return []
        paragraphs = report_paragraphs(findings)
        by_number = {finding.number: finding for finding in findings}
        links = tagging.link_evidence(report_actions(actions), paragraphs)
        return self.bulk_create(
            self.model(
                action=action,
                finding=by_number[number],
                source=LinkSource.AUTOMATIC,
                confirmed=False,
            )
            for action in actions
            for number in links.get(action.position, [])
        )

    def relink(self, *, inspection):
        """Link `inspection`'s improvement actions again. An action with a manual or
        confirmed link is left as it is; every other action's automatic links are
        replaced. Returns (actions re-linked, actions left alone)."""
        actions = list(ImprovementAction.objects.filter(inspection=inspection))
        reviewed = set(
            self.filter(action__inspection=inspection)
            .filter(Q(confirmed=True) | Q(source=LinkSource.MANUAL))
            .values_list("action_id", flat=True)
        )
        open_actions = [action for action in actions if action.pk not in reviewed]
        findings = Finding.objects.filter(inspection=inspection).select_related("judgement__area")
        with transaction.atomic():
            self.filter(action__in=open_actions, source=LinkSource.AUTOMATIC).delete()
            made = self.create_automatic(actions=open_actions, findings=findings)
            self.model.history.bulk_history_create(made, default_change_reason=RETAGGED)
        return len(open_actions), len(reviewed)


class EvidenceLink(models.Model):
    """A finding that evidences an improvement action."""

    action = models.ForeignKey(
        ImprovementAction,
        on_delete=models.CASCADE,
        related_name="evidence_links",
        verbose_name="improvement action",
    )
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence_links")
    source = models.CharField(max_length=20, choices=LinkSource.choices, default=LinkSource.MANUAL)
    confirmed = models.BooleanField(
        default=True, help_text="Automatic links stay unconfirmed until a person checks them."
    )

    objects = EvidenceLinkManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action_id", "finding__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "finding"],
                name="one_link_per_action_and_finding",
                violation_error_message="That paragraph is already evidence for this action.",
            ),
        ]

    def __str__(self):
        return f"paragraph {self.finding.number} → action {self.action.position}"

    def clean(self):
        super().clean()
        linked = self.action_id and self.finding_id
        if linked and self.action.inspection_id != self.finding.inspection_id:
            raise ValidationError(
                "Evidence must be a paragraph of the same report as the improvement action."
            )

    def natural_key(self):
        return (*self.action.natural_key(), *self.finding.natural_key())

    natural_key.dependencies = ["judgements.improvementaction", "judgements.finding"]


class EarlierGradeManager(models.Manager):
    def get_by_natural_key(self, inspection_slug, earlier_year, area_slug):
        return self.get(
            inspection__slug=inspection_slug, earlier_year=earlier_year, area__slug=area_slug
        )


class EarlierGrade(models.Model):
    """A grade from an earlier inspection, as a later report states it.

    Records only what the report says (its own words are in ``quotation``), not the
    earlier report itself: that can be linked in ``earlier_inspection`` once loaded.
    """

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="earlier_grades",
        help_text="The report that mentions the earlier grade.",
    )
    earlier_framework = models.CharField(max_length=20, choices=Framework.choices)
    earlier_year = models.PositiveSmallIntegerField()
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    quotation = models.TextField(help_text="The report's words, verbatim.")
    earlier_inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_mentions",
        help_text="The earlier inspection itself, if it is in the database.",
    )

    objects = EarlierGradeManager()

    class Meta:
        ordering = ["inspection_id", "-earlier_year", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "earlier_year", "area"],
                name="one_earlier_grade_per_area_and_year",
            ),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values), name="earlier_grade_on_the_ilacs_scale"
            ),
        ]

    def __str__(self):
        return (
            f"{self.inspection.slug}: {self.earlier_year} {self.area} "
            f"{self.get_grade_display().lower()}"
        )

    def natural_key(self):
        return (*self.inspection.natural_key(), self.earlier_year, *self.area.natural_key())

    natural_key.dependencies = ["reports.inspection", "judgements.judgementarea"]


class PlanStatus(models.TextChoices):
    """How far the local authority has got with an improvement action."""

    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    COMPLETE = "complete", "Complete"
    EVIDENCED = "evidenced", "Evidenced"

    @classmethod
    def open(cls):
        """The statuses of work still to do: past its target date, such an action is overdue."""
        return [cls.NOT_STARTED, cls.IN_PROGRESS]


class ActionPlanQuerySet(models.QuerySet):
    def overdue_first(self, today=None):
        """Overdue plans first (the longest overdue at the top), then by target date."""
        today = today or timezone.localdate()
        return self.annotate(
            overdue_now=Case(
                When(target_date__lt=today, status__in=PlanStatus.open(), then=Value(True)),
                default=Value(False),
            )
        ).order_by("-overdue_now", "target_date", "action__inspection_id", "action__position")


class ActionPlan(models.Model):
    """The local authority's plan for one "What needs to improve" point.

    Its status and target date are public (the inspection page shows them); the owner
    and the progress updates are internal to staff.
    """

    action = models.OneToOneField(
        ImprovementAction,
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name="improvement action",
    )
    owner = models.CharField(
        max_length=200,
        help_text="The role or person accountable, e.g. Head of Service, Corporate Parenting.",
    )
    status = models.CharField(
        max_length=20, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED
    )
    target_date = models.DateField(help_text="When the action should be complete.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one with every save (see Finding.version).",
    )

    objects = ActionPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date"]
        permissions = [("revert_actionplan", "Can revert an action plan to an earlier version")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values),
                name="action_plan_status_known",
                violation_error_message="Choose one of the statuses offered.",
            ),
        ]

    def __str__(self):
        return f"Plan for {self.action}"

    def clean(self):
        super().clean()
        if self.action_id and self.target_date:
            ended = self.action.inspection.end_date
            if self.target_date < ended:
                raise ValidationError(
                    {
                        "target_date": "The target date cannot be before the inspection: "
                        f"it ended on {ended:%-d %B %Y}. Choose that day or a later one."
                    }
                )


class ProgressUpdate(models.Model):
    """A dated note of progress on an action plan, written by a member of staff.

    Append-only in normal use: Editors may add updates but not change or delete them
    (the roles in judgements/roles.py); a superuser can correct one, and history keeps both.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField("progress")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "written_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(text__regex=r"\S"),
                name="progress_update_text_not_blank",
                violation_error_message="Write what has happened: the update cannot be empty.",
            ),
        ]

    def __str__(self):
        return f"{self.written_on:%-d %B %Y}: {self.text[:60]}"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    ADDED = "added", "Added"
    NONE = "none", "No service area fits"


class ReviewDecisionQuerySet(models.QuerySet):
    def agreement_by_month(self):
        """Per month and kind (tag or link), how many automatic suggestions staff confirmed
        and rejected, and what they added that the tagger had missed: the tagger's
        precision in use is confirmed / (confirmed + rejected)."""
        from django.db.models import Count
        from django.db.models.functions import TruncMonth

        return (
            self.annotate(month=TruncMonth("decided_at"))
            .values("month", "kind")
            .annotate(
                confirmed=Count("pk", filter=Q(decision=Decision.CONFIRMED, automatic=True)),
                rejected=Count("pk", filter=Q(decision=Decision.REJECTED, automatic=True)),
                added=Count("pk", filter=Q(decision=Decision.ADDED)),
            )
            .order_by("month", "kind")
        )


class ReviewDecision(models.Model):
    """One decision a member of staff made in the review queue about an automatic tag or
    evidence link (or adding one the tagger missed): the record the tagger's precision
    in use is measured from. The tags and links themselves keep their own history."""

    class Kind(models.TextChoices):
        TAG = "tag", "Service-area tag"
        LINK = "link", "Evidence link"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="+")
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    automatic = models.BooleanField(
        help_text="Whether the tag or link decided on was the automatic tagger's."
    )
    tagger = models.CharField(max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = ReviewDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="tag", action__isnull=True)
                | Q(kind="link", action__isnull=False, service_area__isnull=True),
                name="review_decision_names_its_tag_or_link",
            )
        ]

    def __str__(self):
        subject = self.service_area if self.kind == "tag" else f"action {self.action.position}"
        return f"{self.finding}: {subject} {self.get_decision_display().lower()}"
