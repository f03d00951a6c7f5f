"""The URL rule by which audited pages and HubSpot pages are matched."""

import pytest

from hubspot_cms.page_urls import url_normalize


@pytest.mark.parametrize(
    "left, right",
    [
        ("https://Example.COM/about", "https://example.com/about"),
        ("http://example.com/about", "https://example.com/about"),
        ("https://example.com/about/", "https://example.com/about"),
        ("https://example.com:443/about", "https://example.com/about"),
        ("http://example.com:80/about", "https://example.com/about"),
        ("https://example.com/about#team", "https://example.com/about"),
        ("https://example.com", "https://example.com/"),
        ("HTTPS://example.com/a?x=1", "https://example.com/a/?x=1"),
    ],
)
def test_same_page_written_differently_matches(left, right):
    assert url_normalize(left) == url_normalize(right)


@pytest.mark.parametrize(
    "left, right",
    [
        ("https://example.com/About", "https://example.com/about"),
        ("https://example.com:8443/about", "https://example.com/about"),
        ("https://example.com/a?x=1", "https://example.com/a?x=2"),
        ("https://www.example.com/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com/a"),
    ],
)
def test_different_pages_do_not_match(left, right):
    assert url_normalize(left) != url_normalize(right)
