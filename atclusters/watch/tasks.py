"""Background jobs of the watch (django.tasks)."""

from django.tasks import task


@task()
def sources_fetch() -> int:
    """Fetches every source whose time has come; returns how many were fetched."""
    from atclusters.watch import services

    return len(services.sources_due())


@task()
def bulletins_periodic() -> int:
    """Makes and sends the topics' weekly and monthly bulletins not sent yet; returns how many
    bulletins went out."""
    from atclusters.watch import services

    return sum(1 for _bulletin, sent in services.bulletins_of_periods() if sent)
