"""Learned matching weights (issue 25): public to read on the API; in the admin, shown and
switched by the platform admin, never added by hand (`atclusters cooperation learn` fits them)."""

from atclusters.cooperation import services

ROWS = """
GET    /api/v1/cooperation/learned-weights                  200         200   200   200   200   200   200
"""


def build(w) -> dict:
    learned = {
        "question": "region", "weights": {"technology": 0.6, "proximity": 0.4}, "positives": 8,
        "negatives": 80,
    }  # fmt: skip
    result = {"learned": learned, "train": 4, "test": 2, "k": 10}
    return {"learned_weights": services.learned_weights_save(actor=None, result=result)}
