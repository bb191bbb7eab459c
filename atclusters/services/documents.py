"""The machine-readable shapes of the catalogue and of a delivery, shared by the command line
and the API (docs/services.md, "Command line and API")."""

from decimal import Decimal
from typing import Any

from atclusters.services.models import Service


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def catalogue_item(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "name": str(service),
        "provider": service.provider_slug,
        "category": service.category.slug,
        "price_eur": float(service.list_price),
        "member_price_eur": float(service.member_price),
        "aid_treatment": service.aid_treatment,
        "aid_value_eur": float(service.aid_per_unit()),
    }


def delivery_document(
    *,
    delivered: bool,
    aid_eur: Decimal,
    grant_id: int | None,
    headroom_eur: Decimal | None,
    reason: str,
) -> dict[str, Any]:
    return {
        "delivered": delivered,
        "aid_eur": float(aid_eur),
        "grant_id": grant_id,
        "headroom_eur": _number(headroom_eur),
        "reason": reason,
    }
