import random

import pytest

from atclusters.events import scheduling


def _instance(**overrides):
    document = {
        "slots": ["s1", "s2"],
        "tables": 1,
        "participants": [
            {"id": "a", "available": ["s1", "s2"]},
            {"id": "b", "available": ["s1"]},
            {"id": "c", "available": ["s1", "s2"]},
        ],
        "requests": [{"a": "a", "b": "c"}, {"a": "a", "b": "b"}],
    } | overrides
    return scheduling.instance_read(document)


def test_the_repair_holds_what_first_fit_loses():
    # First-fit puts a–c in s1, the only slot b has; the repair moves it to s2.
    instance = _instance()
    result = scheduling.schedule(instance)
    assert result.greedy_held == 1
    assert result.held == 2
    assert scheduling.conflicts(instance, result.meetings) == []
    assert {(m.a, m.b, m.slot) for m in result.meetings} == {("a", "b", "s1"), ("a", "c", "s2")}


def test_fixed_meetings_keep_their_slot_and_table():
    instance = _instance()
    fixed = [scheduling.Meeting("a", "c", "s1", 1)]
    result = scheduling.schedule(instance, fixed=fixed)
    assert fixed[0] in result.meetings
    assert result.held == 1  # a–b could only be in s1, where a is fixed with c


def test_a_random_conference_is_conflict_free_and_at_least_greedy():
    rng = random.Random(7)
    slots = [f"s{n}" for n in range(8)]
    people = [{"id": f"p{n}", "available": rng.sample(slots, rng.randint(2, 6))} for n in range(60)]
    pairs = set()
    while len(pairs) < 300:
        pairs.add(tuple(sorted(rng.sample(range(60), 2))))
    requests = [{"a": f"p{a}", "b": f"p{b}"} for a, b in sorted(pairs)]
    instance = scheduling.instance_read(
        {"slots": slots, "tables": 12, "participants": people, "requests": requests}
    )
    result = scheduling.schedule(instance)
    assert scheduling.conflicts(instance, result.meetings) == []
    assert result.held >= result.greedy_held
    assert result.document()["requested"] == 300


@pytest.mark.parametrize(
    ("change", "item"),
    [
        ({"requests": [{"a": "a", "b": "zz"}]}, "requests[0].b"),
        ({"requests": [{"a": "a", "b": "b"}, {"a": "b", "b": "a"}]}, "requests[1]"),
        ({"participants": [{"id": "a"}, {"id": "a"}]}, "participants[1].id"),
        ({"slots": ["s1", "s1"]}, "slots[1]"),
        ({"tables": -1}, "tables"),
        ({"participants": [{"id": "a", "available": ["s9"]}]}, "participants[0].available"),
    ],
)
def test_bad_instances_name_the_item(change, item):
    with pytest.raises(scheduling.InstanceError) as caught:
        _instance(**change)
    assert caught.value.item == item
