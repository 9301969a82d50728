"""Property-based requests generated from the OpenAPI spec: no server errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from storyline.settings import Settings
from storyline.web import create_app
from tests.web.conftest import copy_store

EXAMPLES = 30


@pytest.mark.slow
def test_no_request_makes_a_server_error(demo_settings: Settings, tmp_path: Path) -> None:
    app = create_app(copy_store(demo_settings, tmp_path / "fuzz.db"))
    failures: list[str] = []
    requests = 0
    with TestClient(app):  # the app's start-up opens the store
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 14
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                nonlocal requests
                requests += 1
                response = case.call()
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {case.as_curl_command()}")

            check()
    print("fuzz:", json.dumps({"kind": "API requests (schemathesis)", "inputs": requests}))
    assert failures == []
