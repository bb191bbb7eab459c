"""Every write to the registry. `actor=None` means the trusted command line (no permission checks);
every write is recorded in the audit log."""

import secrets
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from atclusters.core.audit import acting_user, audited, audited_create, diff, snapshot
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.core.text import sanitise_html
from atclusters.registry import permissions, tasks
from atclusters.registry.models import (
    CLUSTER,
    DESCRIPTION_LANGUAGES,
    AgreementDocument,
    ClusterOrganisation,
    CooperationAgreement,
    Invitation,
    Membership,
    Organisation,
)

Actor = AnyUser

# Fields only agency staff and the platform admin may set on a cluster.
CLUSTER_STAFF_FIELDS = ("agency", "agency_id", "status", "slug")


def _require(actor: Actor, check: Callable[..., bool], *args: Any) -> None:
    if actor is not None and not check(actor, *args):
        raise PermissionDenied


def _unique_slug(model: type[models.Model], base: str, max_length: int) -> str:
    root = (slugify(base) or "item")[: max_length - 4]
    candidate, number = root, 2
    while model._default_manager.filter(slug=candidate).exists():
        candidate, number = f"{root}-{number}", number + 1
    return candidate


def _pks(values: Iterable[Any]) -> list[str]:
    return sorted(str(getattr(value, "pk", value)) for value in values)


def _save(
    *,
    actor: Actor,
    instance: models.Model,
    fields: dict[str, Any],
    m2m: dict[str, Iterable[Any]] | None = None,
    source: str,
) -> Any:
    """Validates and saves; an update that changes nothing writes nothing."""
    m2m = {name: list(values) for name, values in (m2m or {}).items()}
    creating = instance._state.adding
    before = {} if creating else snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    if not creating:
        proposed = {**snapshot(instance), **{name: _pks(values) for name, values in m2m.items()}}
        if not diff(before, proposed):
            return instance  # what is stored was validated when it was written
    try:
        instance.full_clean()
    except ValidationError:
        if not creating:
            instance.refresh_from_db()  # the caller's object must not keep rejected values
        raise
    with audited(instance, actor=actor, source=source, before=before):
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
    return instance


def _split_cluster_fields(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    many = CLUSTER.many_to_many()
    fields = {k: v for k, v in data.items() if k not in many}
    m2m = {k: v for k, v in data.items() if k in many}
    for code in DESCRIPTION_LANGUAGES:
        key = f"description_{code}"
        if fields.get(key):
            fields[key] = sanitise_html(fields[key])
    return fields, m2m


@transaction.atomic
def cluster_create(*, actor: Actor, agency: Agency, data: dict[str, Any], source: str = "web"):
    _require(actor, permissions.can_create_cluster, agency)
    fields, m2m = _split_cluster_fields(data)
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(
            ClusterOrganisation, fields.get("acronym") or fields.get("name", ""), 80
        )
    fields["agency"] = agency
    return _save(actor=actor, instance=ClusterOrganisation(), fields=fields, m2m=m2m, source=source)


@transaction.atomic
def cluster_update(
    *, actor: Actor, cluster: ClusterOrganisation, data: dict[str, Any], source: str = "web"
) -> ClusterOrganisation:
    _require(actor, permissions.can_edit_cluster, cluster)
    if actor is not None and not permissions.can_publish_cluster(actor, cluster):
        data = {k: v for k, v in data.items() if k not in CLUSTER_STAFF_FIELDS}
    fields, m2m = _split_cluster_fields(data)
    return _save(actor=actor, instance=cluster, fields=fields, m2m=m2m, source=source)


def _set_status(actor: Actor, cluster: ClusterOrganisation, status: str) -> ClusterOrganisation:
    return _save(actor=actor, instance=cluster, fields={"status": status}, source="web")


@transaction.atomic
def cluster_submit(*, actor: Actor, cluster: ClusterOrganisation) -> ClusterOrganisation:
    _require(actor, permissions.can_edit_cluster, cluster)
    if cluster.status != ClusterOrganisation.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    return _set_status(actor, cluster, ClusterOrganisation.Status.SUBMITTED)


@transaction.atomic
def cluster_publish(*, actor: Actor, cluster: ClusterOrganisation) -> ClusterOrganisation:
    _require(actor, permissions.can_publish_cluster, cluster)
    return _set_status(actor, cluster, ClusterOrganisation.Status.PUBLISHED)


@transaction.atomic
def cluster_return_to_draft(*, actor: Actor, cluster: ClusterOrganisation) -> ClusterOrganisation:
    _require(actor, permissions.can_publish_cluster, cluster)
    return _set_status(actor, cluster, ClusterOrganisation.Status.DRAFT)


@transaction.atomic
def cluster_manager_add(*, actor: Actor, cluster: ClusterOrganisation, user) -> None:
    _require(actor, permissions.can_publish_cluster, cluster)
    with audited(cluster, actor=actor):
        cluster.managers.add(user)


@transaction.atomic
def organisation_create(*, actor: Actor, data: dict[str, Any], source: str = "web") -> Organisation:
    _require(actor, permissions.can_create_organisation)
    fields = dict(data)
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(Organisation, fields.get("name", ""), 100)
    return _save(actor=actor, instance=Organisation(), fields=fields, source=source)


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any], source: str = "web"
) -> Organisation:
    _require(actor, permissions.can_edit_organisation, organisation)
    return _save(actor=actor, instance=organisation, fields=data, source=source)


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    cluster: ClusterOrganisation,
    organisation: Organisation,
    role: str = Membership.Role.MEMBER,
    since: date | None = None,
    until: date | None = None,
    listed_publicly: bool = False,
    source: str = "web",
) -> Membership:
    _require(actor, permissions.can_manage_memberships, cluster)
    if (
        until is None
        and Membership.objects.filter(
            cluster=cluster, organisation=organisation, until__isnull=True
        ).exists()
    ):
        raise ValidationError(
            {"organisation": _("%(name)s is already a current member.") % {"name": organisation}}
        )
    fields = {
        "cluster": cluster,
        "organisation": organisation,
        "role": role,
        "since": since or timezone.localdate(),
        "until": until,
        "listed_publicly": listed_publicly,
    }
    return _save(actor=actor, instance=Membership(), fields=fields, source=source)


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, data: dict[str, Any], source: str = "web"
) -> Membership:
    allowed = {k: v for k, v in data.items() if k in {"role", "since", "until", "listed_publicly"}}
    if allowed.keys() - {"listed_publicly"}:
        _require(actor, permissions.can_manage_memberships, membership.cluster)
    else:
        _require(actor, permissions.can_set_membership_listing, membership)
    return _save(actor=actor, instance=membership, fields=allowed, source=source)


