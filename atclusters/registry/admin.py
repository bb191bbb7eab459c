from django.contrib import admin

from atclusters.core.admin import AuditedAdmin
from atclusters.registry.models import (
    AgreementDocument,
    ClusterOrganisation,
    CooperationAgreement,
    Invitation,
    Membership,
    Organisation,
)


@admin.register(ClusterOrganisation)
class ClusterAdmin(AuditedAdmin):
    list_display = ["name", "acronym", "agency", "country", "nuts_region", "status", "label"]
    list_filter = ["status", "label", "agency", "country"]
    search_fields = ["name", "acronym", "slug"]
    autocomplete_fields = ["nuts_region", "sectors"]
    filter_horizontal = ["technology_fields", "ecosystems", "s3_areas", "networks", "managers"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "type", "country", "size_class", "is_fictitious"]
    list_filter = ["type", "country", "is_fictitious"]
    search_fields = ["name", "vat_number", "national_id", "pic", "lei"]
    autocomplete_fields = ["nace", "nuts_region"]
    filter_horizontal = ["representatives"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["organisation", "cluster", "role", "since", "until"]
    list_filter = ["role", "cluster"]
    autocomplete_fields = ["organisation", "cluster"]


class DocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0


@admin.register(CooperationAgreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ["title", "type", "owner", "start", "end"]
    inlines = [DocumentInline]


admin.site.register(Invitation, list_display=["email", "cluster", "created_at", "accepted_at"])
