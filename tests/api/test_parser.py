"""What every API endpoint reads (issue 16), in one place: a NUL character in any text of a body
or query is a 422 naming the field, never a 500 on PostgreSQL; JSON nested too deeply or with
a key twice is a 400 saying why."""

import json

import pytest

from atclusters.registry.models import ClusterOrganisation
from tests.hostile_files import nested_json

pytestmark = pytest.mark.django_db

NUL_ANSWER = "contains the NUL character (\\0), which is not allowed in text"


def patch(client, path, body: bytes | str, headers):
    return client.patch(path, body, content_type="application/json", headers=headers)


def test_a_nul_in_a_body_names_its_field(client, bearer, world):
    response = patch(
        client, "/api/v1/clusters/food", json.dumps({"city": "Vi\u0000go"}), bearer("staff")
    )
    assert response.status_code == 422
    assert response.json() == {"detail": {"city": [NUL_ANSWER]}}
    assert ClusterOrganisation.objects.get(slug="food").city != "Vi\x00go"


def test_a_nul_deep_in_a_body_names_its_path(client, bearer, world):
    body = {"answers": {"S01": "fine", "G02": ["yes", "no\u0000"]}}
    response = patch(
        client, "/api/v1/benchmarking/submissions/1", json.dumps(body), bearer("staff")
    )
    assert response.status_code == 422
    assert response.json() == {"detail": {"answers.G02[1]": [NUL_ANSWER]}}


def test_a_nul_in_a_key_names_it(client, bearer, world):
    body = json.dumps({"answers": {"S\u00001": "1"}})
    response = patch(client, "/api/v1/benchmarking/submissions/1", body, bearer("staff"))
    assert response.status_code == 422
    assert response.json() == {"detail": {"answers.S\\01": [NUL_ANSWER]}}


def test_a_nul_in_a_query_names_the_parameter(client, bearer, world):
    response = client.get("/api/v1/clusters?search=fo%00od", headers=bearer("staff"))
    assert response.status_code == 422
    assert response.json() == {"detail": {"search": [NUL_ANSWER]}}


def test_deeply_nested_json_is_invalid_json(client, bearer, world):
    response = patch(client, "/api/v1/clusters/food", nested_json(), bearer("staff"))
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid JSON: nested deeper than 32 levels."}


def test_a_key_twice_in_one_object_is_invalid_json(client, bearer, world):
    response = patch(client, "/api/v1/clusters/food", '{"city": "A", "city": "B"}', bearer("staff"))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid JSON: the key 'city' appears more than once in one object."
    }
    assert ClusterOrganisation.objects.get(slug="food").city not in {"A", "B"}
