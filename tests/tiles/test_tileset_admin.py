import json
import re
import time

import jwt
import pytest

from accounts.models import ApiToken, Organization
from accounts.services import api_token_revoke
from accounts.tokens import SHORT_LIVED_PREFIX
from tiles.preview_tokens import PREVIEW_ORGANIZATION_SLUG

pytestmark = pytest.mark.django_db

PAGE = "/admin/tiles/tileset/"


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="mapper", password="x", is_staff=True)
    client.force_login(user)
    return client


def _preview_config(response) -> dict:
    match = re.search(
        r'<script id="tileset-preview-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page embeds no preview configuration"
    return json.loads(match.group(1))


def test_tilesets_page_lists_every_tileset_with_size_and_tile_count(staff_client, mixed_tileset):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert sorted(rows) == ["lyon", "parks", "plain", "roads"]
    assert rows["roads"].tile_count == 85
    assert rows["parks"].tile_count == 21
    assert rows["parks"].format == "mbtiles (pbf, gzip)"
    assert rows["lyon"].file_size == mixed_tileset.stat().st_size
    assert (rows["lyon"].minzoom, rows["lyon"].maxzoom) == (0, 8)
    page = response.content.decode()
    assert 'href="/admin/tiles/tileset/?tileset=roads"' in page
    assert "0\u20133" in page


def test_tilesets_page_previews_the_chosen_tileset_through_the_public_style_url(
    staff_client, mixed_tileset
):
    config = _preview_config(staff_client.get(PAGE, {"tileset": "lyon"}))
    assert config["tileset"] == "lyon"
    assert config["styleUrl"] == "http://testserver/v1/tiles/lyon/style.json"
    assert config["apiOrigin"] == "http://testserver"
    assert config["bounds"] == [[4.8, 44.8], [6.3, 47.32]]


def test_tilesets_page_clamps_world_bounds_to_web_mercator(staff_client, tilesets_dir):
    config = _preview_config(staff_client.get(PAGE, {"tileset": "roads"}))
    assert config["bounds"] == [[-180.0, -85.0], [180.0, 85.0]]


def test_tilesets_page_previews_the_first_tileset_when_none_or_an_unknown_one_is_asked(
    staff_client, tilesets_dir
):
    assert _preview_config(staff_client.get(PAGE))["tileset"] == "parks"
    assert _preview_config(staff_client.get(PAGE, {"tileset": "oceans"}))["tileset"] == "parks"


def test_preview_token_is_short_lived_and_reads_tiles_only(staff_client, tilesets_dir, settings):
    settings.TILES_PREVIEW_TOKEN_SECONDS = 300
    before = int(time.time())
    config = _preview_config(staff_client.get(PAGE))
    claims = jwt.decode(config["token"], options={"verify_signature": False})
    assert claims["sub"].startswith(SHORT_LIVED_PREFIX)
    assert claims["scope"] == "tiles:read"
    assert before + 300 <= claims["exp"] <= int(time.time()) + 300
    organization = Organization.objects.get(pk=claims["org_id"])
    assert (organization.slug, organization.tier) == (PREVIEW_ORGANIZATION_SLUG, "unlimited")
    # Its parent is one internal tiles:read token of that organization, whose JWT was never
    # kept: only the child reaches the page, and it ends when the parent is revoked.
    parent = ApiToken.objects.get()
    assert (parent.public_id, parent.organization_id, parent.scope) == (
        claims["parent"],
        organization.pk,
        "tiles:read",
    )


def test_preview_token_reads_the_style_and_tiles_but_nothing_else(
    staff_client, client, tilesets_dir
):
    token = _preview_config(staff_client.get(PAGE))["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/v1/tiles/roads/style.json", **headers).status_code == 200
    assert client.get("/v1/tiles/roads/1/0/0.mvt", **headers).status_code == 200
    assert client.get("/v1/tokens", **headers).status_code == 403


def test_each_page_view_gets_its_own_token_of_one_preview_organization(staff_client, tilesets_dir):
    first = _preview_config(staff_client.get(PAGE))["token"]
    second = _preview_config(staff_client.get(PAGE))["token"]
    assert first != second
    assert Organization.objects.filter(slug=PREVIEW_ORGANIZATION_SLUG).count() == 1
    assert ApiToken.objects.count() == 1


def test_revoking_the_internal_parent_ends_the_page_token(staff_client, client, tilesets_dir):
    token = _preview_config(staff_client.get(PAGE))["token"]
    api_token_revoke(api_token=ApiToken.objects.get())
    response = client.get("/v1/tiles/roads/1/0/0.mvt", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    fresh = _preview_config(staff_client.get(PAGE))["token"]
    assert (
        client.get("/v1/tiles/roads/1/0/0.mvt", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code
        == 200
    )


def test_tilesets_page_is_never_cached(staff_client, tilesets_dir):
    cache_control = staff_client.get(PAGE)["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_tilesets_page_without_tilesets_says_so_and_mints_no_token(
    staff_client, settings, tmp_path
):
    settings.TILESETS_DIR = tmp_path
    settings.TILESETS_RESCAN_SECONDS = 0
    response = staff_client.get(PAGE)
    assert "No tilesets in the tilesets directory." in response.content.decode()
    assert "tileset-preview-config" not in response.content.decode()
    assert not Organization.objects.filter(slug=PREVIEW_ORGANIZATION_SLUG).exists()


def test_tilesets_page_says_how_to_install_maplibre_when_it_is_missing(
    staff_client, tilesets_dir, settings
):
    settings.STATICFILES_DIRS = []
    page = staff_client.get(PAGE).content.decode()
    assert "MapLibre GL JS is not installed" in page
    assert "tileset-preview-config" not in page


def test_tilesets_page_loads_maplibre_from_this_service(staff_client, tilesets_dir):
    page = staff_client.get(PAGE).content.decode()
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page)
    stylesheets = re.findall(r'<link rel="stylesheet"[^>]* href="([^"]+)"', page)
    assert "/static/maplibre-gl/maplibre-gl.js" in scripts
    assert "/static/maplibre-gl/maplibre-gl.css" in stylesheets
    assert all(url.startswith("/static/") for url in scripts + stylesheets)


def test_tilesets_page_sends_visitors_to_the_login(client, tilesets_dir):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_tilesets_page_is_for_staff_only(client, tilesets_dir, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="customer", password="x"))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_index_links_to_the_tilesets_page(staff_client, tilesets_dir):
    assert 'href="/admin/tiles/tileset/"' in staff_client.get("/admin/").content.decode()


def test_preview_token_never_outlives_the_longest_exchanged_token(
    staff_client, tilesets_dir, settings
):
    settings.TILES_PREVIEW_TOKEN_SECONDS = 86400
    claims = jwt.decode(
        _preview_config(staff_client.get(PAGE))["token"], options={"verify_signature": False}
    )
    assert claims["exp"] - claims["iat"] == 14400
