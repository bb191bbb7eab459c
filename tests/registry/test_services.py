from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError

from atclusters.core.models import AuditEntry, Term
from atclusters.core.permissions import PermissionDenied
from atclusters.registry import selectors, services
from atclusters.registry.models import Invitation, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_update_records_who_changed_what(world):
    ecosystem = Term.objects.get(kind="ecosystem", slug="agri-food")
    services.cluster_update(
        actor=world.manager,
        cluster=world.cluster,
        data={"city": "Ourense", "ecosystems": [ecosystem]},
    )
    entry = AuditEntry.objects.get(object_pk=str(world.cluster.pk), action="update")
    assert entry.actor == world.manager and entry.model == "registry.clusterorganisation"
    assert entry.changes == {"city": ["", "Ourense"], "ecosystems": [[], [str(ecosystem.pk)]]}


def test_an_update_that_changes_nothing_writes_nothing(world):
    stamp = world.cluster.updated_at
    services.cluster_update(actor=world.staff, cluster=world.cluster, data={"name": "Food Cluster"})
    world.cluster.refresh_from_db()
    assert world.cluster.updated_at == stamp
    assert not AuditEntry.objects.filter(action="update").exists()


def test_descriptions_are_sanitised(world):
    services.cluster_update(
        actor=world.staff,
        cluster=world.cluster,
        data={
            "description_fr": '<p onclick="x()">Bonjour <a href="javascript:alert(1)">lien</a></p><img src=x onerror=alert(1)>'
        },
    )
    world.cluster.refresh_from_db()
    assert (
        world.cluster.description_fr
        == '<p>Bonjour <a rel="noopener noreferrer nofollow">lien</a></p>'
    )


def test_description_falls_back_to_english(world):
    world.cluster.description_en = "<p>Hello</p>"
    world.cluster.description_gl = "<p>Ola</p>"
    assert world.cluster.description("gl") == "<p>Ola</p>"
    assert world.cluster.description("pt") == "<p>Hello</p>"


def test_services_refuse_users_without_rights(world):
    with pytest.raises(PermissionDenied):
        services.cluster_update(actor=world.other_staff, cluster=world.cluster, data={"city": "X"})
    with pytest.raises(PermissionDenied):
        services.cluster_publish(actor=world.manager, cluster=world.draft)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=world.rep, cluster=world.cluster, organisation=world.outsider)


def test_label_dates_must_be_consistent(world):
    with pytest.raises(ValidationError) as error:
        services.cluster_update(
            actor=world.staff,
            cluster=world.cluster,
            data={
                "label": "gold",
                "label_date": date(2024, 5, 1),
                "label_expiry": date(2023, 5, 1),
            },
        )
    assert "label_expiry" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.cluster_update(
            actor=world.staff, cluster=world.cluster, data={"label_date": date(2024, 5, 1)}
        )
    assert "label" in error.value.message_dict


def test_membership_history_and_composition(world):
    large = OrganisationFactory(
        type=Organisation.Type.LARGE, size_class="large", nuts_region_id="ES114"
    )
    uni = OrganisationFactory(
        type=Organisation.Type.UNIVERSITY, size_class="", nuts_region_id="ES111"
    )
    services.membership_add(
        actor=world.manager, cluster=world.cluster, organisation=large, since=date(2022, 1, 1)
    )
    services.membership_add(actor=world.manager, cluster=world.cluster, organisation=uni)
    composition = selectors.cluster_composition(cluster=world.cluster)
    assert composition.total == 3
    assert composition.by_type == [("SME", 1), ("large company", 1), ("university", 1)]
    assert composition.by_region == [("ES11", 3)]
    membership = Membership.objects.get(organisation=large)
    services.membership_end(actor=world.manager, membership=membership, until=date(2024, 6, 30))
    assert selectors.cluster_composition(cluster=world.cluster).total == 2
    rejoined = services.membership_add(
        actor=world.manager, cluster=world.cluster, organisation=large, since=date(2025, 1, 1)
    )
    assert Membership.objects.filter(organisation=large).count() == 2 and rejoined.is_current
    with pytest.raises(ValidationError):
        services.membership_end(actor=world.manager, membership=membership)


def test_membership_cannot_end_before_it_starts(world):
    membership = MembershipFactory(cluster=world.draft, since=date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_end(actor=world.manager, membership=membership, until=date(2023, 1, 1))


def test_organisation_identifier_unique_per_country(world):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=world.staff,
            data={"name": "Copy", "type": "sme", "country_id": "ES", "vat_number": "ESB12345674"},
        )
    assert "has this VAT number" in str(error.value)


def test_invitation_lets_a_person_manage_the_cluster(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=world.staff,
            cluster=world.cluster,
            email="new@example.org",
            base_url="https://atc.example.org/",
        )
    assert mail.outbox[0].to == ["new@example.org"]
    assert f"https://atc.example.org/en/invitations/{invitation.token}/" in mail.outbox[0].body
    with pytest.raises(PermissionDenied, match=r"sent to new@example\.org"):
        services.invitation_accept(invitation=invitation, user=world.nobody)
    EmailAddress.objects.create(user=world.nobody, email="NEW@example.org", verified=False)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=world.nobody)
    EmailAddress.objects.filter(user=world.nobody).update(verified=True)
    services.invitation_accept(invitation=invitation, user=world.nobody)
    assert world.cluster.managers.filter(pk=world.nobody.pk).exists()
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=Invitation.objects.get(pk=invitation.pk), user=world.rep
        )


def test_only_agency_staff_invite(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.manager, cluster=world.cluster, email="x@example.org", base_url="http://x/"
        )
