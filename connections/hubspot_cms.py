"""HubSpot's CMS API for a connection: site pages and blog posts, listed, read and patched.

Built on the official `hubspot-api-client`: its generated APIs take the base URL as
`Configuration.host` (`HUBSPOT_API_URL`), so the same code talks to HubSpot and to a local
peer in the tests. Answers are read as JSON rather than through the client's generated
models, which know the page's `updated` but drop `updatedAt`, the time HubSpot documents for
a page's last change; either is taken, `updatedAt` first.

Every call gets its token from `connections.hubspot_tokens` (refreshed first when it
expires) and, answered 401, refreshes once and retries; a second 401 marks the connection
`needs_reauth`.

Errors: a page HubSpot does not know is `CmsPageMissingError`; any other refusal of a write
(4xx) is `CmsWriteRefusedError` with HubSpot's status; a network failure, a timeout or a 5xx is
the 502 `PROVIDER_UNAVAILABLE`. Nothing here logs a token or HubSpot's error bodies.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

import urllib3
from django.conf import settings
from django.utils.dateparse import parse_datetime
from hubspot import HubSpot
from hubspot.cms.blogs.blog_posts.exceptions import ApiException as BlogPostsApiException
from hubspot.cms.pages.exceptions import ApiException as PagesApiException

from connections.hubspot_tokens import (
    hubspot_access_token,
    hubspot_reauth_require,
    hubspot_token_refresh,
)
from connections.models import Provider
from errors import catalog
from errors.exceptions import ApiError

logger = logging.getLogger(__name__)

API_ERRORS = (PagesApiException, BlogPostsApiException)
# One listing request asks for this many objects (HubSpot's maximum).
LIST_PAGE_SIZE = 100
# A portal with more objects than this is cut: a cursor that never ends cannot loop forever.
LIST_MAX_REQUESTS = 200
# The page fields a change may write, named as HubSpot's JSON names them.
WRITABLE_FIELDS = {
    "html_title": "htmlTitle",
    "meta_description": "metaDescription",
    "head_html": "headHtml",
}

T = TypeVar("T")


class CmsPageType(StrEnum):
    SITE_PAGE = "site_page"
    BLOG_POST = "blog_post"


@dataclass(frozen=True)
class CmsPage:
    """One site page or blog post as HubSpot holds it now."""

    page_type: CmsPageType
    hubspot_id: str
    url: str
    name: str
    html_title: str
    meta_description: str
    head_html: str
    updated_at: datetime | None


class CmsPageMissingError(Exception):
    """HubSpot has no such page or post (deleted, or never of this portal)."""


class CmsWriteRefusedError(Exception):
    """HubSpot refused a write; args[0] is its HTTP status."""


def _client(access_token: str) -> HubSpot:
    # Each API's Configuration gets `host` from this config: the local peer in tests.
    return HubSpot(access_token=access_token, host=settings.HUBSPOT_API_URL.rstrip("/"))


def _api(client: HubSpot, page_type: CmsPageType):
    if page_type is CmsPageType.SITE_PAGE:
        return client.cms.pages.site_pages_api
    return client.cms.blogs.blog_posts.basic_api


def _call(connection_id: int, request: Callable[[HubSpot], T]) -> T:
    """Run `request` with a usable token; on a 401, refresh once and run it again."""
    token = hubspot_access_token(connection_id=connection_id)
    for attempt in (1, 2):
        try:
            return request(_client(token))
        except API_ERRORS as exc:
            if exc.status != 401:
                raise
            if attempt == 2:
                raise hubspot_reauth_require(connection_id=connection_id) from None
            token = hubspot_token_refresh(connection_id=connection_id, rejected_token=token)
        except urllib3.exceptions.HTTPError as exc:
            logger.warning(
                "hubspot_request_failed",
                extra={"connection_id": connection_id, "reason": type(exc).__name__},
            )
            raise _unavailable() from None
    raise AssertionError("unreachable")


def _timeout() -> dict:
    return {"_request_timeout": settings.HUBSPOT_API_TIMEOUT_SECONDS}


def _unavailable() -> ApiError:
    return ApiError(catalog.PROVIDER_UNAVAILABLE, provider_name=Provider.HUBSPOT.label)


def _json(response) -> dict:
    # The client returns the raw urllib3 response when asked not to build its models.
    try:
        body = json.loads(response.data)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _unavailable()
    return body


def _text(item: dict, name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else ""


def _page(page_type: CmsPageType, item) -> CmsPage:
    if not isinstance(item, dict) or item.get("id") in (None, ""):
        raise _unavailable()
    updated = _text(item, "updatedAt") or _text(item, "updated")
    return CmsPage(
        page_type=page_type,
        hubspot_id=str(item["id"]),
        url=_text(item, "url"),
        name=_text(item, "name"),
        html_title=_text(item, "htmlTitle"),
        meta_description=_text(item, "metaDescription"),
        head_html=_text(item, "headHtml"),
        updated_at=parse_datetime(updated) if updated else None,
    )


def _failure(exc, connection_id: int, step: str) -> ApiError:
    logger.warning(
        "hubspot_request_refused",
        extra={"connection_id": connection_id, "step": step, "status": exc.status},
    )
    return _unavailable()


def hubspot_pages_list(*, connection_id: int) -> list[CmsPage]:
    """Every site page and blog post of the portal, following the `after` cursors."""
    pages: list[CmsPage] = []
    for page_type in CmsPageType:
        after, seen = None, set()
        for _request in range(LIST_MAX_REQUESTS):

            def listing(client: HubSpot, cursor=after, kind=page_type):
                kwargs = {"limit": LIST_PAGE_SIZE, "archived": False}
                if cursor:
                    kwargs["after"] = cursor
                return _api(client, kind).get_page(_preload_content=False, **_timeout(), **kwargs)

            try:
                answer = _json(_call(connection_id, listing))
            except API_ERRORS as exc:
                raise _failure(exc, connection_id, f"list_{page_type}") from None
            results = answer.get("results")
            pages.extend(_page(page_type, item) for item in results or [])
            paging = answer.get("paging")
            following = paging.get("next") if isinstance(paging, dict) else None
            after = following.get("after") if isinstance(following, dict) else None
            if not isinstance(after, str) or not after or after in seen:
                break
            seen.add(after)
    return pages


def hubspot_page_get(*, connection_id: int, page_type: CmsPageType, hubspot_id: str) -> CmsPage:
    """The page or post as HubSpot holds it now; CmsPageMissingError when HubSpot has none."""

    def read(client: HubSpot):
        return _api(client, page_type).get_by_id(hubspot_id, _preload_content=False, **_timeout())

    try:
        return _page(page_type, _json(_call(connection_id, read)))
    except API_ERRORS as exc:
        if exc.status == 404:
            raise CmsPageMissingError(hubspot_id) from None
        raise _failure(exc, connection_id, f"get_{page_type}") from None


def hubspot_page_update(
    *, connection_id: int, page_type: CmsPageType, hubspot_id: str, values: dict[str, str]
) -> CmsPage:
    """PATCH the given fields (`html_title`, ...) of the page or post; the page as written."""
    body = {WRITABLE_FIELDS[name]: value for name, value in values.items()}

    def write(client: HubSpot):
        # A plain dict is sent as it is: only the named fields, a sparse update.
        return _api(client, page_type).update(
            hubspot_id, body, _preload_content=False, **_timeout()
        )

    try:
        return _page(page_type, _json(_call(connection_id, write)))
    except API_ERRORS as exc:
        if exc.status == 404:
            raise CmsPageMissingError(hubspot_id) from None
        if 400 <= exc.status < 500:
            logger.warning(
                "hubspot_write_refused",
                extra={"connection_id": connection_id, "status": exc.status},
            )
            raise CmsWriteRefusedError(exc.status) from None
        raise _failure(exc, connection_id, f"update_{page_type}") from None
