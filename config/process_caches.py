"""Every process-wide cache of the service, and the one reset that empties them all.

Each is a `@functools.cache` factory of no arguments that builds its object from the settings
on first use. A settings change (as in tests) drops them all, to be built again.
"""

from accounts.local_verifications import local_verifications
from accounts.tokens import local_key_ring, remote_jwks_client
from authn.auth0_keys import auth0_key_set
from config.health import health_redis_client
from rate_limits.counters import counter_connections
from rate_limits.tallies import local_tally
from tiles.tileset_registry import tileset_registry

PROCESS_CACHES = (
    auth0_key_set,
    counter_connections,
    health_redis_client,
    local_key_ring,
    local_tally,
    local_verifications,
    remote_jwks_client,
    tileset_registry,
)


def process_caches_clear(**_signal) -> None:
    """Forget every process-wide object; each is built again, from the settings, on next use."""
    for factory in PROCESS_CACHES:
        factory.cache_clear()
