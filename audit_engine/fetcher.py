"""Fetching pages of someone else's site without letting the site aim us at our own network.

Every connection, redirects included, resolves its host once, checks every address the name
has, and connects to the checked address: a second resolution (DNS rebinding) cannot slip an
internal address in between the check and the connection.

Bodies are read raw and decoded here (`audit_engine.content_decoding`), counting the decoded
bytes as they come, so a compressed body stops at the size cap with only the cap in memory.
"""

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpcore
import httpx

from audit_engine.content_decoding import ACCEPT_ENCODING, ContentDecodingError, body_decode

USER_AGENT = "LatentGEO-Audit/1.0"
WEB_PORTS = frozenset({80, 443})
MAX_REDIRECTS = 5
PAGE_MAX_BYTES = 2 * 1024 * 1024
PAGE_TIMEOUT_SECONDS = 10.0

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefusedError(Exception):
    """The URL points at an address or port the audit may not reach; nothing was sent."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


class FetchFailedError(Exception):
    """The fetch was allowed but did not produce a usable response."""


@dataclass(frozen=True)
class FetchPolicy:
    """Which addresses beyond the public internet the fetcher may reach (any port there)."""

    allowed_networks: tuple[IpNetwork, ...] = ()

    @classmethod
    def from_strings(cls, networks: Iterable[str]) -> "FetchPolicy":
        """A policy allowing the given addresses or networks (`10.0.0.0/8`, `127.0.0.1`)."""
        return cls(tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n))

    def address_refusal(self, *, address: IpAddress, port: int) -> str | None:
        """Why connecting to `address`:`port` is refused, or None when it is allowed.

        An IPv6 address that carries IPv4 ones is judged by them too (`address_judged`):
        `64:ff9b::a9fe:a9fe` reaches 169.254.169.254 through a NAT64 gateway.
        """
        judged_addresses = address_judged(address)
        if all(self._allowed(judged) for judged in judged_addresses):
            return None
        for judged in judged_addresses:
            if self._allowed(judged):
                continue
            # `is_global` is false for loopback, private, link-local, reserved, shared and
            # documentation ranges; multicast is global for some ranges, hence its own test.
            if not judged.is_global or judged.is_multicast:
                shown = judged if judged == address else f"{judged} (in {address})"
                return f"address {shown} is not a public address"
        if port not in WEB_PORTS:
            return f"port {port} is not a web port"
        return None

    def _allowed(self, address: IpAddress) -> bool:
        return any(address in network for network in self.allowed_networks)

    def host_resolve(self, *, host: str, port: int) -> str:
        """The checked address to connect to for `host`; every address of the name must pass."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchFailedError(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
        if not addresses:
            raise FetchFailedError(f"cannot resolve {host}")
        for address in addresses:
            reason = self.address_refusal(address=address, port=port)
            if reason:
                raise FetchRefusedError(f"{host}:{port}", reason)
        return str(addresses[0])


# IPv6 forms whose traffic ends at an IPv4 address they carry (RFC 4291, 6052, 3056, 4380):
# that address decides, as if it had been given itself.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
_NAT64_LOCAL_USE_96 = ipaddress.ip_network("64:ff9b:1::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
# Where a local-use NAT64 address outside its /96 carries the IPv4 depends on the operator's
# prefix length: it is judged as this (never public) address rather than by a guess.
_UNJUDGED = ipaddress.ip_address("::")


def address_judged(address: IpAddress) -> tuple[IpAddress, ...]:
    """The addresses that decide whether `address` may be reached: it, or the IPv4s it carries."""
    if address.version == 4:
        return (address,)
    last_32_bits = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return (address.ipv4_mapped,)
    if address in _IPV4_COMPATIBLE or address in _NAT64_WELL_KNOWN:
        return (last_32_bits,)
    if address in _NAT64_LOCAL_USE:
        return (last_32_bits,) if address in _NAT64_LOCAL_USE_96 else (_UNJUDGED,)
    if address in _SIX_TO_FOUR:
        return (address.sixtofour,)
    if address in _TEREDO:
        # The relay talks to the Teredo server and the client; `teredo` un-XORs the client.
        server, client = address.teredo
        return (client, server)
    return (address,)


def url_refusal(*, url: httpx.URL) -> str | None:
    """Why a URL is refused before any resolution (scheme, credentials), or None."""
    if url.scheme not in ("http", "https"):
        return f"scheme {url.scheme!r} is not http or https"
    if url.userinfo:
        return "credentials in the URL"
    if not url.host:
        return "no host"
    return None


def fetch_target_check(*, url: str, policy: FetchPolicy) -> None:
    """Raise FetchRefusedError when `url` may not be fetched under `policy` (resolving its host)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchRefusedError(url, "invalid URL") from exc
    reason = url_refusal(url=parsed)
    if reason:
        raise FetchRefusedError(url, reason)
    try:
        policy.host_resolve(host=parsed.host, port=parsed.port or _default_port(parsed))
    except FetchRefusedError as exc:
        raise FetchRefusedError(url, exc.reason) from None
    except FetchFailedError:
        # A name that does not resolve now is no refusal: the fetch itself will fail or not.
        return


def fetch_target_refusal(*, url: str, policy: FetchPolicy) -> str | None:
    """Why `url` may not be fetched under `policy` (address, port, credentials), or None: what
    a form says of a URL before anything is queued for it."""
    try:
        fetch_target_check(url=url, policy=policy)
    except FetchRefusedError as exc:
        return exc.reason
    return None


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


class _CheckedNetworkBackend(httpcore.NetworkBackend):
    """Resolves and checks the host itself, then connects to exactly that address."""

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = self._policy.host_resolve(host=host, port=port)
        return self._sockets.connect_tcp(address, port, timeout, local_address, socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefusedError(path, "unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool built on the checked network backend."""

    def __init__(self, policy: FetchPolicy, max_connections: int) -> None:
        super().__init__(trust_env=False, retries=0)
        # httpx has no parameter for the network backend; the pool is rebuilt with ours, the
        # TLS context (certificate checks, SNI from the URL's host) stays httpx's default.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=_CheckedNetworkBackend(policy),
        )


