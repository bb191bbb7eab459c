from atclusters.events import rules


def test_freed_seats_go_to_the_first_waiting():
    assert rules.promotions(capacity=3, confirmed=1, waiting=[7, 4, 9]) == [7, 4]
    assert rules.promotions(capacity=3, confirmed=3, waiting=[7]) == []
    assert rules.promotions(capacity=3, confirmed=5, waiting=[7]) == []  # capacity lowered
    # A newcomer (0) is placed after those waiting: a seat while 2 are free and 1 waits.
    assert rules.promotions(capacity=3, confirmed=1, waiting=[7, 0]) == [7, 0]
    assert rules.promotions(capacity=3, confirmed=2, waiting=[7, 0]) == [7]


def test_completion_is_compared_exactly():
    assert not rules.completed(attended=4, sessions=6, percent=80)  # 66.7 %
    assert rules.completed(attended=5, sessions=6, percent=80)
    assert rules.completed(attended=4, sessions=5, percent=80)  # exactly 80 %
    assert not rules.completed(attended=0, sessions=0, percent=80)
