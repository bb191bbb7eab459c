import hashlib
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from atclusters.core.models import ApiToken


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


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Whether the user had a token with this id (now revoked)."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
