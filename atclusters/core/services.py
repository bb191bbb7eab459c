import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from atclusters.core import tasks
from atclusters.core.models import ApiToken, OutgoingEmail


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    raw = "atc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=_digest(raw), prefix=raw[:8])
    return token, raw


def api_token_authenticate(*, raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id).delete()


def email_queue(*, message: EmailMessage) -> OutgoingEmail:
    """Keeps a rendered message for the background worker, which sends and then deletes it: a
    slow or absent mail server neither delays nor breaks the request that wrote it."""
    html = next(
        (
            str(content)
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    body = message.body
    if message.content_subtype == "html":
        html, body = body, strip_tags(body)
    outgoing = OutgoingEmail.objects.create(
        subject=message.subject,
        body=body,
        html=html,
        from_email=message.from_email,
        to=list(message.to),
    )
    transaction.on_commit(lambda: tasks.outgoing_email_send.enqueue(email_id=outgoing.pk))
    return outgoing
