"""Schemathesis against the API in-process: generated calls (a few per operation) never
get a server error, and every response matches the published schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from shegong.accounts import tokens
from shegong.wsgi import application
from tests.factories import make_activity, make_notice, make_world

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def api_key(db, settings):
    # As Django's test client does: the test's transaction holds the connection, so a
    # request must not close it at its end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.API_RATE_LIMIT = 100_000
    world = make_world()
    notice = make_notice(world.district, "东民发〔2030〕9号", units=[world.station], issue=True)
    make_activity(world.station, by=world.station_worker, notice=notice)
    _, key = tokens.create_token(user=world.station_worker, by=None, name="fuzz")
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, api_key):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"},
        checks=[
            schemathesis.checks.not_a_server_error,
            response_schema_conformance,
        ],
    )
