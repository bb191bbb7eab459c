"""Working groups (events) as curators and audiences: a group given a source or a topic curates
their items, a bulletin addressed to a group goes to its lead and members only, and both follow
the group's membership as it is now."""

import pytest

from atclusters.core.errors import InvalidFields
from atclusters.core.models import OutgoingEmail
from atclusters.core.permissions import PermissionDenied
from atclusters.events import services as events
from atclusters.watch import permissions, selectors, services
from atclusters.watch.models import Bulletin, Item
from tests.watch.factories import rss_ingested, source_added, topic_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    """Led by the cluster's manager; `nobody`, who has no other part in the cluster, a member."""
    return events.group_save(
        actor=world.staff, agency=world.agency, name="Packaging", goal="Better packaging",
        lead=world.manager, members=[world.nobody], clusters=[world.cluster], source="test",
    )  # fmt: skip


def titles(user) -> list[str]:
    return sorted(item.title[:14] for item in selectors.inbox(user))


def test_a_groups_source_is_curated_by_its_members_while_they_are_members(world, group):
    given = services.source_add(
        actor=world.manager, cluster=world.cluster, name="Packaging news",
        url="https://feeds.example.invalid/packaging", working_group=group,
    )  # fmt: skip
    rss_ingested(given)
    rss_ingested(source_added(world.cluster, name="Other news"), name="atom.xml")
    ours = Item.objects.filter(source=given)
    assert ours.count() == 4 and Item.objects.exclude(source=given).exists()
    # Every item of the group's source, still to review; none of the other source.
    assert titles(world.nobody) == sorted(item.title[:14] for item in ours)
    item = ours.get(title__startswith="High-pressure")
    services.item_curate(actor=world.nobody, item=item, status="validated", rating=4)
    services.comment_add(actor=world.nobody, item=item, body="Worth a visit.")
    item.refresh_from_db()
    assert (item.status, item.rating, item.curated_by) == ("validated", 4, world.nobody)
    other = Item.objects.exclude(source=given).first()
    with pytest.raises(PermissionDenied):
        services.item_curate(actor=world.nobody, item=other, status="validated")
    # Neither sources nor topics nor the cluster's other readings are theirs.
    assert not permissions.managed_sources(world.nobody).exists()
    assert not permissions.can_read(world.nobody, world.cluster)
    # Out of the group, out of the watch at once.
    events.group_save(
        actor=world.staff, agency=world.agency, name="Packaging", goal="Better packaging",
        lead=world.manager, members=[], group=group, source="test",
    )  # fmt: skip
    assert titles(world.nobody) == []
    with pytest.raises(PermissionDenied):
        services.item_curate(actor=world.nobody, item=item, status="rejected")


def test_a_groups_topic_gives_it_the_items_filed_under_it(world, group, login):
    rss_ingested(source_added(world.cluster))
    topic = topic_added(world.cluster, query="trays", working_group=group)
    assert topic.working_group == group
    under = list(Item.objects.filter(matches__topic=topic))
    assert 0 < len(under) < Item.objects.count()
    assert titles(world.nobody) == sorted(item.title[:14] for item in under)
    filed = under[0]
    page = login(world.nobody).get(f"/en/watch/items/{filed.pk}/")
    content = page.content.decode()
    assert f'action="/en/watch/items/{filed.pk}/curate/"' in content
    assert f'action="/en/watch/items/{filed.pk}/idea/"' not in content  # ideas: the cluster's
    answer = login(world.nobody).post(
        f"/en/watch/items/{filed.pk}/curate/", {"status": "rejected", "rating": "2", "tags": ""}
    )
    assert answer.status_code == 302
    assert Item.objects.get(pk=filed.pk).status == "rejected"
    unfiled = Item.objects.exclude(matches__topic=topic).first()
    assert login(world.nobody).get(f"/en/watch/items/{unfiled.pk}/").status_code == 404


def test_a_bulletin_for_a_group_goes_to_its_people_only(world, group):
    rss_ingested(source_added(world.cluster))
    item = Item.objects.get(title__startswith="High-pressure")
    services.item_curate(actor=world.manager, item=item, status="validated")
    services.subscription_set(
        actor=world.rep, user=world.rep, cluster=world.cluster, subscribed=True, language="es"
    )
    services.subscription_set(
        actor=world.manager, user=world.manager, cluster=world.cluster, subscribed=True,
        language="fr",
    )  # fmt: skip
    bulletin = services.bulletin_create(
        actor=world.manager, cluster=world.cluster, title="For the group", items=[item],
        working_group=group,
    )  # fmt: skip
    assert services.bulletin_send(actor=world.manager, bulletin=bulletin) == 2
    emails = {tuple(email.to): email for email in OutgoingEmail.objects.all()}
    assert sorted(emails) == sorted([(world.nobody.email,), (world.manager.email,)])  # no rep
    lead_email = emails[(world.manager.email,)]
    # In the language of the lead's subscription; no unsubscribe link: they get it as members.
    assert "membre du groupe de travail Packaging" in lead_email.body
    assert "/watch/unsubscribe/" not in lead_email.body + lead_email.html
    assert "member of the working group Packaging" in emails[(world.nobody.email,)].body
    # The group reads it; the cluster's members do not.
    assert list(permissions.visible_bulletins(world.nobody)) == [bulletin]
    assert list(permissions.visible_bulletins(world.rep)) == []
    assert bulletin in permissions.visible_bulletins(world.manager)


def test_only_a_group_the_curator_sees(world):
    hidden = events.group_save(
        actor=world.other_staff, agency=world.other_agency, name="Elsewhere", goal="",
        lead=world.other_staff, source="test",
    )  # fmt: skip
    with pytest.raises(InvalidFields) as refused:
        services.source_add(
            actor=world.manager, cluster=world.cluster, name="N",
            url="https://feeds.example.invalid/n", working_group=hidden,
        )  # fmt: skip
    assert set(refused.value.errors) == {"working_group"}
    with pytest.raises(InvalidFields) as refused:
        services.bulletin_create(
            actor=world.manager, cluster=world.cluster, title="T", items=[],
            working_group=hidden,
        )  # fmt: skip
    assert set(refused.value.errors) == {"working_group", "items"}
    assert not Bulletin.objects.exists()
