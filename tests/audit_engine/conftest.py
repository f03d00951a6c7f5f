import pytest

from audit_engine.engine import AuditOptions
from audit_engine.fetcher import FetchPolicy

LOCAL_POLICY = FetchPolicy.from_strings(["127.0.0.1/32"])


@pytest.fixture
def local_options():
    """Audit options that may reach the local test sites on 127.0.0.1 (any port)."""

    def options(**overrides) -> AuditOptions:
        return AuditOptions(**{"policy": LOCAL_POLICY, "max_pages": 50, **overrides})

    return options
