"""Pages of the hub: the facilities with their access rules and prices, a facility's week, the
booking form (with the conflict and the next free slots), my bookings, the approval queue,
occupancy, and iCalendar files (docs/facilities.md)."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import icalendar
from atclusters.core.forms import add_error
from atclusters.core.http import AuthenticatedRequest, HtmxRequest, partial_wanted
from atclusters.core.permissions import PermissionDenied
from atclusters.facilities import permissions, selectors, services
from atclusters.facilities.forms import BookingForm, ClosureForm, ContributionForm, ResourceForm
from atclusters.facilities.models import Booking, Resource
from atclusters.stateaid import services as aid_services


def resource_list(request: HttpRequest) -> HttpResponse:
    resources = permissions.visible_resources(request.user).prefetch_related("closures")
    language = get_language() or "en"
    return render(
        request,
        "facilities/resource_list.html",
        {
            "resources": [(resource, resource.name(language)) for resource in resources],
            "can_create": permissions.administered_agencies(request.user).exists(),
        },
    )


def _monday(text: str, today: date) -> date:
    try:
        day = date.fromisoformat(text) if text else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def resource_detail(request: HtmxRequest, resource_id: int) -> HttpResponse:
    """The facility's rules and its week: free half hours link to the booking form."""
    resource = get_object_or_404(permissions.visible_resources(request.user), pk=resource_id)
    now = timezone.now()
    rules = selectors.resource_rules(resource)
    monday = _monday(request.GET.get("week", ""), now.astimezone(rules.zone).date())
    context = {
        "resource": resource,
        "name": resource.name(get_language() or "en"),
        "week": selectors.week(resource, monday, user=request.user, now=now),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "can_book": permissions.can_book(request.user, resource),
        "can_manage": permissions.can_manage(request.user, resource),
        "can_administer": permissions.can_administer(request.user, resource.agency),
        "closures": resource.closures.filter(end__gt=now),
        "contributors": selectors.preferential_access(resource, monday),
        "zone": rules.zone,
    }
    if partial_wanted(request):
        return render(request, "facilities/resource_detail.html#week", context)
    return render(request, "facilities/resource_detail.html", context)


