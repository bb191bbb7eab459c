"""Pages of the de minimis register: the agency's overview, an undertaking's aid and headroom,
the pre-grant check (and recording the grant it allows), exports and the self-declaration PDF."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, keep_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atclusters.core.errors import DomainError
from atclusters.core.forms import ImportForm, add_error
from atclusters.core.http import AuthenticatedRequest, partial_wanted
from atclusters.core.pdf import pdf_from_html
from atclusters.core.permissions import AnyUser
from atclusters.core.pickers import Pick, PickerInput, pick_resolve
from atclusters.core.templatetags import charts
from atclusters.stateaid import (
    documents,
    importers,
    permissions,
    rules,
    selectors,
    services,
    wording,
)
from atclusters.stateaid.models import Grant, Restructuring, Undertaking

REGULATION_CHOICES = Grant.Regulation.choices


class CheckForm(forms.Form):
    undertaking = forms.CharField(
        label=gettext_lazy("Undertaking (name, ID or VAT number)"),
        max_length=200,
        widget=PickerInput("undertaking"),
    )
    grant_date = forms.DateField(
        label=gettext_lazy("Grant date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Gross grant equivalent (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    regulation = forms.ChoiceField(label=gettext_lazy("Regulation"), choices=REGULATION_CHOICES)
    # Offers the Member States the user acts for; another Member State's code is not a form
    # error but a reading the selectors refuse (404) or a grant the services refuse (403).
    member_state = forms.CharField(label=gettext_lazy("Member State"), widget=forms.Select)
    road_freight = forms.BooleanField(
        label=gettext_lazy(
            "Road freight transport for hire or reward (EUR 100,000 under 1407/2013)"
        ),
        required=False,
    )

    def __init__(self, *args, member_states: list[str], undertakings, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["member_state"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [(code, code) for code in member_states]
        self.undertakings = undertakings

    def clean_undertaking(self) -> Undertaking:
        typed = self.cleaned_data["undertaking"].strip()
        picks = [Pick(u.identifier, u.name, (u.vat,)) for u in self.undertakings]
        identifier, _candidates = pick_resolve(picks, typed)
        undertaking = self.undertakings.filter(identifier=identifier or typed).first()
        if undertaking is None:
            raise forms.ValidationError(_("No undertaking with this ID is in the register."))
        return undertaking

    def clean_member_state(self) -> str:
        try:
            return rules.member_state_code(self.cleaned_data["member_state"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class GrantForm(CheckForm):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=100)
    granting_authority = forms.CharField(label=gettext_lazy("Granting authority"), max_length=200)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), required=False, max_length=2000)


def _require_register(request: AuthenticatedRequest) -> None:
    if not permissions.can_manage_register(request.user):
        raise DjangoPermissionDenied


def _member_states(request: AuthenticatedRequest) -> list[str]:
    return sorted(permissions.acting_member_states(request.user))


def _check_form[Form: CheckForm](
    request: AuthenticatedRequest, form_class: type[Form], data
) -> Form:
    return form_class(
        data,
        member_states=_member_states(request),
        undertakings=permissions.visible_undertakings(request.user),
    )


@contextmanager
def _not_visible_is_404() -> Iterator[None]:
    """Another Member State's aid answers as if it did not exist."""
    try:
        yield
    except permissions.NotVisible as error:
        raise Http404 from error


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    _require_register(request)
    summary = selectors.overview(user=request.user)
    labels = dict(Grant.Basis.choices) | dict(Grant.Regulation.choices)
    by_year = charts.bar_chart(
        [(str(row["year"]), int(row["total"])) for row in summary["by_year"]],
        _("Aid granted by year (EUR)"),
    )
    this_year = timezone.localdate().year
    query = request.GET.get("q", "").strip()
    undertakings = permissions.visible_undertakings(request.user)
    if query:
        undertakings = undertakings.filter(name__icontains=query) | undertakings.filter(
            identifier__iexact=query
        )
    return render(
        request,
        "stateaid/overview.html",
        {
            "summary": summary,
            "by_basis": [
                {**row, "label": labels.get(row["regulation"] or row["basis"], row["basis"])}
                for row in summary["by_basis"]
            ],
            "by_year_chart": by_year,
            # the current year's bar is incomplete: the caption says so
            "open_year": str(this_year)
            if this_year in {r["year"] for r in summary["by_year"]}
            else "",
            "overdue": selectors.overdue_reports(user=request.user, today=timezone.localdate()),
            "passed_on": selectors.passed_on_aid(user=request.user)[:50],
            "undertakings": undertakings.order_by("name")[:50],
            "query": query,
        },
    )


