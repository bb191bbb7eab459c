from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.core.services import api_token_create
from atclusters.registry.models import ClusterOrganisation, Organisation
from tests.factories import (
    AgencyFactory,
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load()


@dataclass
class World:
    """Two agencies, each with clusters, and one user per role."""

    agency: Agency
    other_agency: Agency
    cluster: ClusterOrganisation  # published, agency, managed by `manager`
    draft: ClusterOrganisation  # draft, agency, managed by `manager`
    other_cluster: ClusterOrganisation  # published, other agency
    other_draft: ClusterOrganisation  # draft, other agency
    member: Organisation  # current member of `cluster`, represented by `rep`
    outsider: Organisation  # member of `other_draft` only
    admin: User
    staff: User
    other_staff: User
    manager: User
    rep: User
    nobody: User


@pytest.fixture
def world(db) -> World:
    agency, other_agency = (
        AgencyFactory(slug="galicia"),
        AgencyFactory(slug="bretagne", country_id="FR"),
    )
    staff, other_staff = UserFactory(username="staff"), UserFactory(username="other-staff")
    agency.staff.add(staff)
    other_agency.staff.add(other_staff)
    manager, rep = UserFactory(username="manager"), UserFactory(username="rep")
    cluster = ClusterFactory(slug="food", name="Food Cluster", agency=agency)
    draft = ClusterFactory(slug="draft", name="Draft Cluster", agency=agency, status="draft")
    cluster.managers.add(manager)
    draft.managers.add(manager)
    other_cluster = ClusterFactory(
        slug="sea", name="Sea Cluster", agency=other_agency, country_id="FR", nuts_region_id="FRH0"
    )
    other_draft = ClusterFactory(
        slug="hidden",
        name="Hidden Cluster",
        agency=other_agency,
        country_id="FR",
        nuts_region_id="FRH0",
        status="draft",
    )
    member = OrganisationFactory(
        slug="member",
        name="Member SME",
        vat_number="ESB12345674",
        employees=12,
        turnover_eur=900000,
    )
    member.representatives.add(rep)
    MembershipFactory(cluster=cluster, organisation=member, listed_publicly=True)
    outsider = OrganisationFactory(
        slug="outsider", name="Outsider SAS", country_id="FR", nuts_region_id="FRH01", employees=40
    )
    MembershipFactory(cluster=other_draft, organisation=outsider)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return World(
        agency,
        other_agency,
        cluster,
        draft,
        other_cluster,
        other_draft,
        member,
        outsider,
        admin,
        staff,
        other_staff,
        manager,
        rep,
        UserFactory(username="nobody"),
    )


@pytest.fixture
def bearer(world):
    """Authorization headers with a fresh API token of one of the world's users."""

    def for_user(role: str) -> dict[str, str]:
        _token, raw = api_token_create(user=getattr(world, role), name="test")
        return {"Authorization": f"Bearer {raw}"}

    return for_user


@pytest.fixture
def login(client):
    def as_user(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def english_by_default():
    """A request leaves its language active in the thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")
