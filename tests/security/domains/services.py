"""The services domain's rows: a de minimis consultancy of the Galician agency with three
requests of the world's member (pending, accepted, delivered), a benefit programme of the
Galician agency with a submitted and a checked claim of the member. New services and imports
are offered by the Galician cluster `food` (not aid), which its manager may offer too; on the
imports `form` is the report's refusal (200, `ok: false`, nothing written)."""

from datetime import timedelta

from django.utils import timezone

from atclusters.services import services
from atclusters.services.models import Claim, Programme, Service, ServiceCategory, ServiceRequest
from tests.security.calls import Arguments, Write, _count, _upload, _value

# One service of the cluster `food`, in the import's columns.
IMPORTED = (
    "slug,provider,category,name_en,list_price,member_price\nnew-svc,food,consulting,New,10,5\n"
)

ROWS = """
# method endpoint [variant]                                 anon        rep   mgr   o-mgr staff o-staff admin
GET    service_catalogue                                    200         200   200   200   200   200   200
GET    service_detail                                       200         200   200   200   200   200   200
POST   service_detail                                       login       302   403   403   403   403   403
GET    service_queue                                        login       200   200   200   200   200   200
GET    service_my_requests                                  login       200   200   200   200   200   200
GET    service_uptake                                       login       200   200   200   200   200   200
GET    service_uptake_export                                login       200   200   200   200   200   200
GET    service_request_action                               login       405   405   405   405   405   405
POST   service_request_action [accept]                      login       403   404   404   302   404   302
POST   service_request_action [deliver]                     login       403   404   404   302   404   302
POST   service_request_action [rate]                        login       302   404   404   403   404   403
GET    programme_list                                       200         200   200   200   200   200   200
GET    programme_detail                                     200         200   200   200   200   200   200
POST   programme_detail                                     login       302   403   403   403   403   403
GET    claim_action                                         login       405   405   405   405   405   405
POST   claim_action [check]                                 login       403   404   404   302   404   302
POST   claim_action [approve]                               login       403   404   404   302   404   302
GET    /api/v1/services/catalogue                           200         200   200   200   200   200   200
GET    /api/v1/services/requests                            401         200   200   200   200   200   200
POST   /api/v1/services/requests                            401         201   403   403   403   403   403
POST   /api/v1/services/requests/{request_id}/acceptance    401         403   404   404   200   404   200
POST   /api/v1/services/requests/{request_id}/refusal       401         403   404   404   200   404   200
POST   /api/v1/services/requests/{request_id}/delivery      401         403   404   404   200   404   200
POST   /api/v1/services/requests/{request_id}/rating        401         200   404   404   403   404   403
POST   /api/v1/services/programmes/{slug}/claims            401         201   403   403   403   403   403
POST   /api/v1/services/claims/{claim_id}/check             401         403   404   404   200   404   200
POST   /api/v1/services/claims/{claim_id}/decision          401         403   404   404   200   404   200
GET    service_manage                                       login       403   200   200   200   200   200
GET    service_new                                          login       403   200   200   200   200   200
POST   service_new                                          login       403   302   form  302   form  302
GET    service_edit                                         login       403   403   403   200   403   200
POST   service_edit                                         login       403   403   403   302   403   302
GET    service_categories                                   login       403   403   403   200   200   200
POST   service_categories                                   login       403   403   403   302   302   302
GET    service_import                                       login       403   200   200   200   200   200
POST   service_import                                       login       403   200   form  200   form  200
GET    service_import_file                                  login       403   200   200   200   200   200
GET    programme_new                                        login       403   403   403   200   200   200
POST   programme_new                                        login       403   403   403   302   form  302
GET    programme_edit                                       login       403   403   403   200   403   200
POST   programme_edit                                       login       403   403   403   302   403   302
POST   /api/v1/services/imports                             401         403   200   form  200   form  200
PUT    /api/v1/services/catalogue/{slug}                    401         403   403   403   200   403   200
PUT    /api/v1/services/categories/{slug}                   401         403   403   403   200   200   200
PUT    /api/v1/services/programmes/{slug}                   401         403   403   403   200   403   200
"""