def _visible_undertaking(request: AuthenticatedRequest, identifier: str) -> Undertaking:
    return get_object_or_404(permissions.visible_undertakings(request.user), identifier=identifier)


@login_required
def undertaking_detail(request: AuthenticatedRequest, identifier: str) -> HttpResponse:
    undertaking = _visible_undertaking(request, identifier)
    user = request.user
    states = selectors.undertaking_member_states(undertaking=undertaking, user=user)
    today = timezone.localdate()
    with _not_visible_is_404():
        try:
            state = selectors.member_state_to_read(
                user=user, undertaking=undertaking, requested=request.GET.get("member_state", "")
            )
        except ValueError as error:
            raise Http404 from error
        headroom = selectors.headroom(
            user=user, undertaking=undertaking, on=today, member_state=state
        )
        group, review = selectors.single_undertaking(user=user, undertaking=undertaking, on=today)
        timeline = selectors.headroom_timeline(
            user=user, undertaking=undertaking, member_state=state, until=today
        )
    chart = charts.line_chart(
        [
            (_("Aid counted in the three-year window"), _steps(timeline)),
            (_("Ceiling"), [(p.day.toordinal(), float(p.ceiling)) for p in timeline]),
        ],
        _("EUR"),
        _("General de minimis aid counted and the ceiling over time"),
        x_text=lambda ordinal: date_format(date.fromordinal(int(ordinal)), "SHORT_DATE_FORMAT"),
    )
    return render(
        request,
        "stateaid/undertaking.html",
        {
            "undertaking": undertaking,
            "member_states": states if state in states or not state else [*states, state],
            "member_state": state,
            "today": today,
            "headroom": [
                (Grant.Regulation(kind).label, result) for kind, result in headroom.items()
            ],
            "group": Undertaking.objects.filter(identifier__in=group).order_by("name"),
            "review": review,
            "history": selectors.grant_history(undertaking=undertaking, user=request.user),
            "restructurings": selectors.restructurings_of(user=user, undertaking=undertaking),
            "chart": chart,
            "can_check": permissions.can_manage_register(request.user),
        },
    )


def _steps(timeline: list[selectors.TimelinePoint]) -> list[tuple[int, float]]:
    """The counted aid as steps: it changes on the days in the timeline and stays flat between."""
    points: list[tuple[int, float]] = []
    for point in timeline:
        if points:
            points.append((point.day.toordinal() - 1, points[-1][1]))
        points.append((point.day.toordinal(), float(point.counted)))
    return points


@login_required
def check(request: AuthenticatedRequest) -> HttpResponse:
    """The pre-grant check (a read: GET). When the grant fits, the form to record it."""
    _require_register(request)
    form = _check_form(request, CheckForm, request.GET or None)
    result = None
    if form.is_valid():
        try:
            with _not_visible_is_404():
                result = _check_result(request, form.cleaned_data)
        except ValueError as error:  # no regulation in force on that date
            form.add_error("grant_date", str(error))
    template = "stateaid/_check_result.html" if partial_wanted(request) else "stateaid/check.html"
    return render(
        request,
        template,
        {"form": form, "result": result, "grant_form": _grant_form(request, form, result)},
    )


