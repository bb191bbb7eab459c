import pytest
from django.core.management import call_command

from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation, Organisation

pytestmark = pytest.mark.django_db


def test_demo_loads_partnership_and_real_clusters(capsys):
    call_command("demo", "--no-serve")
    output = capsys.readouterr().out
    assert "clusaga-manager" in output and "atclusters-demo-2026" in output
    assert Agency.objects.count() == 6
    assert ClusterOrganisation.objects.count() == 81
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    assert clusaga.agency.slug == "igape" and clusaga.nuts_region_id == "ES11"
    assert clusaga.label == "bronze" and clusaga.year_established == 2010
    assert ClusterOrganisation.objects.get(slug="portugalfoods").agency.slug == "adrave"
    assert ClusterOrganisation.objects.get(slug="addict").city == "Porto"
    assert ClusterOrganisation.objects.get(slug="clag").status == "submitted"
    members = Organisation.objects.filter(memberships__cluster=clusaga)
    assert members.count() == 40 and all(o.is_fictitious for o in members)
    assert members.filter(type="research").exists()
    call_command("demo", "--no-serve")
    assert ClusterOrganisation.objects.count() == 81
