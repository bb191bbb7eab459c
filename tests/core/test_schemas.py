"""Request bodies are JSON objects: every write of the published schema that takes a JSON body
refuses any other JSON value with 422 naming the body, at the top and inside nested objects."""

import re
import typing

import pytest
from ninja import Schema
from pydantic import BaseModel

from atclusters.api.api import api
from atclusters.core.schemas import InputSchema

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["false", "true", "null", "0", "1.5", '"text"', "[]", "[{}]"]


def json_writes(client) -> list[tuple[str, str]]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def test_every_json_write_refuses_a_body_that_is_not_an_object(client, world, bearer):
    writes = json_writes(client)
    assert ("patch", "/api/v1/memberships/1") in writes and len(writes) >= 15
    headers = bearer("admin")
    for method, path in writes:
        for body in NOT_OBJECTS:
            response = getattr(client, method)(
                path, body, content_type="application/json", headers=headers
            )
            assert response.status_code == 422, (method, path, body, response.content)
            assert {
                "type": "json_object",
                "loc": ["body", "payload"],
                "msg": "must be a JSON object",
            } in response.json()["detail"], (method, path, body)


def test_the_membership_found_by_schemathesis_is_left_unchanged(client, world, bearer):
    membership = world.member.memberships.get()
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        "false",
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 422
    membership.refresh_from_db()
    assert membership.listed_publicly is True


def test_a_nested_object_must_be_an_object_too(client, world, bearer):
    response = client.put(
        "/api/v1/benchmarking/policies/galicia/2025",
        {"programmes": [False]},
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 422
    assert {
        "type": "json_object",
        "loc": ["body", "payload", "programmes", 0],
        "msg": "must be a JSON object",
    } in response.json()["detail"]


def test_an_object_body_still_works(client, world, bearer):
    membership = world.member.memberships.get()
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"listed_publicly": False},
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 200 and response.json()["listed_publicly"] is False


def _models_in(annotation) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation} | {
            model
            for field in annotation.model_fields.values()
            for model in _models_in(field.annotation)
        }
    return {model for argument in typing.get_args(annotation) for model in _models_in(argument)}


def test_every_schema_read_from_a_body_is_an_input_schema():
    """So that a new endpoint cannot bring back the loophole (ninja's Schema reads attributes of
    any value, and would take `false` as an object with every field left out)."""
    body_schemas = {
        model
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        for param_model in operation.models
        if param_model.__ninja_param_source__ == "body"
        for field in param_model.model_fields.values()
        for model in _models_in(field.annotation)
        if issubclass(model, Schema)
    }
    assert len(body_schemas) >= 20
    assert [model.__name__ for model in body_schemas if not issubclass(model, InputSchema)] == []


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"since": 0.0}, "since", "must be a date (YYYY-MM-DD)"),  # found by `make fuzz`
        ({"until": 1700000000}, "until", "must be a date (YYYY-MM-DD)"),
        ({"listed_publicly": 1}, "listed_publicly", "must be a boolean"),
        ({"listed_publicly": "yes"}, "listed_publicly", "must be a boolean"),
        ({"role": 7}, "role", "must be a string"),
    ],
)
def test_a_value_of_another_json_type_is_refused_not_converted(
    client, world, bearer, body, field, message
):
    """pydantic's lax mode would take 0 for 1970-01-01 and 1 or "yes" for true."""
    membership = world.member.memberships.get()
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        body,
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 422
    assert [(error["loc"], error["msg"]) for error in response.json()["detail"]] == [
        (["body", "payload", field], message)
    ]
    membership.refresh_from_db()
    assert (str(membership.since), membership.until, membership.listed_publicly) == (
        "2020-01-01",
        None,
        True,
    )


def test_json_types_hold_in_every_body_and_inside_nested_objects(client, world, bearer):
    policy = {"summary": "", "clusters_recognised": "3", "programmes": []}
    response = client.put(
        "/api/v1/benchmarking/policies/galicia/2025",
        policy,
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "must be an integer"
    programme = {
        "name": "Cluster programme",
        "instrument": "operating",
        "legal_basis": "de_minimis",
        "budget_eur": "1500000.50",  # a decimal may be written as text, as the schema says
        "clusters_supported": 12.0,  # an integer to JSON Schema
    }
    response = client.put(
        "/api/v1/benchmarking/policies/galicia/2025",
        {**policy, "clusters_recognised": 3, "programmes": [programme]},
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 200, response.content
    response = client.put(
        "/api/v1/benchmarking/policies/galicia/2025",
        {**policy, "clusters_recognised": 3, "programmes": [{**programme, "budget_eur": True}]},
        content_type="application/json",
        headers=bearer("admin"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == [
        "body",
        "payload",
        "programmes",
        0,
        "budget_eur",
    ]


@pytest.mark.django_db
def test_a_day_in_a_query_is_written_yyyy_mm_dd(client, bearer):
    """pydantic alone reads "0" as 1 January 1970; the schema says format: date."""
    headers = bearer("staff")
    assert client.get("/api/v1/watch/items", {"until": "0"}, headers=headers).status_code == 422
    assert (
        client.get("/api/v1/watch/items", {"until": "2026-12-07"}, headers=headers).status_code
        == 200
    )