def membership_end(
    *, actor: Actor, membership: Membership, until: date | None = None
) -> Membership:
    if membership.until is not None:
        raise ValidationError(_("This membership has already ended."))
    return membership_update(
        actor=actor, membership=membership, data={"until": until or timezone.localdate()}
    )


@transaction.atomic
def agreement_create(
    *, actor: Actor, owner: Agency, data: dict[str, Any], source: str = "web"
) -> CooperationAgreement:
    _require(actor, permissions.can_record_agreement_for, owner)
    fields = dict(data, owner=owner)
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(CooperationAgreement, fields.get("title", ""), 100)
    if fields.get("description"):
        fields["description"] = sanitise_html(fields["description"])
    return _save(actor=actor, instance=CooperationAgreement(), fields=fields, source=source)


@transaction.atomic
def agreement_update(
    *, actor: Actor, agreement: CooperationAgreement, data: dict[str, Any], source: str = "web"
) -> CooperationAgreement:
    _require(actor, permissions.can_edit_agreement, agreement)
    fields = {k: v for k, v in data.items() if k not in {"owner", "owner_id"}}
    if fields.get("description"):
        fields["description"] = sanitise_html(fields["description"])
    return _save(actor=actor, instance=agreement, fields=fields, source=source)


DOCUMENT_EXTENSIONS = {".pdf", ".odt", ".docx", ".doc", ".xlsx", ".ods", ".png", ".jpg", ".jpeg"}


@transaction.atomic
def agreement_document_add(
    *, actor: Actor, agreement: CooperationAgreement, title: str, upload: UploadedFile
) -> AgreementDocument:
    _require(actor, permissions.can_edit_agreement, agreement)
    extension = Path(upload.name or "").suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Allowed file types: %(types)s.")
                % {"types": ", ".join(sorted(DOCUMENT_EXTENSIONS))}
            }
        )
    if upload.size and upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s MB.")
                % {"limit": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    return _save(
        actor=actor,
        instance=AgreementDocument(),
        fields={"agreement": agreement, "title": title, "file": upload},
        source="web",
    )


@transaction.atomic
def invitation_create(
    *, actor: Actor, cluster: ClusterOrganisation, email: str, base_url: str
) -> Invitation:
    _require(actor, permissions.can_publish_cluster, cluster)
    invitation = audited_create(
        Invitation(
            email=email,
            agency=cluster.agency,
            cluster=cluster,
            token=secrets.token_urlsafe(32),
            invited_by=acting_user(actor),
        ),
        actor=actor,
    )
    transaction.on_commit(
        lambda: tasks.invitation_email_send.enqueue(
            invitation_id=invitation.pk,
            base_url=base_url,
            language=translation.get_language() or "en",
        )
    )
    return invitation


def invitation_is_valid(invitation: Invitation) -> bool:
    age = timezone.now() - invitation.created_at
    return invitation.accepted_at is None and age.days < settings.INVITATION_MAX_AGE_DAYS


@transaction.atomic
def invitation_holds_address_of(invitation: Invitation, user) -> bool:
    """An invitation is for the person it was sent to: the accepting account must hold the invited
    address, verified, so that a forwarded or leaked link gives nobody else the cluster."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def invitation_accept(*, invitation: Invitation, user) -> None:
    if not invitation_is_valid(invitation):
        raise ValidationError(_("This invitation has expired or was already used."))
    if not invitation_holds_address_of(invitation, user):
        raise PermissionDenied(
            _(
                "This invitation was sent to %(email)s: accept it signed in with an account "
                "whose verified address is %(email)s."
            )
            % {"email": invitation.email}
        )
    with audited(invitation, actor=user):
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    cluster_manager_add(actor=None, cluster=invitation.cluster, user=user)
