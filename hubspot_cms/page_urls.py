"""The one rule by which a HubSpot page and an audited page are the same page.

Two URLs name the same page when they differ only in the scheme (`http` or `https`), the case
of the host, a default port (80, 443) or a trailing slash; the fragment never matters. The
path's case and the query string do matter: servers tell those apart.
"""

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def url_normalize(url: str) -> str:
    """The matching key of `url`: no scheme, default port, fragment or end slash; host lower."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
