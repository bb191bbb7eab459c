"""The Member State rule of the register (issue 16): staff read and write only their agencies'
Member States; links, mergers and splits need every Member State they move aid in; an
undertaking's representatives read its aid of every Member State."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.stateaid import permissions, selectors, services
from atclusters.stateaid.models import Restructuring, Undertaking, UndertakingLink
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["french", "portuguese"])
def foreign_staff(request, world, spanish_group):
    return world.other_staff if request.param == "french" else spanish_group.portuguese_staff


def test_foreign_staff_cannot_split_a_spanish_undertaking(spanish_group, foreign_staff):
    with pytest.raises(permissions.NotYourMemberState) as refused:
        services.split_record(
            actor=foreign_staff,
            source_undertaking=spanish_group.company,
            on=spanish_group.today - timedelta(days=10),
            successors={"FR-CO": D(1)},
        )
    assert refused.value.field == "source" and refused.value.member_states == ["ES"]
    assert not Restructuring.objects.exists()
    assert spanish_group.headroom() == 55_000


def test_foreign_staff_cannot_merge_or_link_across_member_states(world, spanish_group):
    french_staff, day = world.other_staff, spanish_group.today - timedelta(days=10)
    company, french = spanish_group.company, spanish_group.french
    for absorbing, absorbed, field in (
        (french, company, "absorbed"),
        (company, french, "absorbing"),
    ):
        with pytest.raises(permissions.NotYourMemberState) as refused:
            services.merger_record(
                actor=french_staff, absorbing=absorbing, absorbed=absorbed, on=day
            )
        assert refused.value.field == field
    with pytest.raises(permissions.NotYourMemberState) as refused:
        services.link_save(
            actor=french_staff, parent=french, child=company, relation="board-majority"
        )
    assert refused.value.field == "child_id"
    # Through a chain: a French undertaking already linked to the Spanish holding.
    subsidiary = undertaking_recorded("FR-SUB", country="FR")
    services.link_save(
        actor=None, parent=spanish_group.holding, child=subsidiary, relation="voting-majority"
    )
    with pytest.raises(permissions.NotYourMemberState):
        services.link_save(
            actor=french_staff, parent=french, child=subsidiary, relation="voting-majority"
        )
    assert not Restructuring.objects.exists() and UndertakingLink.objects.count() == 2
    assert spanish_group.headroom() == 55_000
    # A French undertaking's successor or a link between French undertakings is theirs.
    other = undertaking_recorded("FR-OTHER", country="FR")
    assert (
        services.link_save(
            actor=french_staff, parent=french, child=other, relation="voting-majority"
        )[0]
        == "created"
    )
    with pytest.raises(permissions.NotYourMemberState) as refused:
        services.split_record(
            actor=french_staff, source_undertaking=french, on=day, successors={"ES-CO": D(1)}
        )
    assert refused.value.field == "successor"


def test_spanish_staff_restructure_spanish_undertakings_only(world, spanish_group):
    day = spanish_group.today - timedelta(days=10)
    successor = undertaking_recorded("ES-NEW")
    with pytest.raises(permissions.NotYourMemberState):  # the French successor is France's
        services.split_record(
            actor=world.staff,
            source_undertaking=spanish_group.company,
            on=day,
            successors={"FR-CO": D(1)},
        )
    services.split_record(
        actor=world.staff,
        source_undertaking=spanish_group.company,
        on=day,
        successors={"ES-NEW": D(1)},
    )
    assert spanish_group.headroom() == 205_000  # the holding's 95,000 only
    assert spanish_group.headroom(successor) == 150_000


def test_an_undertaking_is_changed_only_for_its_member_states(world, spanish_group):
    company = spanish_group.company
    with pytest.raises(permissions.NotYourMemberState) as refused:
        services.undertaking_save(
            actor=world.other_staff, identifier="ES-CO", name="Renamed", country="ES"
        )
    assert refused.value.field == "id"
    company.refresh_from_db()
    assert company.name == "Company ES-CO"
    unchanged = services.undertaking_save(
        actor=world.other_staff, identifier="ES-CO", name="Company ES-CO", country="ES"
    )
    assert unchanged[0] == "unchanged"
    # A French agency records a Spanish-registered beneficiary of its own aid.
    created = services.undertaking_save(
        actor=world.other_staff, identifier="ES-NEW", name="Nueva SL", country="ES"
    )
    assert created[0] == "created"
    grant_recorded(
        created[1],
        "FR-2",
        spanish_group.today,
        5_000,
        member_state="FR",
        granting_authority="Région Bretagne",
        actor=world.other_staff,
    )
    assert permissions.register_member_states({created[1].pk}) == {"ES", "FR"}
    for user in (world.manager, world.rep, world.nobody):
        with pytest.raises(PermissionDenied):
            services.undertaking_save(actor=user, identifier="Z", name="Z", country="ES")


def test_foreign_staff_read_only_their_member_states_aid(world, spanish_group):
    company, french_staff = spanish_group.company, world.other_staff
    today = spanish_group.today
    with pytest.raises(permissions.NotVisible):
        selectors.de_minimis_check(
            user=french_staff, undertaking=company, grant_date=today, amount=D(0), member_state="ES"
        )
    with pytest.raises(permissions.NotVisible):
        selectors.headroom(user=french_staff, undertaking=company, on=today, member_state="ES")
    with pytest.raises(permissions.NotVisible):
        selectors.headroom_timeline(
            user=french_staff, undertaking=company, member_state="ES", until=today
        )
    # No Member State named: only French aid counts, not the group's Spanish 245,000.
    cautious = selectors.de_minimis_check(
        user=french_staff, undertaking=company, grant_date=today, amount=D(0)
    )
    assert cautious.counted == 0 and cautious.headroom == 300_000
    assert selectors.aid_of_group(user=french_staff, undertaking=company, on=today)[1] == []
    everything = selectors.de_minimis_check(
        user=None, undertaking=company, grant_date=today, amount=D(0)
    )
    assert everything.counted == 245_000
    assert [
        g.reference
        for g in selectors.aid_of_group(user=world.staff, undertaking=company, on=today)[1]
    ] == ["ES-1", "ES-2"]


def test_representatives_read_their_own_undertakings_aid_of_every_member_state(
    world, spanish_group
):
    company, today = spanish_group.company, spanish_group.today
    with pytest.raises(permissions.NotVisible):
        selectors.headroom(user=world.rep, undertaking=company, on=today, member_state="ES")
    company.organisation = world.member
    company.save()
    spanish = selectors.headroom(user=world.rep, undertaking=company, on=today, member_state="ES")
    assert spanish["general"].headroom == 55_000
    assert selectors.member_state_to_read(user=world.rep, undertaking=company, requested="") == "ES"
    portuguese = selectors.headroom(
        user=world.rep, undertaking=company, on=today, member_state="PT"
    )
    assert portuguese["general"].headroom == 300_000
    with pytest.raises(PermissionDenied):
        services.split_record(
            actor=world.rep, source_undertaking=company, on=today, successors={"FR-CO": D(1)}
        )


def test_a_refused_activity_reference_tells_foreign_staff_nothing(world, spanish_group):
    """The split's activity names grant references: foreign staff are refused before they are
    read, so a reference that exists and one that does not answer alike."""
    for reference in ("ES-2", "NOPE"):
        with pytest.raises(permissions.NotYourMemberState):
            services.split_record(
                actor=world.other_staff,
                source_undertaking=spanish_group.company,
                on=spanish_group.today,
                successors={"FR-CO": D(1)},
                activity={reference: "FR-CO"},
            )
    assert not AuditEntry.objects.filter(model="stateaid.restructuring").exists()
    assert Undertaking.objects.count() == 3
