from django.contrib import admin

from atclusters.core.admin import ReadOnlyAdmin
from atclusters.stateaid.models import Grant, Restructuring, Undertaking, UndertakingLink


class RegisterAdmin(ReadOnlyAdmin):
    """The register is written through its services (pages, CLI, API), which check the
    ceilings and keep grants append-only and audited; the admin only shows it."""


@admin.register(Undertaking)
class UndertakingAdmin(RegisterAdmin):
    list_display = ["identifier", "name", "country", "vat", "organisation"]
    search_fields = ["identifier", "name", "vat"]


@admin.register(UndertakingLink)
class UndertakingLinkAdmin(RegisterAdmin):
    list_display = ["parent", "child", "relation", "valid_from", "valid_to"]


@admin.register(Grant)
class GrantAdmin(RegisterAdmin):
    list_display = ["reference", "entry", "undertaking", "member_state", "basis", "regulation",
                    "gge_eur", "grant_date", "report_due", "reported_on"]  # fmt: skip
    list_filter = ["member_state", "basis", "regulation", "entry"]
    search_fields = ["reference", "undertaking__name", "undertaking__identifier"]


@admin.register(Restructuring)
class RestructuringAdmin(RegisterAdmin):
    list_display = ["kind", "entry", "date", "source", "absorbing", "reason"]