def build(w) -> dict:
    category = services.category_save(actor=None, slug="consulting", names={"en": "Consulting"})
    consultancy = services.service_save(
        actor=None, slug="consultancy", agency=w.agency, category=category,
        values={"name_en": "Consultancy", "list_price": 90, "member_price": 35,
                "aid_treatment": "de-minimis"},
    )  # fmt: skip
    requests = [
        services.request_create(actor=None, service=consultancy, organisation=w.member)
        for _ in range(3)
    ]
    pending, accepted, delivered = requests
    for request in (accepted, delivered):
        services.request_decide(actor=None, request=request, accept=True)
    today = timezone.localdate()
    services.request_deliver(actor=None, request=delivered, delivered_on=today, units=1)
    programme = services.programme_save(
        actor=None, slug="fairs", agency=w.agency,
        values={"department": "Internationalisation", "name_en": "Trade fairs",
                "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30),
                "budget_eur": 10000, "rate": "0.5"},
    )  # fmt: skip
    submitted, checked = (
        services.claim_submit(actor=None, programme=programme, organisation=w.member, costs_eur=800)
        for _ in range(2)
    )
    services.claim_check(actor=None, claim=checked)
    return {
        "category": category,
        "consultancy": consultancy,
        "pending_request": pending,
        "accepted_request": accepted,
        "delivered_request": delivered,
        "programme": programme,
        "submitted_claim": submitted,
        "checked_claim": checked,
    }


def by_parameter(w) -> dict:
    return {
        "service_slug": w.consultancy.slug,
        "programme_slug": w.programme.slug,
        "request_id": w.pending_request.pk,
        "claim_id": w.submitted_claim.pk,
        "fmt": "csv",
        "action": "accept",
    }


def by_endpoint(w) -> dict:
    accepted, delivered = w.accepted_request.pk, w.delivered_request.pk
    return {
        "service_uptake_export": Arguments({"fmt": "csv"}),
        "service_request_action [accept]": Arguments({"action": "accept"}),
        "service_request_action [deliver]": Arguments(
            {"request_id": accepted, "action": "deliver"}
        ),
        "service_request_action [rate]": Arguments({"request_id": delivered, "action": "rate"}),
        "service_import_file": Arguments({"what": "template", "fmt": "csv"}),
        "claim_action [check]": Arguments({"action": "check"}),
        "claim_action [approve]": Arguments({"claim_id": w.checked_claim.pk, "action": "approve"}),
        "/api/v1/services/requests/{request_id}/delivery": Arguments({"request_id": accepted}),
        "/api/v1/services/requests/{request_id}/rating": Arguments({"request_id": delivered}),
        "/api/v1/services/programmes/{slug}/claims": Arguments({"slug": w.programme.slug}),
        "/api/v1/services/catalogue/{slug}": Arguments({"slug": w.consultancy.slug}),
        "/api/v1/services/categories/{slug}": Arguments({"slug": w.category.slug}),
        "/api/v1/services/programmes/{slug}": Arguments({"slug": w.programme.slug}),
        "/api/v1/services/claims/{claim_id}/decision": Arguments({"claim_id": w.checked_claim.pk}),
    }