@dataclass
class FetchResult:
    url: str
    status: int
    content_type: str
    headers: httpx.Headers
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")

    @property
    def charset(self) -> str | None:
        """The charset the response headers name, if any."""
        return httpx.Response(self.status, headers=self.headers).charset_encoding

    def text(self) -> str:
        """The body decoded with the response's charset (UTF-8 when it names none)."""
        # The body is already decoded from its content coding: only the charset is wanted.
        headers = {"content-type": self.headers.get("content-type", "")}
        return httpx.Response(self.status, headers=headers, content=self.body).text


class SafeFetcher:
    """An HTTP client for audits: checked addresses, bounded redirects, size and time."""

    def __init__(
        self,
        *,
        policy: FetchPolicy,
        max_connections: int = 2,
        timeout: float = PAGE_TIMEOUT_SECONDS,
        max_bytes: int = PAGE_MAX_BYTES,
    ) -> None:
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._client = httpx.Client(
            transport=_CheckedTransport(policy, max_connections),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __enter__(self) -> "SafeFetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(
        self,
        *,
        url: str,
        html_only: bool = False,
        max_bytes: int | None = None,
        timeout: float | None = None,
    ) -> FetchResult:
        """GET `url`, following at most 5 checked redirects; the body is capped in size and time.

        Raises FetchRefusedError for a refused hop, FetchFailedError for a network error, a body
        over the cap or a fetch over its time limit. With `html_only`, a non-HTML body is not
        read.
        """
        limit = max_bytes or self._max_bytes
        seconds = min(timeout or self._timeout, self._timeout)
        deadline = time.monotonic() + seconds
        redirects: list[str] = []
        request_url = httpx.URL(url)
        for _hop in range(MAX_REDIRECTS + 1):
            reason = url_refusal(url=request_url)
            if reason:
                raise FetchRefusedError(str(request_url), reason)
            try:
                hop_timeout = httpx.Timeout(max(deadline - time.monotonic(), 0.1))
                with self._client.stream("GET", request_url, timeout=hop_timeout) as response:
                    if response.is_redirect:
                        next_request = response.next_request
                        if next_request is None:
                            raise FetchFailedError(
                                f"redirect without a location from {request_url}"
                            )
                        request_url = next_request.url
                        redirects.append(str(request_url))
                        continue
                    return self._read(response, redirects, limit, deadline, html_only)
            except FetchRefusedError as exc:
                raise FetchRefusedError(str(request_url), exc.reason) from None
            except httpx.HTTPError as exc:
                raise FetchFailedError(f"{type(exc).__name__} fetching {request_url}") from exc
        raise FetchFailedError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def post(self, *, url: str, content: bytes, headers: dict[str, str]) -> int:
        """POST `content` to `url` once, without following redirects; the response's status.

        Raises FetchRefusedError for a refused address or port, FetchFailedError for a network
        error or no answer within the time limit. The response body is not read.
        """
        request_url = httpx.URL(url)
        reason = url_refusal(url=request_url)
        if reason:
            raise FetchRefusedError(url, reason)
        try:
            with self._client.stream(
                "POST", request_url, content=content, headers=headers
            ) as response:
                return response.status_code
        except FetchRefusedError as exc:
            raise FetchRefusedError(url, exc.reason) from None
        except httpx.HTTPError as exc:
            raise FetchFailedError(f"{type(exc).__name__} posting to {request_url}") from exc

    def _read(self, response, redirects, limit, deadline, html_only) -> FetchResult:
        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        result = FetchResult(
            url=str(response.url),
            status=response.status_code,
            content_type=content_type,
            headers=response.headers,
            redirects=redirects,
        )
        if html_only and not result.is_html:
            return result
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailedError(f"body of {declared} bytes is over the {limit} byte limit")
        chunks, size = [], 0
        encoding = response.headers.get("content-encoding", "")
        try:
            for piece in body_decode(chunks=_raw_capped(response, limit), encoding=encoding):
                size += len(piece)
                if size > limit:
                    raise FetchFailedError(f"body is over the {limit} byte limit")
                if time.monotonic() > deadline:
                    raise FetchFailedError("body took longer than the page time limit")
                chunks.append(piece)
        except ContentDecodingError as exc:
            raise FetchFailedError(str(exc)) from exc
        result.body = b"".join(chunks)
        return result


def _raw_capped(response: httpx.Response, limit: int) -> Iterator[bytes]:
    """The body's bytes as sent; a compressed body is no larger than its decoded cap either."""
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > limit:
            raise FetchFailedError(f"body is over the {limit} byte limit")
        yield chunk
