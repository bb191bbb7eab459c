"""`atclusters services …` as scripts use it: JSON out, exit codes 0 / 1 / 2."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.stateaid.models import Grant, Undertaking
from tests.factories import grant_recorded

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, object]:
    out = StringIO()
    try:
        call_command("services", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    text = out.getvalue()
    return code, json.loads(text) if "--json" in args else text


def test_catalogue_lists_each_service_with_its_prices_and_aid(portfolio):
    code, items = run("catalogue", "--json")
    assert code == 0
    assert items == [
        {"id": portfolio.consultancy.pk, "name": "Consultancy", "provider": "galicia",
         "category": "consulting", "price_eur": 90.0, "member_price_eur": 35.0,
         "aid_treatment": "de-minimis", "aid_value_eur": 55.0},
        {"id": portfolio.workshop.pk, "name": "Workshop", "provider": "food",
         "category": "consulting", "price_eur": 200.0, "member_price_eur": 120.0,
         "aid_treatment": "gber-27", "aid_value_eur": 0.0},
    ]  # fmt: skip
    assert [item["name"] for item in run("catalogue", "--provider", "food", "--json")[1]] == [
        "Workshop"
    ]
    assert run("catalogue", "--provider", "nobody", "--json") == (0, [])


def test_deliver_grants_the_aid_and_reports_it(portfolio):
    code, document = run(
        "deliver", str(portfolio.request.pk), "--date", "2026-03-02", "--units", "7.5", "--json"
    )
    assert code == 0
    grant = Grant.objects.get(reference=f"ATC-SRV-{portfolio.request.pk}")
    assert document == {
        "delivered": True,
        "aid_eur": 412.5,
        "grant_id": grant.pk,
        "headroom_eur": 299587.5,
        "reason": f"aid of EUR 412.50 granted as {grant.reference}",
    }


def test_deliver_without_headroom_exits_1_with_the_headroom(portfolio):
    w = portfolio.world
    undertaking = Undertaking.objects.create(
        identifier=w.member.vat_number, name="Member SME", country="ES", vat=w.member.vat_number
    )
    grant_recorded(undertaking, "EARLIER", date(2025, 6, 1), "299800")
    code, document = run(
        "deliver", str(portfolio.request.pk), "--date", "2026-03-02", "--units", "7.5", "--json"
    )
    assert code == 1
    assert document["delivered"] is False and document["grant_id"] is None
    assert document["aid_eur"] == 412.5 and document["headroom_eur"] == 200.0
    assert "675.00" in document["reason"]  # the unsubsidised price, 90 * 7.5


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--date", "2026-13-01", "--units", "1"], "--date"),
        (["--date", "2026-03-02", "--units", "0"], "--units"),
        (["--date", "2026-03-02", "--units", "many"], "--units"),
    ],
)
def test_bad_input_exits_2_naming_the_field(portfolio, args, field):
    with pytest.raises(CommandError) as error:
        run("deliver", str(portfolio.request.pk), *args, "--json")
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{field}:")
    assert not Grant.objects.filter(reference__startswith="ATC-SRV").exists()


def test_unknown_request_exits_2(portfolio):
    for request_id in ("999999", "abc"):
        with pytest.raises(CommandError) as error:
            run("deliver", request_id, "--date", "2026-03-02", "--units", "1")
        assert error.value.returncode == 2 and str(error.value).startswith("request_id:")


def test_a_delivered_request_is_not_delivered_twice(portfolio):
    assert run("deliver", str(portfolio.request.pk), "--date", "2026-03-02", "--units", "1")[0] == 0
    with pytest.raises(CommandError) as again:
        run("deliver", str(portfolio.request.pk), "--date", "2026-03-02", "--units", "1")
    assert again.value.returncode == 2 and str(again.value).startswith("request_id:")
