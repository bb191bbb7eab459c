"""No button leads a role to a page it may not use."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "offered"),
    [("rep", False), ("nobody", False), ("manager", True), ("staff", True)],
)
def test_new_organisation_is_offered_only_to_who_may_create_one(login, world, role, offered):
    client = login(getattr(world, role))
    link = 'href="/en/organisations/new/"'
    assert (link in client.get("/en/organisations/").text) is offered
    assert client.get("/en/organisations/new/").status_code == (200 if offered else 403)
