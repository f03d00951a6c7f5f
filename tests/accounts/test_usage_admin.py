"""The admin's usage page (an inline SVG chart of 30 days) and its CSV export."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.accounts.factories import ApiTokenFactory, UsageDayFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def organization(geog_organization):
    return geog_organization(slug="billed")


@pytest.fixture
def counted(organization):
    """Rows as flushes leave them: two tokens, three families, over two days."""
    token_id = ApiTokenFactory(organization=organization, name="web map").public_id
    today = datetime.now(UTC).date()
    for day, family, count in [
        (today, "tiles", 1200),
        (today, "places", 30),
        (today - timedelta(days=1), "tiles", 800),
        (today - timedelta(days=40), "api", 5),
    ]:
        UsageDayFactory(
            organization_id=organization.pk, token_id=token_id, family=family, day=day, count=count
        )
    UsageDayFactory(
        organization_id=organization.pk, token_id="tok_gone", family="api", day=today, count=2
    )
    return token_id, today


def test_usage_page_draws_30_days_per_family_inline(admin_client, organization, counted):
    response = admin_client.get(f"/admin/accounts/organization/{organization.pk}/usage/")
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('<svg id="usage-chart"')
    svg = page[start : page.index("</svg>", start)]
    lines = dict(re.findall(r'class="usage-(\w+)"[^>]*points="([^"]+)"', svg))
    assert sorted(lines) == ["api", "places", "tiles"]
    assert all(len(points.split()) == 30 for points in lines.values())
    # The busiest day (1200 tiles, today) is the highest point: the smallest y, at the right.
    tiles = [tuple(map(float, point.split(","))) for point in lines["tiles"].split()]
    assert min(tiles, key=lambda point: point[1]) == tiles[-1]
    assert "tiles: 2000 in 30 days" in page
    assert "api: 2 in 30 days" in page
    assert not re.search(r'(src|href)="(https?:)?//', svg)


def test_organization_list_links_to_the_usage_page(admin_client, organization):
    page = admin_client.get("/admin/accounts/organization/").content.decode()
    assert f"/admin/accounts/organization/{organization.pk}/usage/" in page


def test_csv_export_holds_a_row_per_day_and_token_of_the_range(admin_client, organization, counted):
    token_id, today = counted
    start = today - timedelta(days=1)
    response = admin_client.get(
        f"/admin/accounts/organization/{organization.pk}/usage.csv",
        {"from": start.isoformat(), "to": today.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"usage-billed-{start}-{today}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["date", "token_id", "token_name", "tiles", "places", "api"],
        [start.isoformat(), token_id, "web map", "800", "0", "0"],
        *sorted(
            [
                [today.isoformat(), "tok_gone", "", "0", "0", "2"],
                [today.isoformat(), token_id, "web map", "1200", "30", "0"],
            ]
        ),
    ]


def test_csv_export_refuses_a_range_beyond_366_days(admin_client, organization):
    response = admin_client.get(
        f"/admin/accounts/organization/{organization.pk}/usage.csv",
        {"from": "2020-01-01", "to": date(2021, 1, 2).isoformat()},
    )
    assert response.status_code == 400


def test_csv_exports_are_rate_limited_per_staff_user(admin_client, organization, settings):
    settings.ADMIN_USAGE_EXPORT_RATE = "2/m"
    url = f"/admin/accounts/organization/{organization.pk}/usage.csv"
    assert [admin_client.get(url).status_code for _ in range(3)] == [200, 200, 403]


def test_usage_pages_need_a_staff_login(client, organization):
    response = client.get(f"/admin/accounts/organization/{organization.pk}/usage/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
