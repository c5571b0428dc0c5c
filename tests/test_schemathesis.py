"""The API against its own OpenAPI document (issue 12: schemathesis in CI). Every operation is called with
generated input, as a bureau user and as an agency manager (each through a read-write API token), with path ids
of real rows of every kind; no response may be a 5xx or break the schema it documents. Bounded: a few examples
per operation, derandomised, so it takes a minute or two and fails the same way every time."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from directory.models import Role
from directory.services import api_token_create
from tests.test_no_server_errors import scene  # noqa: F401  (a row of every kind the API takes an id of)

# The WSGI transport hands back the body as sent; asking for it uncompressed keeps the gzip middleware
# (core.middleware.CompressTextMiddleware, tested on its own) out of the schema checks.
IDENTITY = {"Accept-Encoding": "identity"}

MAX_EXAMPLES = 3
# Path segment before a parameter → the kind of row whose id it takes (as tests/test_no_server_errors.py).
NAMED = {"item_pk": "items", "venue_pk": "venues", "member_pk": "redraw", "attachment_pk": "attachments"}
NAMED |= {"tender_pk": "panels", "organisation_pk": "organisations"}


@pytest.fixture
def tokens(personas, scene):  # noqa: F811
    return {
        role: api_token_create(actor=personas[role], name="schemathesis", scope="write")[1]
        for role in (Role.BUREAU_ADMIN, Role.AGENCY_MANAGER)
    }


def _real_ids(case, ids: dict) -> None:
    """Put ids of real rows in the path, so that operations do more than answer 404."""
    segments = [s for s in re.split(r"[{}]", case.path)]
    segment = None
    for part in segments:
        names = [p for p in part.split("/") if p]
        if part in (case.path_parameters or {}):
            case.path_parameters[part] = ids.get(NAMED.get(part, segment), 1)
        elif names:
            segment = names[-1]


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_within_its_schema(case, scene, tokens):  # noqa: F811
    _real_ids(case, scene)
    for key in tokens.values():
        response = case.call(headers={"Authorization": f"Bearer {key}", **IDENTITY})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
