"""The API's contract with its clients: every address and every response body.

Each address below is fetched against the Harrow 2020 fixture (with one published action
plan) and compared with the body recorded in tests/api_contract/. A refactoring of the API
must leave every body, status and the OpenAPI schema exactly as they were; a deliberate
change to the API re-records them (`API_CONTRACT_RECORD=1`) and shows up in review as a
diff of those files.
"""

import datetime
import json
import os
import re
from pathlib import Path

import pytest

from judgements.models import ActionPlan, ImprovementAction

CONTRACT = Path(__file__).parent / "api_contract"
RECORD = os.environ.get("API_CONTRACT_RECORD") == "1"

ADDRESSES = [
    "/api/",
    "/api/findings/",
    "/api/findings/?page=2",
    "/api/findings/?service_area=care-leavers&q=pathway",
    "/api/findings/?judgement_area=impact-of-leaders&grade=good",
    "/api/inspections/harrow-2020-02/findings/24/",
    "/api/inspections/",
    "/api/inspections/?local_authority=harrow&framework=ilacs",
    "/api/inspections/harrow-2020-02/",
    "/api/judgements/",
    "/api/judgements/?grade=good&area=help-and-protection",
    "/api/inspections/harrow-2020-02/judgements/help-and-protection/",
    "/api/improvement-actions/",
    "/api/improvement-actions/?inspection=harrow-2020-02",
    "/api/inspections/harrow-2020-02/improvement-actions/1/",
    "/api/service-areas/",
    "/api/service-areas/care-leavers/",
    "/api/local-authorities/",
    "/api/local-authorities/harrow/",
    "/api/glossary/",
    "/api/glossary/CIN/",
    "/api/comparison/",
    "/api/comparison/?grade=good&area=help-and-protection&sort=date",
    "/api/comparison/?sort=no-such-order",
    # What clients get for mistakes.
    "/api/findings/?service_area=no-such-area&page=abc",
    "/api/findings/?page=99",
    "/api/judgements/?grade=excellent",
    "/api/inspections/no-such-report/",
    "/api/inspections/harrow-2020-02/findings/999/",
    "/api/inspections/harrow-2020-02/judgements/no-such-area/",
    "/api/service-areas/no-such-area/",
    "/api/glossary/NOPE/",
    "/api/no-such-endpoint/",
]


def contract_file(address):
    name = re.sub(r"[^A-Za-z0-9]+", "-", address.removeprefix("/api/")).strip("-") or "root"
    return CONTRACT / f"{name}.json"


@pytest.fixture
def harrow_with_plan(harrow):
    action = ImprovementAction.objects.get(inspection=harrow, position=1)
    ActionPlan.objects.create(
        action=action,
        owner="Head of quality assurance",
        status="in-progress",
        target_date=datetime.date(2020, 12, 31),
    )
    return harrow


def check(name, observed):
    path = CONTRACT / name if isinstance(name, str) else name
    if RECORD:
        path.write_text(json.dumps(observed, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    assert path.exists(), f"{path} is not recorded: run with API_CONTRACT_RECORD=1"
    assert observed == json.loads(path.read_text()), f"{path.name} changed"


@pytest.mark.django_db
@pytest.mark.parametrize("address", ADDRESSES)
def test_every_address_answers_as_recorded(client, harrow_with_plan, address):
    response = client.get(address, HTTP_ACCEPT="application/json")
    observed = {
        "status": response.status_code,
        "content_type": response["Content-Type"],
        "body": response.json(),
    }
    check(contract_file(address), observed)


@pytest.mark.django_db
def test_the_schema_is_as_recorded(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    check("schema.json", json.loads(response.content))
