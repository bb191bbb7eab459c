"""Agency-defined cluster categories and region groups, and ratings with them."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core.permissions import PermissionDenied
from atclusters.mapping import services
from atclusters.mapping.models import CategoryScheme, RegionGroup
from atclusters.mapping.selectors import local_categories
from atclusters.mapping.statfiles import StatFileError
from tests.mapping.test_statistics_pages import FIGURES

pytestmark = pytest.mark.django_db


def save(categories, actor=None, owner=None):
    return services.category_scheme_save(
        actor=actor, slug="mine", name="Mine", categories=categories, owner=owner
    )


def test_a_scheme_of_categories_is_stored_with_normalised_codes():
    scheme = save(
        [
            {"code": "food", "name": "Food", "industries": ["C10", "C11", "01.1"]},
            {"code": "services", "name": "Services", "industries": ["G-I", "J"]},
        ]
    )
    assert dict(scheme.categories.values_list("code", "industries")) == {
        "food": ["10", "11", "01.1"],
        "services": ["G-I", "J"],
    }


@pytest.mark.parametrize(
    ("industries", "message"),
    [
        (["C", "10"], "C and 10 overlap"),
        (["B-E", "C10-C12"], "B-E and C10-C12 overlap"),
        (["01", "01.1"], "01 and 01.1 overlap"),
        (["ZZ"], "'ZZ' is not a NACE Rev. 2 code"),
    ],
)
def test_bad_or_overlapping_industries_store_nothing(industries, message):
    categories = [
        {"code": "ok", "name": "Fine", "industries": ["A"]},
        {"code": "bad", "name": "Bad", "industries": industries},
    ]
    with pytest.raises(StatFileError) as raised:
        save(categories)
    assert any(p.line == 3 and message in p.message for p in raised.value.problems)
    assert not CategoryScheme.objects.exists()


def test_agency_staff_keep_their_own_schemes(world):
    save([{"code": "a", "name": "A", "industries": ["A"]}], actor=world.staff, owner=world.agency)
    for actor, owner in ((world.staff, world.other_agency), (world.manager, world.agency)):
        with pytest.raises(PermissionDenied):
            save([{"code": "a", "name": "A", "industries": ["A"]}], actor=actor, owner=owner)


def test_ratings_with_a_stored_scheme_and_a_region_group(tmp_path, capsys):
    services.dataset_import(
        actor=None, content=FIGURES.encode(), file_name="f.csv", fmt="tidy-csv", slug="figures"
    )
    schemes = tmp_path / "schemes.csv"
    schemes.write_text("code,name,industries\nprimary,Primary sector,A\n", encoding="utf-8")
    call_command("mapping", "categories", str(schemes), "--scheme", "mine", "--name", "Mine")
    call_command("mapping", "region-group", "spain", "--name", "Spain", "--regions", "ES")
    capsys.readouterr()
    call_command(
        "mapping", "ratings", "--dataset", "figures", "--year", "2015", "--level", "2",
        "--categories", "mine", "--base", "spain", "--json",
    )  # fmt: skip
    rows = {row["region"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    # Against Spain alone the primary sector's share is 100 / 1000: ES11's 0.5 is an LQ of 5.
    assert rows["ES11"]["category"] == "primary" and rows["ES11"]["lq"] == pytest.approx(5.0)
    with pytest.raises(CommandError, match="unknown region group 'nowhere'"):
        call_command(
            "mapping", "ratings", "--dataset", "figures", "--year", "2015", "--level", "2",
            "--base", "nowhere",
        )  # fmt: skip


def test_region_groups_name_real_regions():
    with pytest.raises(StatFileError, match="'XX9' is not a NUTS code"):
        services.region_group_save(actor=None, slug="g", name="G", regions=["ES11", "XX9"])
    group = services.region_group_save(
        actor=None, slug="atlantic", name="Atlantic Area", regions=["es11", "PT11", "IE05"]
    )
    assert group.regions == ["ES11", "IE05", "PT11"] and RegionGroup.objects.count() == 1


def test_the_us_benchmark_categories_in_nace_load_and_rate_class_level_figures():
    from atclusters.mapping.demo import us_cmp_categories_load
    from atclusters.mapping.selectors import rating_set, stored_ratings

    scheme, _naics = us_cmp_categories_load()
    categories = dict(scheme.categories.values_list("code", "industries"))
    assert len(categories) == 67 and sum(map(len, categories.values())) == 561
    assert "30.30" in categories["aerospace-vehicles-and-defense"]
    assert "10.11" in categories["livestock-processing"]
    dataset = services.dataset_import(
        actor=None,
        content=(
            b"region,industry,year,employment\n"
            b"ES,TOTAL,2021,1000\nES,C3030,2021,10\nES,C2910,2021,20\n"
            b"ES11,TOTAL,2021,100\nES11,C3030,2021,5\nES12,TOTAL,2021,100\nES12,C2910,2021,4\n"
        ),
        file_name="sbs.csv",
        fmt="tidy-csv",
        slug="sbs",
    )
    # The import computed and stored the ratings in every scheme (the immediate task backend).
    stored = rating_set(dataset, scheme="us-cmp-nace2")
    assert stored is not None and stored.status == "done" and stored.dataset_revision == 1
    table = stored_ratings(stored, year=2021, level=2)
    aerospace = table[table.category == "aerospace-vehicles-and-defense"].set_index("region")
    # (5 / 100) / (10 / 1000) = 5.
    assert aerospace.loc["ES11", "lq"] == pytest.approx(5.0)
    automotive = table[table.category == "automotive"].set_index("region")
    assert automotive.loc["ES12", "employment"] == 4


def test_codes_and_names_that_do_not_fit_are_refused():
    with pytest.raises(StatFileError) as raised:
        save([{"code": "c" * 81, "name": "n" * 201, "industries": ["A"]}])
    assert {(p.line, p.column) for p in raised.value.problems} == {(2, "code"), (2, "name")}


def test_categories_are_traded_unless_marked_local(tmp_path):
    schemes = tmp_path / "kinds.csv"
    schemes.write_text(
        "code,name,industries,kind\nfarm,Farming,A,\nshops,Shops,G-I,Local\n", encoding="utf-8"
    )
    call_command("mapping", "categories", str(schemes), "--scheme", "kinds", "--name", "Kinds")
    stored = CategoryScheme.objects.get(slug="kinds").categories
    assert dict(stored.values_list("code", "kind")) == {"farm": "traded", "shops": "local"}
    assert local_categories("kinds") == {"shops"} and local_categories("a10") == set()
    with pytest.raises(StatFileError) as raised:
        save([{"code": "x", "name": "X", "industries": ["A"], "kind": "export"}])
    assert [(p.line, p.column) for p in raised.value.problems] == [(2, "kind")]


def test_the_us_benchmark_schemes_mark_their_local_clusters():
    from atclusters.mapping.demo import us_cmp_categories_load

    nace, naics = us_cmp_categories_load()
    # clustermapping.us: 51 traded and 16 local cluster categories (the NAICS table also has
    # its unassigned private households, code 814110, which the source marks local).
    assert nace.categories.filter(kind="local").count() == 16
    assert nace.categories.filter(kind="traded").count() == 51
    assert "local-health-services" in local_categories("us-cmp-nace2")
    assert "automotive" not in local_categories("us-cmp-naics2012")
    assert naics.categories.filter(kind="local").count() == 17


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"code,name,industries,Name\nprimary,Primary,A,Other\n", "appear more than once"),
        (b"code,name,industries\nprimary,Pri\x00mary,A\n", "line 2, name: contains the NUL"),
    ],
)
def test_the_categories_command_refuses_hostile_files(tmp_path, content, problem):
    schemes = tmp_path / "schemes.csv"
    schemes.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("mapping", "categories", str(schemes), "--scheme", "mine", "--name", "Mine")
    assert refused.value.returncode == 2 and problem in str(refused.value)
    assert not CategoryScheme.objects.exists()
