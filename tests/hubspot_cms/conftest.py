"""The local HubSpot peer, a portal with pages on it, and an audit of that portal's site."""

import pytest

from tests.hubspot_cms.factories import AuditedSiteFactory, HubSpotConnectionFactory
from tests.hubspot_cms.hubspot_peer import CLIENT_ID, CLIENT_SECRET, HubSpotPeer

ABOUT_HTML = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<h1>About   Acme Widgets</h1>
<p>Acme makes widgets for people who build things that last, and has since 1962 in a small
workshop by the river. Every widget is tested by hand before it ships, one at a time.</p>
<p>Second paragraph.</p></body></html>"""
POST_HTML = """<!doctype html><html><head><title>Spring news</title>
<meta name="description" content="What is new this spring."></head><body>
<article><h1>Spring news</h1><p>Fresh widgets.</p></article></body></html>"""


@pytest.fixture
def hubspot(settings):
    """A running peer; the settings point HubSpot's API and token endpoint at it."""
    peer = HubSpotPeer().start()
    settings.HUBSPOT_API_URL = peer.url
    settings.HUBSPOT_OAUTH_TOKEN_URL = f"{peer.url}/oauth/v1/token"
    settings.HUBSPOT_CLIENT_ID = CLIENT_ID
    settings.HUBSPOT_CLIENT_SECRET = CLIENT_SECRET
    settings.HUBSPOT_REDIRECT_URI = ""
    settings.HUBSPOT_API_TIMEOUT_SECONDS = 5
    # The live pages of the portal's site are served by the peer on loopback.
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    yield peer
    peer.stop()


@pytest.fixture
def portal(hubspot):
    """A connection of alice with valid peer tokens, and a site: two pages, three posts."""
    connection = HubSpotConnectionFactory(
        access_token=hubspot.token_issue(), refresh_token=hubspot.refresh_token_issue()
    )
    about = hubspot.page_add(
        "site_page", name="About", url=f"{hubspot.url}/site/about", htmlTitle=""
    )
    home = hubspot.page_add(
        "site_page", name="Home", url=f"{hubspot.url}/site/", htmlTitle="Acme", headHtml=""
    )
    posts = [
        hubspot.page_add(
            "blog_post",
            name=f"Post {n}",
            url=f"{hubspot.url}/site/blog/post-{n}",
            htmlTitle=f"Post {n}",
            metaDescription="",
        )
        for n in range(3)
    ]
    hubspot.state.site["/site/about"] = ABOUT_HTML
    hubspot.state.site["/site/blog/post-0"] = POST_HTML
    return {"connection": connection, "about": about, "home": home, "posts": posts}


@pytest.fixture
def audit(hubspot):
    """Alice's completed audit: the about page lacks title, description and schema; a blog
    post lacks its description. The URLs differ from HubSpot's in scheme, slash, fragment."""
    host = hubspot.url.removeprefix("http://")
    about_url = f"https://{host}/site/about/"
    post_url = f"HTTP://{host}/site/blog/post-0#comments"
    return AuditedSiteFactory(
        url=f"{hubspot.url}/site/",
        results={
            "summary": "",
            "scores": {"overall": 40},
            "pages": [
                {
                    "url": about_url,
                    "status": 200,
                    "title": None,
                    "scores": {"overall": 30},
                    "findings": ["META_DESCRIPTION_MISSING", "SCHEMA_MISSING", "TITLE_MISSING"],
                },
                {
                    "url": post_url,
                    "status": 200,
                    "title": "Spring news",
                    "scores": {"overall": 60},
                    "findings": ["META_DESCRIPTION_MISSING", "H1_MISSING"],
                },
                {
                    "url": "https://elsewhere.example/x",
                    "status": 200,
                    "title": None,
                    "scores": {"overall": 10},
                    "findings": ["TITLE_MISSING"],
                },
            ],
            "findings": [
                {
                    "code": "TITLE_MISSING",
                    "severity": "high",
                    "title": "Missing title",
                    "description": "",
                    "recommendation": "",
                    "url": about_url,
                }
            ],
        },
    )
