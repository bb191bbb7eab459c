"""Writes of the cooperation domain (partner search). `actor=None` is the trusted command line."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from atclusters.cooperation import permissions, tasks
from atclusters.cooperation.models import (
    DigestState,
    Initiative,
    Interest,
    LearnedWeights,
    Posting,
)
from atclusters.core import languages
from atclusters.core.audit import acting_user, audited, audited_create
from atclusters.core.errors import InvalidFields
from atclusters.core.models import Agency, Country, NaceActivity, NutsRegion, Term
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Organisation
from atclusters.registry.permissions import can_edit_cluster, can_edit_organisation


def _checked(data: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if data.get("kind") not in Posting.Kind.values:
        errors["kind"] = _("must be offer or request")
    for field, limit in (("title", 200), ("description", 5000), ("call", 200)):
        text = str(data.get(field, "")).strip()
        if field != "call" and not text:
            errors[field] = _("is required")
        elif len(text) > limit:
            errors[field] = _("is longer than %(max)s characters") % {"max": limit}
    codes = set(Country.objects.values_list("code", flat=True))
    unknown = [c for c in data.get("target_countries", []) if c not in codes]
    if unknown:
        errors["target_countries"] = _("unknown countries: %(codes)s") % {
            "codes": ", ".join(unknown)
        }
    regions = [str(code) for code in data.get("target_regions", [])]
    known = set(NutsRegion.objects.filter(code__in=regions).values_list("code", flat=True))
    unknown = [code for code in regions if code not in known]
    if unknown:
        errors["target_regions"] = _("unknown NUTS regions: %(codes)s") % {
            "codes": ", ".join(unknown)
        }
    deadline = data.get("deadline")
    if deadline is not None and (not isinstance(deadline, date) or deadline < timezone.localdate()):
        errors["deadline"] = _("must be a date from today")
    if data.get("language", "en") not in dict(settings.LANGUAGES):
        errors["language"] = _("must be one of %(codes)s") % {"codes": ", ".join(languages.CODES)}
    return errors


def posting_create(
    *,
    actor: AnyUser,
    author: ClusterOrganisation | Organisation,
    data: dict[str, Any],
    sectors: Sequence[NaceActivity] = (),
    terms: Sequence[Term] = (),
) -> Posting:
    """A posting for moderation by the author's agency (published at once when the platform
    admin or the trusted command line posts)."""
    cluster = author if isinstance(author, ClusterOrganisation) else None
    organisation = author if isinstance(author, Organisation) else None
    allowed = (
        can_edit_cluster(actor, cluster)
        if cluster is not None
        else organisation is not None and can_edit_organisation(actor, organisation)
    )
    if actor is not None and not allowed:
        raise PermissionDenied(_("You may not post for this author."))
    errors = _checked(data)
    if errors:
        raise InvalidFields(errors)
    direct = actor is None or bool(getattr(actor, "is_superuser", False))
    new = Posting(
        kind=data["kind"],
        title=str(data["title"]).strip(),
        description=str(data["description"]).strip(),
        language=data.get("language", "en"),
        cluster=cluster,
        organisation=organisation,
        target_countries=sorted(set(data.get("target_countries", []))),
        target_regions=sorted(set(data.get("target_regions", []))),
        deadline=data.get("deadline"),
        call=str(data.get("call", "")).strip(),
        status=Posting.Status.PUBLISHED if direct else Posting.Status.PENDING,
        published_at=timezone.now() if direct else None,
        created_by=acting_user(actor),
    )
    with audited(new, actor=actor) as posting:
        posting.save()
        posting.sectors.set(sectors)
        posting.terms.set(terms)
    return posting


def posting_moderate(*, actor: AnyUser, posting: Posting, publish: bool, note: str = "") -> Posting:
    if not permissions.can_moderate(actor, posting):
        raise PermissionDenied
    if posting.status != Posting.Status.PENDING:
        raise InvalidFields({"status": _("only a posting awaiting moderation can be moderated")})
    if not publish and not note.strip():
        raise InvalidFields({"moderation_note": _("say why the posting is rejected")})
    with audited(posting, actor=actor):
        posting.status = Posting.Status.PUBLISHED if publish else Posting.Status.REJECTED
        posting.published_at = timezone.now() if publish else None
        posting.moderation_note = note
        posting.save(update_fields=["status", "published_at", "moderation_note"])
    return posting


def posting_close(*, actor: AnyUser, posting: Posting) -> Posting:
    if not permissions.can_edit(actor, posting):
        raise PermissionDenied
    with audited(posting, actor=actor):
        posting.status = Posting.Status.CLOSED
        posting.save(update_fields=["status"])
    return posting


def posting_follow(*, actor: AnyUser, posting: Posting, follow: bool) -> None:
    if actor is None or not actor.is_authenticated or posting.status != Posting.Status.PUBLISHED:
        raise PermissionDenied
    with audited(posting, actor=actor):
        if follow:
            posting.followers.add(actor)
        else:
            posting.followers.remove(actor)


def interest_express(*, actor: AnyUser, posting: Posting, message: str, base_url: str) -> Interest:
    """Records the interest and tells the posting's author by email (background job)."""
    if actor is None or not actor.is_authenticated or posting.status != Posting.Status.PUBLISHED:
        raise PermissionDenied(_("Only published postings take expressions of interest."))
    if len(message) > 2000:
        raise InvalidFields({"message": _("is longer than %(max)s characters") % {"max": 2000}})
    interest = Interest.objects.filter(posting=posting, user=actor).first()
    created = interest is None
    if interest is None:
        try:
            interest = audited_create(
                Interest(posting=posting, user=actor, message=message.strip()), actor=actor
            )
        except IntegrityError:  # a second click that raced the first: one interest it is
            interest = Interest.objects.get(posting=posting, user=actor)
            created = False
    if created and posting.created_by and posting.created_by.email:
        tasks.interest_email_send.enqueue(interest_id=interest.pk, base_url=base_url)
    return interest


