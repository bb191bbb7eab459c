import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atclusters.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402  (after the settings module is chosen)

Scope = dict[str, Any]


class BoundedBody:
    """Django's ASGI handler reads a whole request body to a temporary file before any middleware
    runs; this wrapper answers 413 as soon as the declared length, or the bytes streamed so far,
    pass REQUEST_MAX_BYTES, so an oversized upload never fills the disk."""

    def __init__(self, application, limit: int):
        self.application = application
        self.limit = limit

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.application(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(message)
            if not message.get("more_body", False):
                break

        async def replay():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        await self.application(scope, replay, send)

    async def _refuse(self, send) -> None:
        body = b'{"detail": "The request is too large."}'
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


application = BoundedBody(django_application, settings.REQUEST_MAX_BYTES)
