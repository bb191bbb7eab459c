"""Requests larger than REQUEST_MAX_BYTES are answered 413 before their body is read: under WSGI
by the middleware (on the declared length), under ASGI by the wrapper in atclusters/asgi.py (on
the declared length, or on the bytes as they stream in)."""

import asyncio
import io
import json

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import RequestFactory

from atclusters.asgi import BoundedBody
from atclusters.core.middleware import RequestSizeLimitMiddleware


class UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


def request_with_declared_length(path: str, length: int) -> WSGIRequest:
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
    )
    environ["wsgi.input"] = UnreadableBody()
    return WSGIRequest(environ)


def reached(request) -> HttpResponse:
    return HttpResponse("reached")


def test_a_page_upload_over_the_limit_is_refused_unread(settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = RequestSizeLimitMiddleware(reached)(
        request_with_declared_length("/en/import/", 1001)
    )
    assert response.status_code == 413
    assert response.text == "The request is too large: at most 1000\xa0bytes may be sent at once."


def test_an_api_upload_over_the_limit_is_refused_in_json(settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = RequestSizeLimitMiddleware(reached)(
        request_with_declared_length("/api/v1/imports/clusters", 5000)
    )
    assert response.status_code == 413 and "too large" in json.loads(response.content)["detail"]


def test_a_request_at_the_limit_passes(settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = RequestSizeLimitMiddleware(reached)(
        request_with_declared_length("/en/import/", 1000)
    )
    assert response.text == "reached"


@pytest.mark.django_db
def test_the_limit_answers_through_the_whole_stack_in_the_visitors_language(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post("/es/import/", {"file": io.BytesIO(b"x" * 2000)})
    assert response.status_code == 413
    assert "demasiado grande" in response.text


def asgi_run(app, headers: list, chunks: list[bytes]) -> tuple[list[dict], list[bytes]]:
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    sent: list[dict] = []
    received: list[bytes] = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    async def inner(scope, receive, send):
        while True:
            message = await receive()
            received.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})

    scope = {"type": "http", "method": "POST", "path": "/en/import/", "headers": headers}
    asyncio.run(BoundedBody(inner, 100)(scope, receive, send))
    return sent, received


def test_asgi_refuses_a_declared_length_over_the_limit_before_reading():
    sent, received = asgi_run(None, [(b"content-length", b"101")], [b"x" * 101])
    assert sent[0]["status"] == 413 and received == []


def test_asgi_refuses_a_stream_that_passes_the_limit_without_declaring_it():
    sent, received = asgi_run(None, [], [b"x" * 60, b"x" * 60, b"x" * 60])
    assert sent[0]["status"] == 413 and received == []


def test_asgi_passes_a_body_within_the_limit_unchanged():
    sent, received = asgi_run(None, [(b"content-length", b"100")], [b"a" * 50, b"b" * 50])
    assert sent[0]["status"] == 200 and b"".join(received) == b"a" * 50 + b"b" * 50