def _check_result(request: AuthenticatedRequest, data: dict) -> dict:
    result = selectors.de_minimis_check(
        user=request.user,
        undertaking=data["undertaking"],
        grant_date=data["grant_date"],
        amount=data["amount"],
        regulation=data["regulation"],
        member_state=data["member_state"],
        road_freight=data["road_freight"],
    )
    document = documents.check_document(
        result, regulation=data["regulation"], grant_date=data["grant_date"]
    )
    return {
        "check": result,
        "document": document,
        "regulation": wording.citation(document["regulation"]),
        "journal": wording.journal(document["regulation_oj"]),
        "caps": [
            {"cap": cap, "name": wording.cap_name(cap), "rule": wording.cap_rule(cap)}
            for cap in result.caps
        ],
        "undertaking": data["undertaking"],
    }


def _grant_form(
    request: AuthenticatedRequest, form: CheckForm, result: dict | None
) -> GrantForm | None:
    if result is None or not result["check"].allowed:
        return None
    grant_form = _check_form(request, GrantForm, None)
    grant_form.initial = {
        **form.cleaned_data,
        "undertaking": form.cleaned_data["undertaking"].identifier,
    }
    return grant_form


@login_required
@require_POST
def grant_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_register(request)
    form = _check_form(request, GrantForm, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_record(
                actor=request.user,
                undertaking=data["undertaking"],
                reference=data["reference"],
                grant_date=data["grant_date"],
                money=services.Money(data["amount"]),
                member_state=data["member_state"],
                granting_authority=data["granting_authority"],
                regulation=data["regulation"],
                purpose=data["purpose"],
                road_freight=data["road_freight"],
            )
        except DomainError as error:
            add_error(form, error)
        except services.CeilingExceeded as error:
            form.add_error("amount", str(error))
        else:
            return redirect("stateaid_undertaking", identifier=data["undertaking"].identifier)
    return render(request, "stateaid/check.html", {"form": None, "grant_form": form})


@login_required
def export(request: AuthenticatedRequest, kind: str, fmt: str) -> HttpResponse:
    _require_register(request)
    if fmt not in documents.EXPORT_FORMATS or kind not in selectors.EXPORT_KINDS:
        raise Http404
    columns, rows = selectors.export_rows(kind=kind, user=request.user, today=timezone.localdate())
    content = documents.write_rows(columns, rows, fmt, root="register", item="grant")
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="stateaid-{kind}.{fmt}"'
    return response


@login_required
def declaration(request: AuthenticatedRequest, identifier: str) -> HttpResponse:
    """The beneficiary's de minimis self-declaration: the aid of its single undertaking in the
    three years up to today, by Member State, ready to sign: the aid of the Member States the
    reader reads (every one for the undertaking's representatives)."""
    undertaking = _visible_undertaking(request, identifier)
    user = request.user
    today = timezone.localdate()
    states = selectors.undertaking_member_states(undertaking=undertaking, user=user)
    with _not_visible_is_404():
        group, aid = selectors.aid_of_group(user=user, undertaking=undertaking, on=today)
        headroom = {
            state: selectors.de_minimis_check(
                user=user,
                undertaking=undertaking,
                grant_date=today,
                amount=Decimal(0),
                member_state=state,
            )
            for state in states
        }
    start, end = selectors.window(today)
    html = render_to_string(
        "stateaid/declaration.html",
        {
            "undertaking": undertaking,
            "group": Undertaking.objects.filter(identifier__in=group).order_by("name"),
            "aid": aid,
            "total": sum((grant.gge for grant in aid), Decimal(0)),
            "headroom": headroom,
            "only_from": _only_from(user, undertaking),
            "start": start,
            "end": end,
            "today": today,
        },
        request=request,
    )
    pdf = pdf_from_html(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="de-minimis-declaration-{undertaking.identifier}.pdf"'
    )
    return response


def _only_from(user: AnyUser, undertaking: Undertaking) -> list[str]:
    """The Member States whose aid a reader sees, when not every one's."""
    readable = permissions.readable_member_states(user, undertaking)
    return [] if readable == permissions.EVERY_MEMBER_STATE else sorted(readable)


@keep_lazy(SafeString)
def _columns(kind: "str | Promise", columns: str) -> SafeString:
    # Column names are what the file must say, in any language: shown as code, not translated.
    return format_html("{} (<code>{}</code>)", kind, columns)


class RegisterImportForm(ImportForm):
    """The platform's import form (size limit, check only) with the register's kinds."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What to import"),
        choices=[
            ("undertakings", _columns(gettext_lazy("undertakings"), "id, name, country, vat")),
            (
                "links",
                _columns(
                    gettext_lazy("links"), "parent_id, child_id, relation, valid_from, valid_to"
                ),
            ),
            ("grants", gettext_lazy("historical grants (see the documentation for the columns)")),
        ],
    )


@login_required
def register_import(request: AuthenticatedRequest) -> HttpResponse:
    """Undertakings, links or historical grants from a file: all or nothing."""
    _require_register(request)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    report = None
    over: list[dict] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report, over = importers.register_import(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            content=upload.read(),
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request, "stateaid/import.html", {"form": form, "report": report, "over_ceiling": over}
    )


class CorrectionForm(forms.Form):
    grant_date = forms.DateField(
        label=gettext_lazy("Grant date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nominal_amount = forms.DecimalField(
        label=gettext_lazy("Nominal amount"), min_value=Decimal("0.01"), max_digits=14,
        decimal_places=2,
    )  # fmt: skip
    gge_eur = forms.DecimalField(
        label=gettext_lazy("Gross grant equivalent (EUR)"), min_value=Decimal(0), max_digits=14,
        decimal_places=2,
    )  # fmt: skip
    purpose = forms.CharField(label=gettext_lazy("Purpose"), required=False, max_length=2000)
    reported_on = forms.DateField(
        label=gettext_lazy("Reported to the central register on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


class RevocationForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


def _grant_in_force(request: AuthenticatedRequest, grant_id: int) -> Grant:
    grant = get_object_or_404(
        selectors.effective_grants()
        .filter(pk__in=permissions.visible_grants(request.user).values("pk"))
        .select_related("undertaking"),
        pk=grant_id,
    )
    if not permissions.can_grant(request.user, grant.member_state):
        raise DjangoPermissionDenied
    return grant


@login_required
def grant_change(request: AuthenticatedRequest, grant_id: int) -> HttpResponse:
    """Correct or revoke a grant: either way a new entry; the original stays in the history."""
    grant = _grant_in_force(request, grant_id)
    initial = {
        "grant_date": grant.grant_date,
        "nominal_amount": grant.nominal_amount,
        "gge_eur": grant.gge_eur,
        "purpose": grant.purpose,
        "reported_on": grant.reported_on,
    }
    action = request.POST.get("action", "")
    correction = CorrectionForm(
        request.POST if action == "correct" else None, initial=initial, prefix="correct"
    )
    revocation = RevocationForm(request.POST if action == "revoke" else None, prefix="revoke")
    form = correction if action == "correct" else revocation
    if request.method == "POST" and form.is_valid():
        try:
            if action == "correct":
                changes = {
                    key: value
                    for key, value in correction.cleaned_data.items()
                    if key != "reason" and value != initial[key]
                }
                services.grant_correct(
                    actor=request.user,
                    grant=grant,
                    reason=correction.cleaned_data["reason"],
                    changes=changes,
                )
            else:
                services.grant_revoke(
                    actor=request.user, grant=grant, reason=revocation.cleaned_data["reason"]
                )
        except DomainError as error:
            add_error(form, error)
        except services.CeilingExceeded as error:
            form.add_error(None, str(error))
        else:
            return redirect("stateaid_undertaking", identifier=grant.undertaking.identifier)
    return render(
        request,
        "stateaid/grant_change.html",
        {"grant": grant, "correction": correction, "revocation": revocation},
    )


@login_required
@require_POST
def mark_reported(request: AuthenticatedRequest) -> HttpResponse:
    """The selected overdue entries are now in the central register (a correction each)."""
    _require_register(request)
    ids = [int(value) for value in request.POST.getlist("grant") if value.isdigit()]
    grants = [_grant_in_force(request, grant_id) for grant_id in ids]
    reported = forms.DateField().clean(request.POST.get("reported_on") or None)
    services.grant_mark_reported(actor=request.user, grants=grants, on=reported)
    return redirect("stateaid_overview")


class RestructuringCorrectionForm(forms.Form):
    """A merger's date; a split's date, successors and activity, one `KEY:VALUE` a line."""

    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    successors = forms.CharField(
        label=gettext_lazy("Successors, one ID:EQUITY (EUR) a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activity = forms.CharField(
        label=gettext_lazy("Activities taken over, one GRANT_REFERENCE:ID a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, restructuring: Restructuring, **kwargs):
        super().__init__(*args, **kwargs)
        if restructuring.kind == Restructuring.Kind.MERGER:
            del self.fields["successors"], self.fields["activity"]

    def _pairs(self, name: str) -> dict[str, str]:
        pairs = {}
        for number, line in enumerate(self.cleaned_data[name].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                key, value = documents.key_and_value(line)
            except ValueError:
                raise forms.ValidationError(
                    _("line %(number)s: write KEY:VALUE") % {"number": number}
                ) from None
            pairs[key] = value
        return pairs

    def clean_successors(self) -> dict[str, Decimal]:
        equity = forms.DecimalField(min_value=0, max_digits=16, decimal_places=2)
        successors = {}
        for identifier, value in self._pairs("successors").items():
            try:
                successors[identifier] = equity.clean(value)
            except forms.ValidationError as error:
                raise forms.ValidationError(f"{identifier}: {' '.join(error.messages)}") from None
        return successors

    def clean_activity(self) -> dict[str, str]:
        return self._pairs("activity")


def _lines(pairs: dict[str, str]) -> str:
    return "\n".join(f"{key}:{value}" for key, value in pairs.items())


@login_required
def restructuring_change(request: AuthenticatedRequest, restructuring_id: int) -> HttpResponse:
    """Correct or revoke a merger or split in force: a new entry with the reason; the checks
    read the aid as corrected from then on."""
    _require_register(request)
    restructuring = get_object_or_404(
        selectors.effective_restructurings().select_related("source", "absorbing"),
        pk=restructuring_id,
    )
    current = {
        "date": restructuring.date,
        "successors": {key: Decimal(value) for key, value in restructuring.successors.items()},
        "activity": restructuring.activity,
    }
    action = request.POST.get("action", "")
    correction = RestructuringCorrectionForm(
        request.POST if action == "correct" else None,
        initial={
            "date": restructuring.date,
            "successors": _lines(restructuring.successors),
            "activity": _lines(restructuring.activity),
        },
        prefix="correct",
        restructuring=restructuring,
    )
    revocation = RevocationForm(request.POST if action == "revoke" else None, prefix="revoke")
    form = correction if action == "correct" else revocation
    if request.method == "POST" and form.is_valid():
        try:
            if action == "correct":
                changes = {
                    key: value
                    for key, value in correction.cleaned_data.items()
                    if key != "reason" and value != current[key]
                }
                services.restructuring_correct(
                    actor=request.user,
                    restructuring=restructuring,
                    reason=correction.cleaned_data["reason"],
                    changes=changes,
                )
            else:
                services.restructuring_revoke(
                    actor=request.user,
                    restructuring=restructuring,
                    reason=revocation.cleaned_data["reason"],
                )
        except DomainError as error:
            add_error(form, error, renamed={"successor": "successors"})
        else:
            return redirect("stateaid_undertaking", identifier=restructuring.source.identifier)
    return render(
        request,
        "stateaid/restructuring_change.html",
        {"restructuring": restructuring, "correction": correction, "revocation": revocation},
    )
