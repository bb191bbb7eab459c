"""Editing on pages for provider staff: services (five languages, eligibility, prices,
capacity, languages, aid treatment under permissions.can_offer), categories and benefit
programmes, each through the services layer; who may open each page; CSRF."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from atclusters.core.audit import AuditEntry
from atclusters.services.models import Programme, Service, ServiceCategory

pytestmark = pytest.mark.django_db


def service_form(world, **changes) -> dict:
    data = {
        "slug": "export-coaching", "provider": f"agency:{world.agency.slug}",
        "provider_kind": "agency", "category": ServiceCategory.objects.get().pk,
        "name_en": "Export coaching", "name_es": "Asesoría exportadora",
        "name_gl": "Asesoría exportadora", "name_pt": "Apoio à exportação",
        "name_fr": "Accompagnement export", "description_en": "Your plan, reviewed.",
        "description_fr": "Votre plan, revu.", "list_price": "90", "member_price": "35",
        "unit": "hour", "capacity_per_month": "40", "languages": ["es", "gl"],
        "eligible_clusters": [world.cluster.pk], "eligible_sizes": ["micro", "small"],
        "eligible_countries": "es, pt", "aid_treatment": "de-minimis", "is_active": "on",
    }  # fmt: skip
    return data | changes


@pytest.fixture
def category(world):
    from atclusters.services import services

    return services.category_save(actor=None, slug="consulting", names={"en": "Consulting"})


def test_pages_answer_by_role(world, category, portfolio, login):
    programme = _programme(world)
    pages = {
        "/en/services/manage/": {"rep": 403, "other_staff": 200, "staff": 200, "admin": 200},
        "/en/services/manage/new/": {"rep": 403, "other_staff": 200, "staff": 200, "admin": 200},
        "/en/services/consultancy/edit/": {
            "rep": 403, "other_staff": 403, "staff": 200, "admin": 200, "manager": 403,
        },
        "/en/services/workshop/edit/": {"rep": 403, "other_staff": 403, "manager": 200},
        "/en/services/categories/": {
            "rep": 403, "other_staff": 200, "staff": 200, "admin": 200, "manager": 403,
        },
        "/en/services/benefits/new/": {
            "rep": 403, "other_staff": 200, "staff": 200, "admin": 200, "manager": 403,
        },
        f"/en/services/benefits/{programme.slug}/edit/": {
            "rep": 403, "other_staff": 403, "staff": 200, "admin": 200, "manager": 403,
        },
    }  # fmt: skip
    for url, expected in pages.items():
        assert login(None).get(url).status_code == 302, url  # to the sign-in page
        for role, status in expected.items():
            assert login(getattr(world, role)).get(url).status_code == status, (url, role)


def test_staff_create_and_edit_a_service_in_five_languages(world, category, login):
    client = login(world.staff)
    answer = client.post("/en/services/manage/new/", service_form(world))
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    service = Service.objects.get(slug="export-coaching")
    assert (service.name_pt, service.description_fr) == ("Apoio à exportação", "Votre plan, revu.")
    assert service.eligible_countries == ["ES", "PT"] and service.languages == ["es", "gl"]
    assert service.capacity_per_month == 40 and service.aid_per_unit() == 55
    assert list(service.eligible_clusters.all()) == [world.cluster]
    page = client.get("/en/services/export-coaching/edit/").content.decode()
    assert "Apoio à exportação" in page and 'value="export-coaching"' in page
    client.post(
        "/en/services/export-coaching/edit/",
        service_form(world, slug="renamed", member_price="40", is_active=""),
    )
    service.refresh_from_db()
    assert service.slug == "export-coaching" and service.member_price == 40
    assert not service.is_active
    assert AuditEntry.objects.filter(source="web", model="services.service").count() == 2


def test_the_services_refusals_come_back_on_the_fields(world, category, login):
    client = login(world.staff)
    page = client.post(
        "/en/services/manage/new/", service_form(world, member_price="95")
    ).content.decode()
    assert "must not be above the list price" in page
    same = client.post(
        "/en/services/manage/new/", service_form(world, member_price="90")
    ).content.decode()
    assert "a de minimis service is one sold below its list price" in same
    assert not Service.objects.exists()


def test_a_cluster_manager_offers_no_de_minimis_aid(world, category, login):
    client = login(world.manager)
    data = service_form(world, provider=f"cluster:{world.cluster.slug}", provider_kind="cluster")
    page = client.post("/en/services/manage/new/", data).content.decode()
    assert "Only the agency&#x27;s staff offer a service as de minimis aid." in page
    assert f"agency:{world.agency.slug}" not in page  # only the clusters they manage
    assert (
        client.post("/en/services/manage/new/", data | {"aid_treatment": "gber-27"}).status_code
        == 302
    )
    assert Service.objects.get().cluster == world.cluster
    # A provider not among the choices is refused by the form.
    assert (
        client.post(
            "/en/services/manage/new/", data | {"slug": "x", "provider": "agency:bretagne"}
        ).status_code
        == 200
    )
    assert Service.objects.count() == 1


def test_categories_are_an_editable_list(world, category, login):
    client = login(world.staff)
    names = {"name_en": "Design", "name_es": "Diseño", "name_gl": "Deseño",
             "name_pt": "Design", "name_fr": "Design"}  # fmt: skip
    assert client.post("/en/services/categories/", {"slug": "design"} | names).status_code == 302
    assert ServiceCategory.objects.get(slug="design").name_gl == "Deseño"
    client.post("/en/services/categories/?edit=design", names | {"name_en": "Product design"})
    assert ServiceCategory.objects.get(slug="design").name_en == "Product design"
    page = client.get("/en/services/categories/").content.decode()
    assert "Product design" in page and "consulting" in page
    empty = client.post("/en/services/categories/", {"slug": "x"}).content.decode()
    assert "This field is required." in empty


def _programme(world) -> Programme:
    from datetime import date

    from atclusters.services import services

    return services.programme_save(
        actor=None, slug="stands", agency=world.agency,
        values={"department": "Internationalisation", "name_en": "Stands",
                "opens_on": date(2026, 1, 1), "closes_on": date(2026, 12, 31),
                "budget_eur": "1000", "rate": "0.5"},
    )  # fmt: skip


def test_staff_create_and_edit_a_programme(world, login):
    client = login(world.staff)
    data = {
        "slug": "vouchers", "agency": world.agency.pk, "department": "Competitiveness",
        "name_en": "Design vouchers", "name_es": "Bonos de diseño", "name_gl": "Bonos de deseño",
        "name_pt": "Vales de design", "name_fr": "Chèques design",
        "how_to_claim_en": "Send the invoice.", "opens_on": "2026-01-01",
        "closes_on": "2026-12-31", "budget_eur": "50000", "rate": "0.5", "max_aid_eur": "3000",
        "aid_treatment": "de-minimis", "eligible_clusters": [world.cluster.pk],
        "eligible_sizes": ["small"], "eligible_countries": "es", "eligible_sectors": "C10, C11",
        "eligible_regions": "ES11", "documents_required": "invoice, offer",
    }  # fmt: skip
    assert client.post("/en/services/benefits/new/", data).status_code == 302
    programme = Programme.objects.get(slug="vouchers")
    assert programme.eligible_sectors == ["C10", "C11"] and programme.eligible_countries == ["ES"]
    assert (
        programme.documents_required == ["invoice", "offer"]
        and programme.name_fr == "Chèques design"
    )
    late = client.post(
        "/en/services/benefits/vouchers/edit/", data | {"closes_on": "2025-12-31"}
    ).content.decode()
    assert "is before opens_on" in late
    client.post("/en/services/benefits/vouchers/edit/", data | {"budget_eur": "60000"})
    programme.refresh_from_db()
    assert programme.budget_eur == 60000
    # Another agency's staff may not give it to their agency, nor edit it.
    other = login(world.other_staff)
    assert other.post("/en/services/benefits/new/", data | {"slug": "x"}).status_code == 200
    assert not Programme.objects.filter(slug="x").exists()


def test_csrf_is_required(world, category):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.staff)
    assert strict.post("/en/services/manage/new/", service_form(world)).status_code == 403
    assert strict.post("/en/services/categories/", {"slug": "x", "name_en": "X"}).status_code == 403
    assert strict.post("/en/services/benefits/new/", {"slug": "x"}).status_code == 403


def test_a_new_record_may_not_take_an_identifier_in_use(world, category, portfolio, login):
    client = login(world.staff)
    page = client.post("/en/services/manage/new/", service_form(world, slug="consultancy"))
    assert "Service with this identifier already exists." in page.content.decode()
    assert Service.objects.get(slug="consultancy").name_en == "Consultancy"
    names = {"slug": "consulting", "name_en": "Renamed"}
    assert client.post("/en/services/categories/", names).status_code == 200
    assert ServiceCategory.objects.get(slug="consulting").name_en == "Consulting"
    spanish = login(world.staff).post(
        "/es/services/manage/new/", service_form(world, slug="consultancy")
    )
    assert "Ya existe" in spanish.content.decode()


def test_a_programmes_maximum_per_claim_is_cleared_by_an_empty_value(world, login):
    from atclusters.services import services

    programme = _programme(world)
    services.programme_save(
        actor=None, slug="stands", agency=world.agency, values={"max_aid_eur": "3000"}
    )
    programme.refresh_from_db()
    assert programme.max_aid_eur == 3000
    for empty in ("", None):
        services.programme_save(
            actor=None, slug="stands", agency=world.agency, values={"max_aid_eur": "3000"}
        )
        services.programme_save(
            actor=None, slug="stands", agency=world.agency, values={"max_aid_eur": empty}
        )
        programme.refresh_from_db()
        assert programme.max_aid_eur is None
    # Left out of the values, it stays as it was.
    services.programme_save(
        actor=None, slug="stands", agency=world.agency, values={"max_aid_eur": "250.5"}
    )
    services.programme_save(actor=None, slug="stands", agency=world.agency, values={})
    programme.refresh_from_db()
    assert programme.max_aid_eur == Decimal("250.50")
    # On the page: the field emptied.
    client = login(world.staff)
    page = client.get("/en/services/benefits/stands/edit/")
    data = {key: value for key, value in page.context["form"].initial.items() if value is not None}
    data |= {
        "slug": "stands", "agency": world.agency.pk, "opens_on": "2026-01-01",
        "closes_on": "2026-12-31", "eligible_clusters": [], "max_aid_eur": "",
        "aid_treatment": "de-minimis", "eligible_sizes": [], "eligible_countries": "",
        "eligible_sectors": "", "eligible_regions": "", "documents_required": "",
    }  # fmt: skip
    assert client.post("/en/services/benefits/stands/edit/", data).status_code == 302
    programme.refresh_from_db()
    assert programme.max_aid_eur is None


def test_texts_longer_than_their_column_are_refused_naming_the_field(world, category):
    from atclusters.services import services

    with pytest.raises(services.ServiceError) as long_name:
        services.service_save(
            actor=None, slug="long", agency=world.agency, category=category,
            values={"name_en": "x" * 201, "list_price": "10", "member_price": "5"},
        )  # fmt: skip
    assert long_name.value.errors == {"name_en": "is longer than 200 characters"}
    _programme(world)
    with pytest.raises(services.ServiceError) as long_fields:
        services.programme_save(
            actor=None, slug="stands", agency=world.agency,
            values={"department": "d" * 121, "name_fr": "n" * 201},
        )  # fmt: skip
    assert long_fields.value.errors == {
        "department": "is longer than 120 characters",
        "name_fr": "is longer than 200 characters",
    }
    with pytest.raises(services.ServiceError) as long_slug:
        services.programme_save(
            actor=None, slug="s" * 101, agency=world.agency,
            values={"department": "D", "name_en": "N", "opens_on": date(2026, 1, 1),
                    "closes_on": date(2026, 2, 1), "budget_eur": "10", "rate": "1"},
        )  # fmt: skip
    assert long_slug.value.field == "slug"
    with pytest.raises(services.ServiceError) as long_category:
        services.category_save(actor=None, slug="consulting", names={"en": "c" * 121})
    assert long_category.value.errors == {"name_en": "is longer than 120 characters"}
    assert Programme.objects.get(slug="stands").department == "Internationalisation"
    assert not Service.objects.filter(slug="long").exists()
