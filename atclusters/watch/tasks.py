"""Background jobs of the watch (django.tasks)."""

from django.tasks import task


@task()
def sources_fetch() -> int:
    """Fetches every source whose time has come; returns how many were fetched."""
    from atclusters.watch import services

    return len(services.sources_due())
