"""Factories for edge cases; the real report comes from the fixture (conftest.harrow)."""

import datetime

import factory

from judgements.models import Finding, Grade, Judgement, JudgementArea
from reports.models import Framework, Inspection, LocalAuthority


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    slug = factory.Sequence(lambda n: f"inspection-{n}")
    framework = Framework.ILACS
    start_date = datetime.date(2024, 1, 8)
    end_date = datetime.date(2024, 1, 19)
    lead_inspector = "A Inspector"
    lead_inspector_title = "His Majesty's Inspector"
    title = "Inspection of children's social care services"
    copyright_notice = "© Crown copyright 2024"


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = factory.LazyFunction(lambda: JudgementArea.objects.get(slug="help-and-protection"))
    grade = Grade.GOOD
    table_position = 1


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    judgement = factory.SubFactory(JudgementFactory)
    inspection = factory.SelfAttribute("judgement.inspection")
    number = factory.Sequence(lambda n: n + 1)
    text = "Children are seen regularly."