def writes(w) -> dict:
    today = timezone.localdate().isoformat()
    status = lambda model, pk: _value(model, pk, "status")  # noqa: E731
    pending = status(ServiceRequest, w.pending_request.pk)
    accepted = status(ServiceRequest, w.accepted_request.pk)
    rated = _value(ServiceRequest, w.delivered_request.pk, "rating")
    submitted = status(Claim, w.submitted_claim.pk)
    checked = status(Claim, w.checked_claim.pk)
    service = {
        "slug": "new-svc", "provider": "cluster:food", "provider_kind": "cluster",
        "category": w.category.pk, "name_en": "New", "list_price": "10", "member_price": "5",
        "unit": "hour", "aid_treatment": "none", "is_active": "on",
    }  # fmt: skip
    programme = {
        "slug": "vouchers", "agency": w.agency.pk, "department": "Competitiveness",
        "name_en": "Vouchers", "opens_on": "2026-01-01", "closes_on": "2026-12-31",
        "budget_eur": "20000", "rate": "0.5", "aid_treatment": "de-minimis",
    }  # fmt: skip
    page_saved = frozenset({200})
    return {
        "POST service_new": Write(service, _count(Service)),
        "POST service_edit": Write(
            service
            | {
                "provider": f"agency:{w.agency.slug}",
                "provider_kind": "agency",
                "list_price": "90",
                "member_price": "30",
                "aid_treatment": "de-minimis",
            },
            _value(Service, w.consultancy.pk, "member_price"),
        ),
        "POST service_categories": Write(
            {"slug": "design", "name_en": "Design"}, _count(ServiceCategory)
        ),
        "POST service_import": Write(
            {"kind": "services", "file": _upload("s.csv", IMPORTED)},
            _count(Service),
            written=page_saved,
        ),
        "POST programme_new": Write(programme, _count(Programme)),
        "POST programme_edit": Write(
            programme | {"slug": w.programme.slug, "budget_eur": "30000"},
            _value(Programme, w.programme.pk, "budget_eur"),
        ),
        "PUT /api/v1/services/catalogue/{slug}": Write(
            {
                "provider": w.agency.slug,
                "category": w.category.slug,
                "name_en": "Consultancy",
                "list_price": 90,
                "member_price": 30,
                "aid_treatment": "de-minimis",
            },
            _value(Service, w.consultancy.pk, "member_price"),
        ),
        "PUT /api/v1/services/categories/{slug}": Write(
            {"name_en": "Advice"}, _value(ServiceCategory, w.category.pk, "name_en")
        ),
        "PUT /api/v1/services/programmes/{slug}": Write(
            {
                "agency": w.agency.slug,
                "department": "Internationalisation",
                "name_en": "Trade fairs",
                "opens_on": "2026-01-01",
                "closes_on": "2026-12-31",
                "budget_eur": 30000,
                "rate": "0.5",
            },
            _value(Programme, w.programme.pk, "budget_eur"),
        ),
        "POST /api/v1/services/imports": Write(
            {"file": _upload("s.csv", IMPORTED)}, _count(Service)
        ),
        "POST service_detail": Write(
            {"organisation": w.member.pk, "units": "1"}, _count(ServiceRequest)
        ),
        "POST service_request_action [accept]": Write(probe=pending),
        "POST service_request_action [deliver]": Write({"date": today, "units": "1"}, accepted),
        "POST service_request_action [rate]": Write({"rating": "4"}, rated),
        "POST programme_detail": Write(
            {"organisation": w.member.pk, "costs_eur": "500"}, _count(Claim)
        ),
        "POST claim_action [check]": Write(probe=submitted),
        "POST claim_action [approve]": Write(probe=checked),
        "POST /api/v1/services/requests": Write(
            {"service": w.consultancy.pk, "organisation": w.member.slug}, _count(ServiceRequest)
        ),
        "POST /api/v1/services/requests/{request_id}/acceptance": Write(probe=pending),
        "POST /api/v1/services/requests/{request_id}/refusal": Write(
            {"reason": "Fully booked"}, pending
        ),
        "POST /api/v1/services/requests/{request_id}/delivery": Write(
            {"date": today, "units": 1}, accepted
        ),
        "POST /api/v1/services/requests/{request_id}/rating": Write({"rating": 5}, rated),
        "POST /api/v1/services/programmes/{slug}/claims": Write(
            {"organisation": w.member.slug, "costs_eur": 500}, _count(Claim)
        ),
        "POST /api/v1/services/claims/{claim_id}/check": Write(probe=submitted),
        "POST /api/v1/services/claims/{claim_id}/decision": Write({"approve": True}, checked),
    }
