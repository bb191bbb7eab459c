"""The cluster profile signed in costs a bounded number of queries, whatever the number of
members, and asks for the reader's roles once (it asked a dozen times: each permission check
read the user's agencies and managed clusters again)."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ("staff", "manager", "rep")
# Session, user, the user's agencies and managed clusters, the cluster, its members (and their
# composition, regions and activities), agreements, statistics, the JSON-LD's terms and the
# profile's facts; agency staff and managers also read the organisations to add as members.
MOST_QUERIES = {"staff": 30, "manager": 30, "rep": 26}


def profile_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cluster_detail", args=["food"])).status_code == 200
    return [query["sql"] for query in captured]


def test_signed_in_profile_queries_do_not_grow_with_members_nor_repeat(world, login):
    def counts() -> dict[str, int]:
        found = {}
        for role in ROLES:
            sqls = profile_queries(login(getattr(world, role)))
            repeated = [sql for sql, times in Counter(sqls).items() if times > 1]
            assert repeated == [], role
            found[role] = len(sqls)
        return found

    few = counts()
    for _ in range(40):
        MembershipFactory(cluster=world.cluster, listed_publicly=True)
    assert counts() == few
    assert all(few[role] <= MOST_QUERIES[role] for role in ROLES), few
