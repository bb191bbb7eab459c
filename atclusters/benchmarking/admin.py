from django.contrib import admin

from atclusters.benchmarking.models import Framework
from atclusters.core.admin import ReadOnlyAdmin


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    """Frameworks are imported as versioned documents (`atclusters benchmarking framework
    import`); a stored version never changes."""

    list_display = ["slug", "version", "created_at"]
