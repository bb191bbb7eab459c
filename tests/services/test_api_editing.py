"""Editing the catalogue and the programmes through the API: PUT creates (201) or replaces
(200), through the services layer, with the pages' rules."""

import pytest

from atclusters.services.models import Programme, Service, ServiceCategory

pytestmark = pytest.mark.django_db


def service_body(**changes) -> dict:
    return {
        "provider": "galicia", "category": "consulting", "name_en": "Export coaching",
        "name_pt": "Apoio à exportação", "description_fr": "Votre plan, revu.",
        "list_price": "90", "member_price": "35", "unit": "hour", "capacity_per_month": 40,
        "languages": ["es", "gl"], "eligible_clusters": ["food"],
        "eligible_sizes": ["micro"], "eligible_countries": ["es"],
        "aid_treatment": "de-minimis",
    } | changes  # fmt: skip


def put(client, bearer, role, path, body):
    return client.put(
        f"/api/v1/services/{path}", body, content_type="application/json", headers=bearer(role)
    )


def test_categories_and_services_created_then_replaced(world, client, bearer):
    names = {"name_en": "Consulting", "name_gl": "Consultoría"}
    assert put(client, bearer, "staff", "categories/consulting", names).status_code == 201
    assert put(client, bearer, "manager", "categories/consulting", names).status_code == 403
    assert ServiceCategory.objects.get().name_gl == "Consultoría"
    created = put(client, bearer, "staff", "catalogue/coaching", service_body())
    assert created.status_code == 201, created.json()
    assert created.json()["aid_value_eur"] == 55.0
    service = Service.objects.get(slug="coaching")
    assert service.name_pt == "Apoio à exportação" and service.eligible_countries == ["ES"]
    assert list(service.eligible_clusters.values_list("slug", flat=True)) == ["food"]
    replaced = put(client, bearer, "staff", "catalogue/coaching", service_body(member_price="40"))
    assert replaced.status_code == 200 and replaced.json()["member_price_eur"] == 40.0
    assert (
        put(client, bearer, "other_staff", "catalogue/coaching", service_body()).status_code == 403
    )


def test_refusals_name_the_field(world, client, bearer):
    put(client, bearer, "staff", "categories/consulting", {"name_en": "Consulting"})
    above = put(client, bearer, "staff", "catalogue/x", service_body(member_price="95"))
    assert above.status_code == 422 and "member_price" in str(above.json())
    for field, value in (("provider", "nowhere"), ("category", "cooking"),
                         ("eligible_clusters", ["nowhere"]), ("languages", ["xx"])):  # fmt: skip
        answer = put(client, bearer, "staff", "catalogue/x", service_body(**{field: value}))
        assert answer.status_code == 422 and field in str(answer.json()), field
    # A cluster's manager offers the cluster's service, not as de minimis aid.
    mine = service_body(provider="food")
    assert put(client, bearer, "manager", "catalogue/x", mine).status_code == 403
    ok = put(client, bearer, "manager", "catalogue/x", mine | {"aid_treatment": "gber-27"})
    assert ok.status_code == 201
    assert not Service.objects.exclude(slug="x").exists()


def test_programmes_created_then_replaced(world, client, bearer):
    body = {
        "agency": "galicia", "department": "Internationalisation", "name_en": "Stands",
        "opens_on": "2026-01-01", "closes_on": "2026-12-31", "budget_eur": "60000",
        "rate": "0.5", "max_aid_eur": "3000", "eligible_sectors": ["C10"],
        "documents_required": ["invoice"],
    }  # fmt: skip
    assert put(client, bearer, "staff", "programmes/stands", body).status_code == 201
    assert put(client, bearer, "other_staff", "programmes/stands", body).status_code == 403
    again = put(client, bearer, "staff", "programmes/stands", body | {"budget_eur": "70000"})
    assert again.status_code == 200 and again.json()["agency"] == "galicia"
    assert Programme.objects.get().budget_eur == 70000
    late = put(client, bearer, "staff", "programmes/stands", body | {"closes_on": "2025-01-01"})
    assert late.status_code == 422 and "closes_on" in str(late.json())
