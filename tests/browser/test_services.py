"""Services in the browser: a member representative requests a subsidised service, the agency's
staff accept and deliver it (the aid goes into the de minimis register), the member rates it;
a second delivery over the ceiling is refused with the headroom; the staff edit the catalogue,
import it and read the uptake charts. The pages pass axe."""

from datetime import date

import pytest
from playwright.sync_api import expect

from atclusters.core.reference import reference_load
from atclusters.registry.models import Organisation
from atclusters.services import services
from atclusters.services.models import Service
from atclusters.stateaid.models import Grant, Undertaking
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_cooperation import log_in
from tests.factories import grant_recorded, world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(transactional_db):
    reference_load()
    world = world_build()
    category = services.category_save(
        actor=None, slug="internationalisation", names={"en": "Internationalisation"}
    )
    services.service_save(
        actor=None, slug="export-readiness", agency=world.agency, category=category,
        values={"name_en": "Export readiness consultancy", "list_price": 90, "member_price": 35,
                "aid_treatment": "de-minimis", "languages": ["es", "en"]},
    )  # fmt: skip
    return world


def test_request_deliver_rate_and_refusal_over_the_ceiling(live_server, browser, portfolio):
    rep = browser.new_context().new_page()
    log_in(rep, live_server.url, "rep")
    rep.goto(f"{live_server.url}/en/services/")
    assert serious_violations(rep) == []
    rep.get_by_role("link", name="Export readiness consultancy").click()
    expect(rep.locator("main")).to_contain_text("EUR 55.00 per unit")
    assert serious_violations(rep) == []
    rep.get_by_label("Units").fill("4")
    rep.get_by_role("button", name="Send the request").click()
    expect(rep.locator("main")).to_contain_text("requested")

    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(f"{live_server.url}/en/services/queue/")
    staff.get_by_role("button", name="Accept").click()
    staff.get_by_label("Delivered on").fill("2026-03-02")
    assert serious_violations(staff) == []
    staff.get_by_role("button", name="Record the delivery").click()
    # (90 - 35) * 4 = 220
    expect(staff.locator("body")).to_contain_text("De minimis aid of EUR 220.00 recorded")
    assert Grant.objects.get(reference__startswith="ATC-SRV").gge_eur == 220

    rep.goto(f"{live_server.url}/en/services/mine/")
    rep.get_by_label("Rating (1–5)").select_option("4")
    rep.get_by_role("button", name="Rate").click()
    expect(rep.locator("main")).to_contain_text("4/5")
    assert serious_violations(rep) == []

    # the single undertaking now has EUR 300,000 - 220 - 299,700 = 80 left
    undertaking = Undertaking.objects.get(organisation__slug="member")
    grant_recorded(undertaking, "BIG", date(2026, 1, 5), "299700")
    rep.goto(f"{live_server.url}/en/services/export-readiness/")
    rep.get_by_label("Units").fill("4")
    rep.get_by_role("button", name="Send the request").click()
    staff.goto(f"{live_server.url}/en/services/queue/")
    staff.get_by_role("button", name="Accept").click()
    staff.get_by_label("Delivered on").fill("2026-03-02")
    staff.get_by_role("button", name="Record the delivery").click()
    expect(staff.locator("body")).to_contain_text("de minimis headroom of EUR 80.00")
    expect(staff.locator("body")).to_contain_text("costs EUR 360.00")  # 90 * 4
    assert Grant.objects.filter(reference__startswith="ATC-SRV").count() == 1


def test_staff_edit_import_and_read_the_charts(live_server, browser, portfolio, tmp_path):
    """The agency's staff add a category, create a service in the form, fix what the services
    layer refuses, import a file (checked first, then written) and read the uptake charts. The
    pages pass axe."""
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "staff")
    staff.goto(f"{live_server.url}/en/services/")
    staff.get_by_role("link", name="Manage services").click()
    assert serious_violations(staff) == []

    staff.get_by_role("link", name="Categories").click()
    staff.get_by_label("identifier").fill("design")
    staff.get_by_label("name (English)").fill("Design")
    staff.get_by_label("name (Galician)").fill("Deseño")
    assert serious_violations(staff) == []
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("main")).to_contain_text("The category was saved.")

    staff.goto(f"{live_server.url}/en/services/manage/new/")
    staff.get_by_label("identifier").fill("packaging-design")
    staff.get_by_label("category").select_option(label="Design")
    staff.get_by_label("name (English)").fill("Packaging design")
    staff.get_by_label("name (Portuguese)").fill("Design de embalagens")
    staff.get_by_label("list price per unit (EUR)").fill("80")
    staff.get_by_label("member price per unit (EUR)").fill("80")
    staff.get_by_label("aid treatment").select_option("de-minimis")
    assert serious_violations(staff) == []
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("main")).to_contain_text("one sold below its list price")
    staff.get_by_label("member price per unit (EUR)").fill("40")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("main")).to_contain_text("The service was saved.")
    expect(staff.locator("main")).to_contain_text("Packaging design")

    upload = tmp_path / "services.csv"
    upload.write_text(
        "slug,provider,category,name_en,list_price,member_price\n"
        "design-sprint,galicia,design,Design sprint,500,250\n"
    )
    staff.get_by_role("link", name="Import services").click()
    staff.get_by_label("file (.csv, .xlsx or .json)").set_input_files(str(upload))
    staff.get_by_role("button", name="Import").click()
    expect(staff.locator("main")).to_contain_text("The file is valid; nothing was written")
    staff.get_by_label("file (.csv, .xlsx or .json)").set_input_files(str(upload))
    staff.get_by_label("check only, write nothing").uncheck()
    staff.get_by_role("button", name="Import").click()
    expect(staff.locator("main")).to_contain_text("Imported.")
    assert serious_violations(staff) == []

    staff.goto(f"{live_server.url}/en/services/uptake/")
    expect(staff.locator("main")).to_contain_text("No service delivered yet: nothing to draw.")
    request = services.request_create(
        actor=None,
        service=Service.objects.get(slug="export-readiness"),
        organisation=Organisation.objects.get(slug="member"),
        units=2,
    )
    services.request_deliver(actor=None, request=request, delivered_on=date(2026, 3, 2), units=2)
    staff.goto(f"{live_server.url}/en/services/uptake/?by=provider")
    expect(staff.locator("svg.line-chart").first).to_be_visible()
    expect(staff.locator("svg.bar-chart")).to_contain_text("110")  # (90 - 35) * 2
    assert serious_violations(staff) == []
