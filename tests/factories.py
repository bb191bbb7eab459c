from dataclasses import dataclass
from datetime import date

import factory
from django.contrib.auth.models import User

from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pass-word-123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    country_id = "ES"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterOrganisation

    slug = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.Sequence(lambda n: f"Cluster {n}")
    agency = factory.SubFactory(AgencyFactory)
    country_id = "ES"
    nuts_region_id = "ES11"
    status = ClusterOrganisation.Status.PUBLISHED


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.SME
    size_class = Organisation.SizeClass.SMALL
    country_id = "ES"
    nuts_region_id = "ES111"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    since = date(2020, 1, 1)


def undertaking_recorded(identifier: str, name: str = "", country: str = "ES"):
    """An undertaking in the state-aid register, through its service."""
    from atclusters.stateaid import services

    return services.undertaking_save(
        actor=None, identifier=identifier, name=name or f"Company {identifier}", country=country
    )[1]


def grant_recorded(undertaking, reference: str, day, euros, **extra):
    """A checked and recorded grant, by default Spanish general de minimis aid from IGAPE."""
    from decimal import Decimal

    from atclusters.stateaid import services

    options = {"member_state": "ES", "granting_authority": "IGAPE", "actor": None, **extra}
    return services.grant_record(
        undertaking=undertaking,
        reference=reference,
        grant_date=day,
        money=services.Money(Decimal(euros)),
        **options,
    )


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


def world_build() -> World:
    """Two agencies, each with clusters, and one user per role (see `World`)."""
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
