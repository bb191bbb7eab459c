"""Cluster-policy benchmarking: recording policies (all or nothing, agency staff only), the
side-by-side comparison with aid from the register and the regions' statistics, its pages,
report, command and API."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from atclusters.benchmarking import selectors, services
from atclusters.benchmarking.models import ClusterPolicy
from atclusters.core.errors import InvalidFields
from atclusters.core.permissions import PermissionDenied
from atclusters.stateaid.models import Grant
from atclusters.stateaid.services import grant_revoke
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db

PROGRAMMES = [
    {"name": "Cluster operating support", "instrument": "operating", "budget_eur": "1200000",
     "clusters_supported": 8, "legal_basis": "gber_27", "aid_programme": "Cluster programme",
     "eligibility": "Recognised clusters", "results": {"members reached": 600}},
    {"name": "Innovation vouchers", "instrument": "vouchers", "budget_eur": "300000",
     "clusters_supported": 5, "legal_basis": "de_minimis"},
]  # fmt: skip


def record(world, agency=None, programmes=PROGRAMMES, year=2025, actor=None):
    return services.policy_save(
        actor=actor or world.staff,
        agency=agency or world.agency,
        year=year,
        summary="Yearly support for clusters",
        clusters_recognised=9,
        programmes=programmes,
    )


def test_a_policy_is_saved_whole_or_not_at_all(world):
    record(world)
    bad = [
        {**PROGRAMMES[0], "budget_eur": "-5"},
        {**PROGRAMMES[1], "instrument": "lottery", "clusters_supported": -1},
    ]
    with pytest.raises(InvalidFields) as invalid:
        record(world, programmes=bad)
    assert invalid.value.errors == {
        "programmes[0].budget_eur": "must be an amount in euros, 0 or more",
        "programmes[1].instrument": "must be one of recognition, operating, projects, "
        "vouchers, international, training, other",
        "programmes[1].clusters_supported": "must be a whole number, 0 or more",
    }
    policy = ClusterPolicy.objects.get(agency=world.agency, year=2025)
    assert [p.name for p in policy.programmes.all()] == [
        "Cluster operating support",
        "Innovation vouchers",
    ]
    for user in (world.other_staff, world.manager, world.nobody):
        with pytest.raises(PermissionDenied):
            record(world, actor=user)


def test_comparison_adds_budgets_aid_from_the_register_and_per_cluster_figures(world):
    record(world)
    record(
        world,
        agency=world.other_agency,
        programmes=[{**PROGRAMMES[1], "budget_eur": "500000", "clusters_supported": 4}],
        actor=world.other_staff,
    )
    for number in range(5):
        company = undertaking_recorded(f"ES-B{number}", f"Member {number}")
        grant_recorded(company, f"G-{number}", date(2025, 4, 1), 36_000,
                       programme="Cluster programme")  # fmt: skip
    grant_recorded(company, "G-2024", date(2024, 4, 1), 50_000, programme="Cluster programme")
    comparison = selectors.policy_comparison(year=2025)
    mine, other = (
        next(row for row in comparison["rows"] if row["agency"] == agency)
        for agency in (world.agency, world.other_agency)
    )
    assert mine["budget"] == Decimal(1_500_000)
    assert mine["by_instrument"]["operating"] == Decimal(1_200_000)
    assert mine["clusters_supported"] == 8  # the programme reaching most clusters
    assert mine["budget_per_cluster"] == Decimal(187_500)
    assert mine["aid_recorded"] == Decimal(180_000)  # 2025 only, five undertakings
    assert mine["aid_withheld"] is False and other["aid_recorded"] == 0
    assert mine["legal_bases"] == ["de_minimis", "gber_27"]
    assert other["budget_per_cluster"] == Decimal(125_000)


def test_policy_pages_report_command_and_api(world, login, bearer, tmp_path):
    record(world)
    page = login(world.nobody).get(reverse("benchmarking_policies") + "?year=2025")
    assert page.status_code == 200 and "Cluster operating support" in page.text
    assert 'class="stacked-chart"' in page.text
    edit = reverse("benchmarking_policy_edit", args=[world.agency.slug, 2026])
    # Every signed-in user sees every agency's policy; only its staff change it.
    assert login(world.other_staff).get(edit).status_code == 403
    assert login(world.manager).post(edit, {"summary": "x"}).status_code == 403
    assert (
        login(world.staff)
        .get(reverse("benchmarking_policy_edit", args=["nowhere", 2026]))
        .status_code
        == 404
    )
    form = {
        "summary": "<b>New</b> policy", "clusters_recognised": "3",
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
        "form-0-name": "Vouchers", "form-0-instrument": "vouchers", "form-0-budget_eur": "1000",
        "form-0-clusters_supported": "2", "form-0-legal_basis": "de_minimis",
        "form-0-results": "vouchers = 12\nnot a line",
    }  # fmt: skip
    refused = login(world.staff).post(edit, form)
    assert refused.status_code == 200 and "Line 2: write indicator = value." in refused.text
    saved = login(world.staff).post(edit, {**form, "form-0-results": "vouchers = 12"})
    assert saved.status_code == 302
    policy = ClusterPolicy.objects.get(agency=world.agency, year=2026)
    assert policy.programmes.get().results == {"vouchers": 12.0}
    shown = login(world.nobody).get(reverse("benchmarking_policies") + "?year=2026")
    assert "&lt;b&gt;New&lt;/b&gt; policy" in shown.text
    pdf = login(world.nobody).get(reverse("benchmarking_policies_pdf") + "?year=2025")
    assert pdf.content.startswith(b"%PDF")
    output = tmp_path / "policies.json"
    call_command("benchmarking", "policies", "--year", "2025", "--format", "json", "-o", output)
    document = json.loads(output.read_text())
    assert document["agencies"][0]["budget_eur"] == 1_500_000
    assert document["agencies"][0]["programmes"][0]["results"] == {"members reached": 600}
    api = login(None).get("/api/v1/benchmarking/policies?year=2025", headers=bearer("nobody"))
    assert api.json()["agencies"][0]["budget_per_supported_cluster_eur"] == 187_500
    put = login(None).put(
        f"/api/v1/benchmarking/policies/{world.agency.slug}/2024",
        {"programmes": [{**PROGRAMMES[1], "budget_eur": 10}]},
        content_type="application/json",
        headers=bearer("staff"),
    )
    assert put.status_code == 200 and put.json()["programmes"] == 1
    foreign = login(None).put(
        f"/api/v1/benchmarking/policies/{world.agency.slug}/2024",
        {"programmes": []},
        content_type="application/json",
        headers=bearer("other_staff"),
    )
    assert foreign.status_code == 403
    assert login(None).get("/api/v1/benchmarking/policies?year=2025").status_code == 401


def test_aid_resting_on_fewer_than_five_undertakings_is_withheld_unless_all_of_it_is_public(
    world, login, bearer
):
    """The small-cell rule on the aid recorded under the programmes: every signed-in user reads
    the comparison, and a total of small grants to 1 to 4 undertakings would be their amounts,
    published nowhere (GBER Art. 9 publishes awards above EUR 100,000 only; the de minimis
    central register of 2023/2831 Art. 6 opens in 2026)."""
    record(world)
    record(world, year=2026)
    companies = [undertaking_recorded(f"ES-C{number}") for number in range(5)]
    for number, company in enumerate(companies[:4]):  # 4 × 30,000 de minimis in 2025
        grant_recorded(company, f"DM-{number}", date(2025, 5, 1), 30_000,
                       programme="Cluster programme")  # fmt: skip

    def aid(year):
        row = next(r for r in selectors.policy_comparison(year=year)["rows"])
        return row["aid_recorded"], row["aid_withheld"]

    assert aid(2025) == (None, True)
    page = login(world.nobody).get(reverse("benchmarking_policies") + "?year=2025")
    assert "rests on fewer than 5 undertakings" in page.text and "120,000" not in page.text
    api = login(None).get("/api/v1/benchmarking/policies?year=2025", headers=bearer("nobody"))
    agency = api.json()["agencies"][0]
    assert (agency["aid_recorded_eur"], agency["aid_withheld"]) == (None, True)
    # Above the GBER transparency threshold a grant is published anyway: so is their total.
    grant_recorded(companies[4], "GBER-1", date(2025, 6, 1), 150_001, basis="gber",
                   programme="Cluster programme")  # fmt: skip
    assert aid(2025) == (Decimal(270_001), False)  # now five undertakings
    # One undertaking alone: withheld under GBER up to the threshold, shown above it...
    grant_recorded(companies[0], "GBER-2", date(2026, 2, 1), 100_000, basis="gber",
                   programme="Cluster programme")  # fmt: skip
    assert aid(2026) == (None, True)
    grant_recorded(companies[1], "GBER-3", date(2026, 2, 1), 100_001, basis="gber",
                   programme="Cluster programme")  # fmt: skip
    assert aid(2026) == (None, True)  # two, one of them not public
    # ... and de minimis aid from 2026 is in the public central register.
    for number in (2, 3):
        grant_recorded(companies[number], f"DM-2026-{number}", date(2026, 3, 1), 20_000,
                       programme="Cluster programme")  # fmt: skip
    assert aid(2026) == (None, True)  # the 100,000 GBER award is still not public
    grant_revoke(actor=None, grant=Grant.objects.get(reference="GBER-2"), reason="error")
    assert aid(2026) == (Decimal(140_001), False)  # three undertakings, every grant public
