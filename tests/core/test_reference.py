import pytest

from atclusters.core.models import Country, NaceActivity, NutsChange, NutsRegion, Term
from atclusters.core.reference import reference_load

pytestmark = pytest.mark.django_db


def test_reference_counts_match_the_sources():
    assert Country.objects.count() == 249
    assert NaceActivity.objects.filter(version="2.1", level=1).count() == 22
    assert NaceActivity.objects.filter(version="2.1", level=2).count() == 87
    assert NaceActivity.objects.filter(version="2.1", level=3).count() == 287
    assert NaceActivity.objects.filter(version="2.1", level=4).count() == 651
    assert Term.objects.filter(kind=Term.Kind.ECOSYSTEM).count() == 14


def test_nace_rev2_is_shipped_beside_rev2_1():
    counts = [
        NaceActivity.objects.filter(version="2", level=level).count() for level in (1, 2, 3, 4)
    ]
    assert counts == [21, 88, 272, 615]
    portals = NaceActivity.objects.get(version="2", code="63.12")
    assert portals.name == "Web portals" and portals.parent.parent.parent.code == "J"
    assert not NaceActivity.objects.filter(version="2.1", code="63.12").exists()


def test_reference_load_is_idempotent():
    before = reference_load()
    assert reference_load() == before


def test_nace_hierarchy_links_class_to_section():
    food_class = NaceActivity.objects.get(version="2.1", code="10.11")
    assert food_class.level == 4
    assert food_class.parent.code == "10.1"
    assert food_class.parent.parent.parent.code == "C"


def test_nuts_versions_keep_old_codes_resolvable():
    galicia = NutsRegion.objects.get(code="ES11")
    assert galicia.name == "Galicia" and galicia.versions == [2016, 2021, 2024]
    assert galicia.parent.code == "ES1" and galicia.parent.parent.code == "ES"
    wales = NutsRegion.objects.get(code="UKL")
    assert wales.name == "Wales" and wales.versions == [2016]
    assert NutsRegion.objects.get(code="EL").name == "Greece"


def test_nuts_2021_to_2024_changes_are_loaded():
    change = NutsChange.objects.get(code_2021="BE31", code_2024="BE31")
    assert change.change == "Name change"
    assert NutsChange.objects.filter(level=3).count() > 50


def test_migrate_creating_the_core_tables_loads_the_reference_data():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from atclusters.core.reference import reference_load_on_first_migrate

    first = MigrationLoader(connection).get_migration("core", "0001_initial")
    later = MigrationLoader(connection).get_migration("core", "0005_site_pages")
    Term.objects.filter(slug="agri-food").delete()
    reference_load_on_first_migrate(plan=None)  # a flush between tests
    reference_load_on_first_migrate(plan=[(later, False)])  # a later migration on a live site
    assert not Term.objects.filter(slug="agri-food").exists()
    reference_load_on_first_migrate(plan=[(first, False)])  # a fresh install
    assert Term.objects.get(slug="agri-food").names["es"] == "Agroalimentario"
