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
