"""The safe fetcher: every hop resolved once, checked, and connected to the checked address."""

import ipaddress
import socket
import time

import pytest
from werkzeug import Response

from audit_engine.fetcher import (
    FetchFailedError,
    FetchPolicy,
    FetchRefusedError,
    SafeFetcher,
    fetch_target_check,
)
from tests.audit_engine.conftest import LOCAL_POLICY

PUBLIC = FetchPolicy()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(FetchRefusedError) as refused:
        fetch_target_check(url=url, policy=PUBLIC)
    assert "not a public address" in refused.value.reason


def test_credentials_in_url_are_refused():
    with pytest.raises(FetchRefusedError, match="credentials"):
        fetch_target_check(url="https://user:secret@example.com/", policy=PUBLIC)


def test_public_address_on_a_non_web_port_is_refused():
    policy = FetchPolicy()
    public = ipaddress.ip_address("93.184.215.14")
    assert policy.address_refusal(address=public, port=443) is None
    assert policy.address_refusal(address=public, port=22) == "port 22 is not a web port"


def test_allowed_network_allows_its_addresses_on_any_port():
    policy = FetchPolicy.from_strings(["10.0.0.0/8"])
    assert policy.address_refusal(address=ipaddress.ip_address("10.4.5.6"), port=8080) is None
    assert policy.address_refusal(address=ipaddress.ip_address("192.168.1.1"), port=80)


def test_hostname_resolving_to_a_private_address_is_refused_before_connecting(httpserver):
    httpserver.expect_request("/").respond_with_data("secret")
    with SafeFetcher(policy=PUBLIC) as fetcher, pytest.raises(FetchRefusedError) as refused:
        fetcher.fetch(url=f"http://localhost:{httpserver.port}/")
    assert "127.0.0.1 is not a public address" in refused.value.reason
    assert httpserver.log == []


def test_redirect_to_a_private_address_is_refused_and_not_followed(httpserver):
    target = "http://169.254.169.254/latest/meta-data/"
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher, pytest.raises(FetchRefusedError) as refused:
        fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/go")
    assert refused.value.url == target


def test_more_than_five_redirects_fail(httpserver):
    for hop in range(7):
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/r{hop + 1}"}
        )
    with (
        SafeFetcher(policy=LOCAL_POLICY) as fetcher,
        pytest.raises(FetchFailedError, match="more than 5 redirects"),
    ):
        fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/r0")


def test_five_redirects_are_followed(httpserver):
    for hop in range(5):
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            "", status=301, headers={"Location": f"/r{hop + 1}"}
        )
    httpserver.expect_request("/r5").respond_with_data("<p>here</p>", content_type="text/html")
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        result = fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/r0")
    assert (result.status, result.body) == (200, b"<p>here</p>")
    assert len(result.redirects) == 5


def test_body_over_the_size_cap_fails(httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 5000, content_type="text/html")
    with (
        SafeFetcher(policy=LOCAL_POLICY, max_bytes=4096) as fetcher,
        pytest.raises(FetchFailedError, match="byte limit"),
    ):
        fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/big")


def test_non_html_body_is_not_read_when_only_html_is_wanted(httpserver):
    httpserver.expect_request("/file.pdf").respond_with_data(
        b"%PDF-1.7", content_type="application/pdf"
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        result = fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/file.pdf", html_only=True)
    assert (result.is_html, result.body) == (False, b"")


@pytest.fixture
def rebinding_resolver(monkeypatch):
    """`rebind.test` answers 127.0.0.1 once, then an internal address: DNS rebinding."""
    real = socket.getaddrinfo
    answers = ["127.0.0.1", "10.0.0.1"]
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = answers[min(len(lookups) - 1, len(answers) - 1)]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_connection_goes_to_the_checked_address_without_a_second_lookup(
    httpserver, rebinding_resolver
):
    httpserver.expect_request("/").respond_with_data("<p>ok</p>", content_type="text/html")
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        result = fetcher.fetch(url=f"http://rebind.test:{httpserver.port}/")
    assert result.status == 200
    assert rebinding_resolver == ["rebind.test"]


def test_name_with_one_refused_address_among_several_is_refused(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchRefusedError, match=r"10\.0\.0\.1"):
        fetch_target_check(url="http://mixed.test/", policy=LOCAL_POLICY)


def test_body_arriving_after_the_time_limit_fails(httpserver):
    def slow(request):
        time.sleep(1.5)
        return Response("<p>late</p>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with SafeFetcher(policy=LOCAL_POLICY, timeout=0.5) as fetcher, pytest.raises(FetchFailedError):
        fetcher.fetch(url=f"http://127.0.0.1:{httpserver.port}/slow")


@pytest.mark.parametrize(
    ("form", "address", "refused_because"),
    [
        ("IPv4-mapped loopback", "::ffff:127.0.0.1", "127.0.0.1"),
        ("IPv4-mapped public", "::ffff:8.8.8.8", None),
        ("IPv4-compatible loopback", "::7f00:1", "127.0.0.1"),
        ("IPv4-compatible metadata", "::a9fe:a9fe", "169.254.169.254"),
        ("IPv4-compatible public", "::808:808", None),
        ("NAT64 well-known metadata", "64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("NAT64 well-known private", "64:ff9b::a00:1", "10.0.0.1"),
        ("NAT64 well-known public", "64:ff9b::808:808", None),
        ("NAT64 local-use /96 private", "64:ff9b:1::c0a8:1", "192.168.0.1"),
        ("NAT64 local-use /96 public", "64:ff9b:1::808:808", None),
        ("NAT64 local-use, longer prefix", "64:ff9b:1:7f00:1::", "::"),
        ("6to4 loopback", "2002:7f00:1::", "127.0.0.1"),
        ("6to4 private", "2002:c0a8:1::1", "192.168.0.1"),
        ("6to4 public", "2002:808:808::1", None),
        ("Teredo, private client", "2001:0:4136:e378:8000:63bf:f57f:fffe", "10.128.0.1"),
        ("Teredo, public client", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", None),
        ("Teredo, private server", "2001:0:a00:1:8000:63bf:f7f7:f7f7", "10.0.0.1"),
        ("plain public IPv6", "2001:4860:4860::8888", None),
    ],
)
def test_ipv6_forms_embedding_an_ipv4_are_judged_by_it(form, address, refused_because):
    reason = PUBLIC.address_refusal(address=ipaddress.ip_address(address), port=443)
    if refused_because is None:
        assert reason is None, form
    else:
        assert reason.startswith(f"address {refused_because}"), (form, reason)
        assert reason.endswith("is not a public address")


def test_allowed_network_covers_its_addresses_in_embedded_forms():
    policy = FetchPolicy.from_strings(["10.0.0.0/8"])
    for address in ("::ffff:10.1.2.3", "64:ff9b::a01:203", "::a01:203"):
        assert policy.address_refusal(address=ipaddress.ip_address(address), port=8080) is None


def test_nat64_address_of_a_private_ipv4_is_refused_before_connecting(monkeypatch, httpserver):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with SafeFetcher(policy=PUBLIC) as fetcher, pytest.raises(FetchRefusedError) as refused:
        fetcher.fetch(url="http://nat64.test/")
    assert "127.0.0.1 (in 64:ff9b::7f00:1) is not a public address" in refused.value.reason
