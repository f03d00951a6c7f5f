"""The admin's tileset preview and a third-party page, in a real browser with real tiles."""

import os

import pytest

from tests.tiles.browser import RequestLog, chromium_launch
from tests.tiles.mixed_tileset import LAYERS

pytestmark = pytest.mark.django_db(transaction=True)

MAP_READY_TIMEOUT_MS = 60_000
STAFF_PASSWORD = "preview-test-password"


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM guard would take
    # the test's own setup for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="mapper", password=STAFF_PASSWORD, is_staff=True
    )


def _wait_for_map(page, container_id: str) -> str:
    page.wait_for_function(
        f"document.getElementById('{container_id}').dataset.state !== 'loading'",
        timeout=MAP_READY_TIMEOUT_MS,
    )
    return page.eval_on_selector(f"#{container_id}", "element => element.dataset.state")


RENDERED_LAYERS_JS = (
    """map => [...new Set(map.queryRenderedFeatures().map(f => f.sourceLayer))].sort()"""
)


def test_staff_preview_draws_every_layer_of_the_tileset_with_no_failed_tile_request(
    live_server, mixed_tileset, staff_user, browser
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = RequestLog(page, f"{live_server.url}/v1/")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/tiles/tileset/%3Ftileset%3Dlyon")
    page.fill("#id_username", "mapper")
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/tiles/tileset/?tileset=lyon")

    state = _wait_for_map(page, "tileset-preview-map")

    errors = page.evaluate("window.tilesetPreview.errors")
    assert (state, errors, log.failures) == ("idle", [], [])
    assert page.evaluate("window.tilesetPreview.map.queryRenderedFeatures().length") > len(LAYERS)
    rendered = page.evaluate(f"({RENDERED_LAYERS_JS})(window.tilesetPreview.map)")
    assert rendered == sorted(LAYERS)
    assert any(url.endswith("/v1/tiles/lyon/style.json") for url, _ in log.responses)
    assert log.tiles()
    assert all(status in (200, 204) for _, status in log.tiles())
    assert page.locator("#tilesets tbody tr").count() == 4

    assert page.locator("#tileset-preview-expired").is_hidden()

    # Hovering over Geneva shows its properties next to the map.
    canvas = page.locator("#tileset-preview-map canvas").bounding_box()
    point = page.evaluate("window.tilesetPreview.map.project([6.14, 46.20])")
    page.mouse.move(canvas["x"] + point["x"], canvas["y"] + point["y"])
    properties = page.locator("#tileset-preview-properties")
    properties.get_by_text("Geneva").wait_for(timeout=10_000)
    assert "203000" in properties.inner_text()

    screenshot = os.environ.get("TILESET_PREVIEW_SCREENSHOT")
    if screenshot:
        page.mouse.click(canvas["x"] + point["x"], canvas["y"] + point["y"])
        page.locator(".maplibregl-popup").wait_for()
        page.screenshot(path=screenshot, full_page=True)


def test_staff_preview_says_when_its_token_has_expired(
    live_server, mixed_tileset, staff_user, browser, client, settings
):
    settings.TILES_PREVIEW_TOKEN_SECONDS = 0
    client.force_login(staff_user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto(f"{live_server.url}/admin/tiles/tileset/?tileset=lyon")

    page.locator("#tileset-preview-expired").wait_for(state="visible")


THIRD_PARTY_PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{service}/static/maplibre-gl/maplibre-gl.css">
<script src="{service}/static/maplibre-gl/maplibre-gl.js"></script>
</head><body>
<div id="map" data-state="loading" style="width: 800px; height: 600px"></div>
<script>
  const token = "{token}";
  const styleUrl = "{service}/v1/tiles/lyon/style.json";
  const withToken = (url) => url.startsWith("{service}/v1/")
    ? {{url, headers: {{Authorization: "Bearer " + token}}}}
    : {{url}};
  window.errors = [];
  fetch(styleUrl, {{headers: {{Authorization: "Bearer " + token}}}})
    .then((response) => response.json())
    .then((style) => {{ window.fetchedStyle = style; }});
  window.map = new maplibregl.Map({{
    container: "map", style: styleUrl, transformRequest: withToken,
    bounds: [[4.8, 44.8], [6.3, 47.32]],
  }});
  window.map.on("error", (event) => {{
    window.errors.push(String(event.error && event.error.message));
    document.getElementById("map").dataset.state = "error";
  }});
  window.map.on("idle", () => {{
    if (document.getElementById("map").dataset.state !== "error") {{
      document.getElementById("map").dataset.state = "idle";
    }}
  }});
</script>
</body></html>
"""


def test_page_on_another_origin_shows_the_tileset_from_its_style_url(
    live_server, mixed_tileset, geog_token, browser, httpserver, settings
):
    other_origin = httpserver.url_for("/").rstrip("/")
    # The /v1/ CORS default may change; this test names the other origin either way.
    settings.CORS_ALLOWED_ORIGINS = [other_origin]
    token = geog_token(scopes="tiles:read")
    httpserver.expect_request("/map.html").respond_with_data(
        THIRD_PARTY_PAGE.format(service=live_server.url, token=token), content_type="text/html"
    )
    page = browser.new_page()
    log = RequestLog(page, f"{live_server.url}/v1/")

    page.goto(f"{other_origin}/map.html")
    state = _wait_for_map(page, "map")
    page.wait_for_function("window.fetchedStyle !== undefined", timeout=MAP_READY_TIMEOUT_MS)

    assert (state, page.evaluate("window.errors"), log.failures) == ("idle", [], [])
    fetched = page.evaluate("window.fetchedStyle")
    assert fetched["sources"]["lyon"]["url"] == f"{live_server.url}/v1/tiles/lyon/metadata"
    assert {layer.get("source-layer") for layer in fetched["layers"]} - {None} == set(LAYERS)
    assert page.evaluate(f"({RENDERED_LAYERS_JS})(window.map)") == sorted(LAYERS)
    assert log.tiles()
