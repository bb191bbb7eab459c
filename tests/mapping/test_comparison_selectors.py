"""The comparison page's computations, out of the view: which years it offers and opens on,
and the table of one year."""

import pandas as pd

from atclusters.mapping import selectors


def history() -> pd.DataFrame:
    rows = [
        (2020, "ES11", "food", 1.2),
        (2020, "PT11", "food", 0.8),
        (2020, "FRH0", "food", 1.0),
        (2021, "ES11", "food", 1.3),
        (2021, "PT11", "food", 0.9),
        (2021, "FRH0", "sea", 2.1),
        (2022, "ES11", "food", 1.4),
    ]
    return pd.DataFrame(rows, columns=["year", "region", "category", "lq"])


def test_the_default_years_are_the_complete_ones_with_most_regions():
    years, fullest = selectors.comparison_years(history(), incomplete={2022})
    assert years == [2022, 2021, 2020]
    assert fullest == [2020, 2021]
    # When every year is incomplete, all of them count.
    assert selectors.comparison_years(history(), incomplete={2020, 2021, 2022})[1] == [2020, 2021]
    assert selectors.comparison_years(history().iloc[0:0], incomplete=set()) == ([], [])


def test_a_years_table_keeps_the_schemes_order_and_only_categories_present():
    names = {"sea": "Blue economy", "paper": "Paper", "food": "Food processing"}
    rows, cells, categories = selectors.comparison_table(
        history(), year=2021, regions=["ES11", "FRH0"], names=names
    )
    assert len(rows) == 3
    assert categories == ["sea", "food"]
    assert cells[("FRH0", "sea")]["lq"] == 2.1 and ("FRH0", "food") not in cells