def interest_email(interest: Interest, base_url: str) -> None:
    posting = interest.posting
    language = posting.language if posting.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        link = base_url.rstrip("/") + reverse("posting_detail", args=[posting.pk])
        send_mail(
            subject=_("Interest in your posting “%(title)s”") % {"title": posting.title},
            message=_("%(user)s is interested in “%(title)s”:\n\n%(message)s\n\n%(link)s\n")
            % {
                "user": interest.user.get_username(),
                "title": posting.title,
                "message": interest.message,
                "link": link,
            },
            from_email=None,
            recipient_list=[posting.created_by.email],  # type: ignore[union-attr]
        )


def digests_send(*, now: datetime) -> int:
    """Emails each user who manages a cluster or represents an organisation the postings
    published since their last digest that match their profile (a shared NACE division or
    taxonomy term) and target their country (or any); each posting once per user."""
    from atclusters.cooperation.selectors import digest_postings

    sent = 0
    for user, postings in digest_postings(now=now):
        if postings and user.email:
            with translation.override("en"):
                lines = [
                    f"- {p.title} ({p.get_kind_display()}, {p.author}): "
                    + settings.SITE_URL.rstrip("/")
                    + reverse("posting_detail", args=[p.pk])
                    for p in postings
                ]
                send_mail(
                    subject=_("New partner-search postings for you"),
                    message="\n".join(lines) + "\n",
                    from_email=None,
                    recipient_list=[user.email],
                )
            sent += 1
        DigestState.objects.update_or_create(user=user, defaults={"sent_until": now})
    return sent


def initiative_save(
    *,
    actor: AnyUser,
    agency: Agency,
    name: str,
    members: Sequence[ClusterOrganisation],
    goals: str = "",
    actions: str = "",
    agreements: Sequence[CooperationAgreement] = (),
) -> Initiative:
    """A meta-cluster saved as a named initiative led by one of the actor's agencies."""
    if not (is_platform_admin(actor) or agency.pk in staff_agency_ids(actor)):
        raise PermissionDenied
    errors = {}
    if not name.strip():
        errors["name"] = _("is required")
    if len({member.pk for member in members}) < 2:
        errors["members"] = _("choose at least two clusters")
    slug = slugify(name)[:100] or "initiative"
    if Initiative.objects.filter(slug=slug).exists():
        errors["name"] = _("an initiative named %(name)s exists") % {"name": name}
    if errors:
        raise InvalidFields(errors)
    new = Initiative(
        slug=slug, name=name.strip(), agency=agency, goals=goals, actions=actions,
        created_by=acting_user(actor),
    )  # fmt: skip
    with audited(new, actor=actor) as initiative:
        initiative.save()
        initiative.members.set(members)
        initiative.agreements.set(agreements)
    return initiative


def learned_weights_save(
    *, actor: AnyUser, result: dict[str, Any], use: bool = False
) -> LearnedWeights:
    """Stores weights fitted by `learning.held_out` with their evaluation (audited); with
    `use`, switches them on."""
    learned = result["learned"]
    row = LearnedWeights(
        question=learned["question"], weights=learned["weights"],
        positives=learned["positives"], negatives=learned["negatives"],
        evaluation={key: value for key, value in result.items() if key != "learned"},
        created_by=acting_user(actor),
    )  # fmt: skip
    with audited(row, actor=actor, source="cli" if actor is None else "web"):
        row.save(force_insert=True)
        if use:
            learned_weights_use(actor=actor, row=row, use=True)
    return row


def learned_weights_use(*, actor: AnyUser, row: LearnedWeights, use: bool) -> None:
    """Switches learned weights on (the question's others off) or off: the platform admin or
    the trusted command line only (audited)."""
    if actor is not None and not is_platform_admin(actor):
        raise PermissionDenied
    source = "cli" if actor is None else "admin"
    others = LearnedWeights.objects.filter(question=row.question, active=True).exclude(pk=row.pk)
    for other in others if use else []:
        with audited(other, actor=actor, source=source, only=("active",)):
            other.active = False
            other.save(update_fields=["active"])
    with audited(row, actor=actor, source=source, only=("active",)):
        row.active = use
        row.save(update_fields=["active"])
