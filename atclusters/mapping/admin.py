from django.contrib import admin

from atclusters.mapping.models import Dataset


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Datasets are written by `atclusters mapping import`; the admin shows them."""

    list_display = ["slug", "name", "nuts_version", "nace_version", "revision", "imported_at"]
    readonly_fields = [field.name for field in Dataset._meta.fields]

    def has_add_permission(self, request):
        return False
