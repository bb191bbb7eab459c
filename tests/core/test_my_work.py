"""My work: the kernel's page gathers each domain's part (DomainConfig.my_work)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_role_sees_the_registrys_part_that_concerns_it(login, world):
    staff = login(world.staff).get(reverse("dashboard")).text
    assert "Agency staff" in staff and "Clusters I manage" not in staff
    manager = login(world.manager).get(reverse("dashboard")).text
    assert "Clusters I manage" in manager and "Agency staff" not in manager
    rep = login(world.rep).get(reverse("dashboard")).text
    assert "Organisations I represent" in rep and "Member SME" in rep


def test_it_asks_to_sign_in_and_stays_out_of_search_engines(client, world):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    robots = client.get("/robots.txt").text
    assert "Disallow: /es/dashboard/" in robots and "Disallow: /es/import/" in robots