def _resource_form_page(
    request: AuthenticatedRequest, *, agency_choices, resource: Resource | None
) -> HttpResponse:
    agencies = list(agency_choices)
    if not agencies:
        raise DjangoPermissionDenied
    chosen = resource.agency if resource else next(
        (a for a in agencies if str(a.pk) == request.POST.get("agency")), agencies[0]
    )  # fmt: skip
    form = ResourceForm(request.POST or None, instance=resource, agency=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.settings()
        if form.is_valid():
            try:
                if resource is None:
                    resource = services.resource_create(
                        actor=request.user, agency=chosen, data=data
                    )
                    messages.success(request, _("Facility created."))
                else:
                    services.resource_update(actor=request.user, resource=resource, data=data)
                    messages.success(request, _("Facility saved."))
            except PermissionDenied as error:
                raise DjangoPermissionDenied from error
            except services.BookingInvalid as error:
                add_error(form, error)
            else:
                return redirect("facilities_resource", resource.pk)
    return render(
        request,
        "facilities/resource_form.html",
        {"form": form, "resource": resource, "agencies": agencies, "agency": chosen},
    )


@login_required
def resource_new(request: AuthenticatedRequest) -> HttpResponse:
    """A new facility of an agency whose staff the user is."""
    return _resource_form_page(
        request, agency_choices=permissions.administered_agencies(request.user), resource=None
    )


@login_required
def resource_edit(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(permissions.visible_resources(request.user), pk=resource_id)
    if not permissions.can_administer(request.user, resource.agency):
        raise DjangoPermissionDenied
    return _resource_form_page(request, agency_choices=[resource.agency], resource=resource)


@login_required
def manage(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    """Closures (hub managers) and contributions to the hub's investment costs (agency staff)."""
    resource = get_object_or_404(permissions.visible_resources(request.user), pk=resource_id)
    if not permissions.can_manage(request.user, resource):
        raise DjangoPermissionDenied
    administer = permissions.can_administer(request.user, resource.agency)
    closure_form = ClosureForm(request.POST if "closure" in request.POST else None)
    contribution_form = ContributionForm(request.POST if "contribution" in request.POST else None)
    if request.method == "POST":
        try:
            if "closure" in request.POST and closure_form.is_valid():
                data = closure_form.cleaned_data
                services.closure_add(
                    actor=request.user, resource=resource, reason=data["reason"],
                    start=closure_form.in_zone(resource, data["start"]),
                    end=closure_form.in_zone(resource, data["end"]),
                )  # fmt: skip
                messages.success(request, _("Closure recorded."))
                return redirect("facilities_manage", resource.pk)
            if "contribution" in request.POST and contribution_form.is_valid():
                if not administer:
                    raise DjangoPermissionDenied
                data = contribution_form.cleaned_data
                services.contribution_save(
                    actor=request.user, agency=resource.agency, hub=resource.hub,
                    organisation=data["organisation"], share_percent=data["share_percent"],
                )  # fmt: skip
                messages.success(request, _("Contribution recorded."))
                return redirect("facilities_manage", resource.pk)
        except PermissionDenied as error:
            raise DjangoPermissionDenied from error
        except services.BookingInvalid as error:
            target = closure_form if "closure" in request.POST else contribution_form
            add_error(target, error)
    now = timezone.now()
    return render(
        request,
        "facilities/manage.html",
        {
            "resource": resource,
            "name": resource.name(get_language() or "en"),
            "closures": resource.closures.filter(end__gt=now),
            "closure_form": closure_form,
            "contribution_form": contribution_form if administer else None,
            "contributors": selectors.preferential_access(resource, timezone.localdate()),
            "can_administer": administer,
            "zone": selectors.resource_rules(resource).zone,
        },
    )


@login_required
def book(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(permissions.visible_resources(request.user), pk=resource_id)
    if not permissions.can_book(request.user, resource):
        raise DjangoPermissionDenied
    zone = selectors.resource_rules(resource).zone
    initial = {}
    if start := request.GET.get("start"):
        try:
            moment = datetime.fromisoformat(start).astimezone(zone)
            length = timedelta(minutes=max(resource.min_minutes, 60))
            initial = {
                "start": moment.strftime("%Y-%m-%dT%H:%M"),
                "end": (moment + length).strftime("%Y-%m-%dT%H:%M"),
            }
        except ValueError:
            initial = {}
    form = BookingForm(request.POST or None, initial=initial, user=request.user, resource=resource)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.booking_create(
                actor=request.user,
                user=request.user,
                resource=resource,
                start=form.in_zone(data["start"]),
                end=form.in_zone(data["end"]),
                organisation=form.organisations.get(data["party"]),
                cluster=form.clusters.get(data["party"]),
                purpose=data["purpose"],
                recurrence=data["recurrence"],
                subsidised=not data["unsubsidised"],
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied from error
        except aid_services.AidRefused as refused:
            form.add_error("unsubsidised", str(refused))
        except services.BookingInvalid as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        except services.BookingConflict as error:
            conflict = error
        else:
            if booked.first.status == Booking.Status.PENDING:
                messages.success(request, _("Booked, awaiting the hub manager's approval."))
            else:
                messages.success(request, _("Booked and confirmed."))
            return redirect("facilities_my_bookings")
    return render(
        request,
        "facilities/book.html",
        {
            "resource": resource,
            "name": resource.name(get_language() or "en"),
            "form": form,
            "conflict": conflict,
            "zone": zone,
        },
        status=409 if conflict else 200,
    )


def _feed_token(user: User) -> str:
    """A secret address for the user's calendar feed (calendar applications cannot sign in);
    a new password gives a new address."""
    digest = salted_hmac(
        "facilities-feed", f"{user.pk}:{user.password}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"{user.pk}-{digest}"


@login_required
def my_bookings(request: AuthenticatedRequest) -> HttpResponse:
    feed = request.build_absolute_uri(reverse("facilities_feed", args=[_feed_token(request.user)]))
    return render(
        request,
        "facilities/my_bookings.html",
        {
            "bookings": selectors.user_bookings(request.user),
            "feed": feed,
            "now": timezone.now(),
        },
    )


@login_required
def approvals(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "facilities/approvals.html",
        {"bookings": selectors.approval_queue(request.user)},
    )


@login_required
def occupancy(request: AuthenticatedRequest) -> HttpResponse:
    """Occupancy of the facilities the user manages, for a month, and by cluster."""
    today = timezone.localdate()
    try:
        month = date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    resources = list(permissions.managed_resources(request.user))
    if not resources:
        raise DjangoPermissionDenied
    return render(
        request,
        "facilities/occupancy.html",
        {
            "month": month,
            "rows": [
                (
                    selectors.occupancy(resource, month),
                    selectors.occupancy_by_cluster(resource, month),
                )
                for resource in resources
            ],
        },
    )


@login_required
@require_POST
def booking_action(request: AuthenticatedRequest, booking_id: int, action: str) -> HttpResponse:
    booking = get_object_or_404(permissions.visible_bookings(request.user), pk=booking_id)
    note = request.POST.get("note", "")
    try:
        if action == "cancel":
            services.booking_cancel(actor=request.user, booking=booking, reason=note)
            messages.success(request, _("Booking cancelled."))
        elif action in ("approve", "decline"):
            services.booking_decide(
                actor=request.user, booking=booking, approve=action == "approve", note=note
            )
            messages.success(request, _("Decision recorded."))
        else:
            raise Http404
    except PermissionDenied as error:
        raise DjangoPermissionDenied from error
    except aid_services.AidRefused as refused:
        messages.error(request, str(refused))
    except services.BookingInvalid as error:
        messages.error(request, f"{error.field}: {error}")
    if action == "cancel" and booking.user_id == request.user.pk:
        return redirect("facilities_my_bookings")
    return redirect("facilities_approvals")


ICAL_STATUS = {"pending": "TENTATIVE", "confirmed": "CONFIRMED"}


def _event(request: HttpRequest, booking: Booking) -> icalendar.Event:
    resource = booking.resource
    return icalendar.Event(
        uid=f"booking-{booking.pk}@{request.get_host().split(':')[0]}",
        start=booking.start,
        end=booking.end,
        summary=f"{resource.name(get_language() or 'en')}, {resource.hub}",
        location=resource.hub,
        description=booking.purpose,
        status=ICAL_STATUS.get(booking.status, "CANCELLED"),
        url=request.build_absolute_uri(reverse("facilities_resource", args=[resource.pk])),
    )


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def booking_ics(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    booking = get_object_or_404(permissions.visible_bookings(request.user), pk=booking_id)
    text = icalendar.calendar(
        [_event(request, booking)], name=booking.resource.name_en, stamp=timezone.now()
    )
    return _calendar_response(text, f"booking-{booking.pk}.ics")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's bookings, from a month ago on, for a calendar application: the address is
    the secret (shown on "My bookings")."""
    key, _separator, _digest = token.partition("-")
    user = User.objects.filter(pk=int(key) if key.isdigit() else 0, is_active=True).first()
    if user is None or not constant_time_compare(token, _feed_token(user)):
        raise Http404
    since = timezone.now() - timedelta(days=30)
    bookings = selectors.user_bookings(user).filter(end__gte=since).order_by("start")
    text = icalendar.calendar(
        [_event(request, booking) for booking in bookings],
        name=_("Hub bookings"),
        stamp=timezone.now(),
    )
    return _calendar_response(text, "bookings.ics")
