"""schemathesis against the OpenAPI document: generated requests to every endpoint get an
answer the document describes, and never a server error.

(Its pytest plugin's lazy fixture mode does not run under pytest 9, so each operation's
strategy is drawn from here with Hypothesis directly.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from claimscope.web import create_app

PATHS = [
    "/api/v1/claims", "/api/v1/claims/{claim_id}", "/api/v1/articles",
    "/api/v1/articles/{document_id}", "/api/v1/outlets", "/api/v1/outlets/{name}",
    "/api/v1/propositions", "/api/v1/propositions/{proposition_id}", "/api/v1/verdicts",
    "/api/v1/claimreview",
]


@pytest.fixture(scope="module")
def api_schema(store):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(store))


@pytest.mark.parametrize("path", PATHS)
def test_no_generated_request_gets_a_server_error(api_schema, path) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    call()
