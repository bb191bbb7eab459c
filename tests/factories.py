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
