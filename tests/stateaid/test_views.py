"""The register's pages: overview, undertaking, pre-grant check and recording, exports, the
self-declaration PDF; who may open them; CSRF and escaping of user text."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from atclusters.stateaid import services
from atclusters.stateaid.models import Grant, Restructuring, Undertaking
from tests.core.test_chart_captions import chart_captions
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(world):
    undertaking = undertaking_recorded("B1", "<script>alert(1)</script> Beta")
    today = timezone.localdate()
    grant_recorded(undertaking, "IG-1", today.replace(day=1), 120_000, cluster=world.cluster)
    return undertaking


@pytest.mark.parametrize(
    ("role", "expected"),
    [("nobody", 403), ("manager", 403), ("rep", 403), ("other_staff", 200), ("staff", 200)],
)
def test_overview_permissions(login, world, company, role, expected):
    client = login(getattr(world, role))
    response = client.get("/en/state-aid/")
    assert response.status_code == expected
    if role == "other_staff":  # a French agency does not see Spanish aid
        assert b"IG-1" not in response.content and b"Beta" in response.content


def test_the_undertaking_page_shows_headroom_history_and_escapes_names(login, world, company):
    response = login(world.staff).get("/en/state-aid/undertakings/B1/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Beta" in content
    assert "180,000.00" in content  # general headroom: 300,000 − 120,000
    assert "IG-1" in content and "<svg" in content
    assert login(world.nobody).get("/en/state-aid/undertakings/B1/").status_code == 404


@time_machine.travel(date(2026, 5, 20))
def test_the_staff_charts_say_their_source_unit_and_what_is_incomplete(login, world):
    company = undertaking_recorded("B2", "Beta")
    grant_recorded(company, "IG-1", date(2025, 3, 1), 20_000, cluster=world.cluster)
    grant_recorded(company, "IG-2", date(2026, 4, 1), 10_000, cluster=world.cluster)
    client = login(world.staff)
    overview = chart_captions(client.get("/es/state-aid/").text)
    assert overview == [
        "Fuente: el registro de ayudas de Estado de la agencia (ayuda concedida, en equivalente "
        "de subvención bruta). Por el año de la fecha de concesión. 2026 no ha terminado: su "
        "barra cuenta la ayuda concedida hasta hoy."
    ]
    undertaking = client.get("/fr/state-aid/undertakings/B2/").text
    assert chart_captions(undertaking) == [
        "Source : le registre de minimis de la plateforme. Montants en EUR (équivalent-subvention "
        "brut) enregistrés au 20/05/2026 : l'aide accordée mais pas encore enregistrée manque."
    ]
    assert "2026-04-01" not in undertaking.split("<svg")[1].split("</svg>")[0]  # axis dates


def test_check_then_record_with_csrf(world, company):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    today = timezone.localdate().isoformat()
    query = {
        "undertaking": "B1",
        "grant_date": today,
        "amount": "200000",
        "regulation": "general",
        "member_state": "ES",
    }
    refused = client.get("/en/state-aid/check/", query)
    assert b"Refused" in refused.content and b"180,000.00" in refused.content
    allowed = client.get("/en/state-aid/check/", {**query, "amount": "50000"})
    assert b"Record this grant" in allowed.content
    grant = {**query, "amount": "50000", "reference": "IG-2", "granting_authority": "IGAPE"}
    assert client.post("/en/state-aid/grants/new/", grant).status_code == 403  # no CSRF token
    token = allowed.cookies["csrftoken"].value
    recorded = client.post("/en/state-aid/grants/new/", grant, HTTP_X_CSRFTOKEN=token)
    assert recorded.status_code == 302
    assert Grant.objects.get(reference="IG-2").recorded_by == world.staff
    again = client.post(
        "/en/state-aid/grants/new/",
        {**grant, "reference": "IG-3", "amount": "140000"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert b"exceeds" in again.content and not Grant.objects.filter(reference="IG-3").exists()


def test_exports_and_the_declaration(login, world, company):
    client = login(world.staff)
    xlsx = client.get("/en/state-aid/export/register.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv = client.get("/en/state-aid/export/register.csv").content.decode()
    assert csv.splitlines()[0].startswith("reference,entry,corrects,beneficiary_id")
    assert "IG-1" in csv
    pdf = client.get("/en/state-aid/undertakings/B1/declaration.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(world.rep).get("/en/state-aid/undertakings/B1/declaration.pdf").status_code == 404


def test_a_representative_sees_their_own_undertaking(login, world, company):
    company.organisation = world.member
    company.save()
    response = login(world.rep).get("/en/state-aid/undertakings/B1/")
    assert response.status_code == 200 and b"IG-1" in response.content


def test_correct_revoke_and_mark_reported_from_the_pages(login, world, company):
    client = login(world.staff)
    original = Grant.objects.get(reference="IG-1")
    page = client.get(f"/en/state-aid/grants/{original.pk}/")
    assert page.status_code == 200
    corrected = client.post(
        f"/en/state-aid/grants/{original.pk}/",
        {
            "action": "correct",
            "correct-grant_date": original.grant_date.isoformat(),
            "correct-nominal_amount": "100000",
            "correct-gge_eur": "100000",
            "correct-purpose": "",
            "correct-reason": "signed amount was lower",
        },
    )
    assert corrected.status_code == 302
    correction = Grant.objects.get(corrects=original)
    assert correction.gge_eur == 100_000 and correction.reason == "signed amount was lower"
    # The replaced entry can no longer be changed; another agency's staff cannot change any.
    assert client.get(f"/en/state-aid/grants/{original.pk}/").status_code == 404
    other = login(world.other_staff).get(f"/en/state-aid/grants/{correction.pk}/")
    assert other.status_code == 404
    client = login(world.staff)
    reported = client.post(
        "/en/state-aid/reported/", {"grant": [correction.pk], "reported_on": "2026-11-27"}
    )
    assert reported.status_code == 302
    latest = Grant.objects.get(corrects=correction)
    assert latest.reported_on == date(2026, 11, 27)
    no_reason = client.post(
        f"/en/state-aid/grants/{latest.pk}/", {"action": "revoke", "revoke-reason": ""}
    )
    assert no_reason.status_code == 200 and not Grant.objects.filter(entry="revocation").exists()
    client.post(f"/en/state-aid/grants/{latest.pk}/", {"action": "revoke", "revoke-reason": "x"})
    assert Grant.objects.filter(entry="revocation", corrects=latest).exists()


def test_import_page_is_all_or_nothing(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.staff)
    bad = b"id,name,country\nA,Alpha,ES\nB,,ES\n"
    response = client.post(
        "/en/state-aid/import/",
        {"kind": "undertakings", "file": SimpleUploadedFile("u.csv", bad), "dry_run": ""},
    )
    assert b"nothing was written" in response.content
    assert not Undertaking.objects.filter(identifier="A").exists()
    good = b"id,name,country\nA,Alpha,ES\nB,Beta,ES\n"
    response = client.post(
        "/en/state-aid/import/",
        {"kind": "undertakings", "file": SimpleUploadedFile("u.csv", good), "dry_run": ""},
    )
    assert b"Imported." in response.content and Undertaking.objects.count() == 2
    assert login(world.manager).get("/en/state-aid/import/").status_code == 403


def test_the_undertaking_page_lists_mergers(login, world, company):
    absorbed = undertaking_recorded("Z9", "Zeta")
    services.merger_record(actor=None, absorbing=company, absorbed=absorbed, on=date(2025, 1, 1))
    content = login(world.staff).get("/en/state-aid/undertakings/Z9/").content.decode()
    assert "absorbed Zeta" in content


def test_the_check_page_takes_road_freight_and_names_each_rule(login, world, company):
    # 1407/2013 Art. 3(2): EUR 100,000 for road freight, counted over three fiscal years
    # (2021-01-01 … 2023-06-01 here); nothing of B1 in that period, so 100,000 is the most.
    query = {
        "undertaking": "B1", "grant_date": "2023-06-01", "amount": "100001",
        "regulation": "general", "member_state": "ES", "road_freight": "on",
    }  # fmt: skip
    response = login(world.staff).get("/en/state-aid/check/", query)
    content = response.content.decode()
    assert "Refused" in content and "100,000.00" in content
    assert "1407/2013, Art. 3(2)" in content and "three fiscal years" in content
    assert "2023/2831 Art. 5(1)" in content  # the rule of the cumulation cap


@time_machine.travel("2026-12-07 10:00 +0100", tick=False)
def test_the_check_names_its_date_and_warns_when_it_is_still_to_come(login, world, company):
    query = {"undertaking": "B1", "amount": "1000", "regulation": "general", "member_state": "ES"}
    client = login(world.staff)
    past = client.get("/en/state-aid/check/", {**query, "grant_date": "2026-12-07"}).text
    assert "can be granted on Dec. 7, 2026." in past and "still to come" not in past
    future = client.get("/en/state-aid/check/", {**query, "grant_date": "2027-03-01"}).text
    assert "can be granted on March 1, 2027." in future
    assert "That date is still to come: aid granted before it will count too" in future


def test_foreign_staff_cannot_read_another_member_states_aid_on_the_pages(
    login, world, spanish_group
):
    client = login(world.other_staff)
    page = client.get("/en/state-aid/undertakings/ES-CO/", {"member_state": "ES"})
    assert page.status_code == 404
    check = {
        "undertaking": "ES-CO",
        "grant_date": spanish_group.today.isoformat(),
        "amount": "1000",
        "regulation": "general",
        "member_state": "ES",
    }
    assert client.get("/en/state-aid/check/", check).status_code == 404
    grant = {**check, "reference": "FR-X", "granting_authority": "Région Bretagne"}
    assert client.post("/en/state-aid/grants/new/", grant).status_code == 403
    own = client.get("/en/state-aid/undertakings/ES-CO/").content.decode()
    assert "Headroom on" in own and "(FR)" in own and "ES-2" not in own
    csv = client.get("/en/state-aid/export/register.csv").content.decode()
    assert "FR-1" in csv and "ES-1" not in csv and "ES-2" not in csv


def test_a_split_is_corrected_and_revoked_on_its_page(login, world, spanish_group):
    successor = undertaking_recorded("ES-NEW")
    split = services.split_record(
        actor=world.staff,
        source_undertaking=spanish_group.company,
        on=spanish_group.today,
        successors={"ES-NEW": 1},
    )
    assert spanish_group.headroom() == 205_000
    page = login(world.staff).get("/en/state-aid/undertakings/ES-CO/").content.decode()
    assert f"/en/state-aid/restructurings/{split.pk}/" in page
    url = f"/en/state-aid/restructurings/{split.pk}/"
    foreign = login(world.other_staff).post(url, {"action": "revoke", "revoke-reason": "x"})
    assert foreign.status_code == 403 and spanish_group.headroom() == 205_000
    client = login(world.staff)
    bad = client.post(
        url,
        {
            "action": "correct",
            "correct-date": spanish_group.today.isoformat(),
            "correct-successors": "ES-NEW",
            "correct-reason": "typo",
        },
    )
    assert bad.status_code == 200 and "line 1: write KEY:VALUE" in bad.content.decode()
    corrected = client.post(
        url,
        {
            "action": "correct",
            "correct-date": spanish_group.today.isoformat(),
            "correct-successors": "ES-NEW:1\nES-HOLD:1",
            "correct-reason": "the holding took half",
        },
    )
    assert corrected.status_code == 302
    correction = Restructuring.objects.get(corrects=split)
    assert correction.successors == {"ES-NEW": "1", "ES-HOLD": "1"}
    # 150,000 shared 1 : 1; half goes back to the holding's group.
    assert spanish_group.headroom() == 130_000 and spanish_group.headroom(successor) == 225_000
    assert client.get(url).status_code == 404  # replaced
    revoked = client.post(
        f"/en/state-aid/restructurings/{correction.pk}/",
        {"action": "revoke", "revoke-reason": "no split"},
    )
    assert revoked.status_code == 302 and spanish_group.headroom() == 55_000
    history = client.get("/en/state-aid/undertakings/ES-CO/").content.decode()
    assert "revocation: no split" in history
