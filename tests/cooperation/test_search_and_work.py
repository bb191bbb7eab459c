"""Cooperation in the site search and in "My work" (CooperationConfig.search and .my_work):
postings only where the reader may see them (not awaiting moderation, rejected or closed for
others), initiatives for everyone; My work lists the user's postings, the postings they
answered and the initiatives they lead or take part in."""

import pytest
from django.urls import reverse

from atclusters.cooperation import services
from atclusters.core.models import NaceActivity

pytestmark = pytest.mark.django_db

TITLE = "Partner for seafood packaging"


def posting(world):
    return services.posting_create(
        actor=world.manager,
        author=world.cluster,
        data={"kind": "request", "title": TITLE, "language": "en",
              "description": "A packaging cluster for a joint project on recyclable trays."},
        sectors=[NaceActivity.objects.get(code="10", version="2")],
    )  # fmt: skip


def found(login, user, query: str) -> str:
    return login(user).get(reverse("site_search"), {"q": query}).text


def test_a_posting_awaiting_moderation_is_found_by_its_authors_and_moderators_only(login, world):
    pending = posting(world)
    for user in (None, world.nobody, world.rep, world.other_staff):
        assert TITLE not in found(login, user, "seafood"), user
    for user in (world.manager, world.staff, world.admin):
        assert TITLE not in found(login, user, "nothing like it")
        page = found(login, user, "recyclable trays")  # its text too, not only its title
        assert f'<a href="/en/partner-search/{pending.pk}/">{TITLE}</a>' in page, user
    services.posting_moderate(actor=world.staff, posting=pending, publish=True)
    assert TITLE in found(login, None, "seafood")
    services.posting_close(actor=world.manager, posting=pending)
    assert TITLE not in found(login, world.nobody, "seafood")
    assert TITLE in found(login, world.manager, "seafood")


def test_initiatives_are_found_by_name_and_goals(login, world):
    services.initiative_save(
        actor=world.staff, agency=world.agency, name="Atlantic Blue Food",
        members=[world.cluster, world.other_cluster], goals="Joint trade missions to Canada",
    )  # fmt: skip
    for query in ("blue food", "canada"):
        page = found(login, None, query)
        assert '<a href="/en/cooperation/initiatives/#atlantic-blue-food">' in page, query


def test_my_work_lists_own_postings_answers_and_initiatives(login, world):
    published = posting(world)
    services.posting_moderate(actor=world.staff, posting=published, publish=True)
    services.interest_express(
        actor=world.rep, posting=published, message="We make trays.", base_url="http://x/"
    )
    services.initiative_save(
        actor=world.staff, agency=world.agency, name="Atlantic Blue Food",
        members=[world.cluster, world.other_cluster],
    )  # fmt: skip
    dashboard = reverse("dashboard")
    manager = login(world.manager).get(dashboard).text
    assert "My postings" in manager and TITLE in manager  # written for the cluster they manage
    assert "Atlantic Blue Food" in manager  # their cluster takes part
    rep = login(world.rep).get(dashboard).text
    assert "Postings I answered" in rep and TITLE in rep and "My postings" not in rep
    staff = login(world.staff).get(dashboard).text
    assert "Initiatives I lead or take part in" in staff and TITLE not in staff
    for user in (world.other_staff, world.nobody):
        page = login(user).get(dashboard).text
        assert 'id="cooperation-work"' not in page and "Atlantic Blue Food" not in page
    # a posting closed since is no longer the reader's to see: the answer leaves My work too
    services.posting_close(actor=world.manager, posting=published)
    assert TITLE not in login(world.rep).get(dashboard).text
