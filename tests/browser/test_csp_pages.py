"""Pages still work under the Content-Security-Policy (issue 12, finding 7): the public statistics chart is drawn
from static/js/charts.js, a select with data-autosubmit submits its filter, a form with data-confirm asks first
(dismissed: nothing happens; accepted: it submits). The page fixture fails on any CSP violation."""

import pytest
from playwright.sync_api import expect

from delivery.models import Venue
from directory.models import Role
from tests.browser.conftest import login
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_statistics_chart_filters_and_confirmations_work_under_the_policy(
    page, live_server, world, personas, edition_2018
):
    response = page.goto(f"{live_server.url}/statistics/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('years-chart'))")

    package = PackageFactory(town=world.town_a1, agency=qualified_agency(world.agency), round=RoundFactory())
    venue = Venue.objects.create(package=package, name="睦邻活动室", address="十梓街1号", area_m2=40)
    login(page, live_server, personas[Role.AGENCY_MANAGER].username)

    page.goto(f"{live_server.url}/procurement/qualifications/")
    page.select_option("select[name=status]", index=1)
    page.wait_for_url("**/qualifications/?status=*")

    page.goto(f"{live_server.url}/delivery/packages/{package.pk}/venues/")
    row = page.locator(f"tr[data-venue='{venue.pk}']")
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="删除").click()
    page.wait_for_timeout(300)
    assert Venue.objects.filter(pk=venue.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="删除").click()
    expect(page.locator(f"tr[data-venue='{venue.pk}']")).to_have_count(0)
    assert not Venue.objects.filter(pk=venue.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_offline_under_the_policy(page, live_server, personas):
    """Swagger UI draws the API from the schema with nothing fetched from outside this site."""
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    login(page, live_server, personas[Role.AGENCY_MANAGER].username)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("suzhou_sw API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert outside == []
