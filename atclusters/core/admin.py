from django.contrib import admin

from atclusters.core.audit import audit_record, diff, snapshot
from atclusters.core.models import (
    Agency,
    ApiToken,
    AuditEntry,
    Country,
    NaceActivity,
    NutsChange,
    NutsRegion,
    SitePage,
    Term,
)


class AuditedAdmin(admin.ModelAdmin):
    """Back-office edits land in the same audit log as edits made in the platform."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        self._pending = (before, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, was_change = getattr(self, "_pending", ({}, change))
        audit_record(
            actor=request.user,
            action="update" if was_change else "create",
            instance=form.instance,
            changes=diff(before, snapshot(form.instance)),
            source="admin",
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action="delete",
            instance=obj,
            changes=diff(snapshot(obj), {}),
            source="admin",
        )
        super().delete_model(request, obj)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "acronym", "country"]
    filter_horizontal = ["regions", "staff"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(SitePage)
class SitePageAdmin(AuditedAdmin):
    list_display = ["slug", "updated_at"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(NutsRegion)
class NutsRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "country_code", "in_2016", "in_2021", "in_2024"]
    list_filter = ["level", "in_2024"]
    search_fields = ["code", "name"]


@admin.register(NaceActivity)
class NaceActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "version"]
    list_filter = ["version", "level"]
    search_fields = ["code", "name"]


@admin.register(AuditEntry)
class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records that are written elsewhere (and audited there); never changes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_repr", "source"]
    list_filter = ["action", "model", "source"]
    search_fields = ["object_repr", "actor_name"]


admin.site.register([Country, NutsChange])
admin.site.register(ApiToken, list_display=["name", "user", "prefix", "created_at", "last_used_at"])
