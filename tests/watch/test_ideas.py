"""Hontza's chain: a curator turns an item into an idea of its cluster, moves it on to an
opportunity and a project, and names the working group (events) that takes it up; the
cluster's members read it, nobody else."""

import pytest

from atclusters.core.errors import InvalidFields
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.events import services as events
from atclusters.watch import selectors, services
from atclusters.watch.models import Idea, Item
from tests.watch.factories import rss_ingested, source_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    rss_ingested(source_added(world.cluster))
    return Item.objects.get(title__startswith="High-pressure")


@pytest.fixture
def group(world):
    return events.group_save(
        actor=world.staff, agency=world.agency, name="Packaging", goal="Better packaging",
        lead=world.manager, clusters=[world.cluster], source="test",
    )  # fmt: skip


def test_an_item_becomes_an_idea_then_a_project_of_a_working_group(world, item, group):
    idea = services.idea_create(
        actor=world.manager, item=item, title="HPP line shared by three canneries",
        description="Share one line.",
    )  # fmt: skip
    assert (idea.stage, idea.cluster, list(idea.items.all())) == ("idea", world.cluster, [item])
    services.idea_update(actor=world.manager, idea=idea, stage="opportunity")
    services.idea_update(actor=world.manager, idea=idea, stage="project", working_group=group)
    idea.refresh_from_db()
    assert (idea.stage, idea.working_group) == ("project", group)
    changes = AuditEntry.objects.filter(model="watch.idea").values_list("action", flat=True)
    assert sorted(changes) == ["create", "update", "update"]
    # The cluster's members read it; another cluster's manager does not.
    assert list(selectors.ideas(world.rep)) == [idea]
    assert list(selectors.ideas(world.rep, stage="idea")) == []
    assert list(selectors.ideas(world.other_staff)) == []


def test_only_curators_and_only_groups_they_see(world, item, group):
    with pytest.raises(PermissionDenied):
        services.idea_create(actor=world.rep, item=item, title="Mine")
    with pytest.raises(InvalidFields) as refused:
        services.idea_create(
            actor=world.manager, item=item, title=" ", stage="dream", working_group=group
        )
    assert set(refused.value.errors) == {"title", "stage"}
    hidden = events.group_save(
        actor=world.other_staff, agency=world.other_agency, name="Elsewhere", goal="",
        lead=world.other_staff, source="test",
    )  # fmt: skip
    with pytest.raises(InvalidFields) as unseen:
        services.idea_create(actor=world.manager, item=item, title="T", working_group=hidden)
    assert set(unseen.value.errors) == {"working_group"}
    assert not Idea.objects.exists()


def test_the_pages(world, item, group, login):
    client = login(world.manager)
    answer = client.post(
        f"/en/watch/items/{item.pk}/idea/",
        {"title": "Shared HPP line", "stage": "opportunity", "working_group": group.pk},
    )
    assert answer.status_code == 302
    idea = Idea.objects.get()
    page = login(world.rep).get("/en/watch/ideas/")
    assert "Shared HPP line" in page.content.decode() and "Packaging" in page.content.decode()
    assert f'action="/en/watch/ideas/{idea.pk}/stage/"' not in page.content.decode()
    client = login(world.manager)
    client.post(f"/en/watch/ideas/{idea.pk}/stage/", {f"i{idea.pk}-stage": "project"})
    idea.refresh_from_db()
    assert (idea.stage, idea.working_group) == ("project", None)
