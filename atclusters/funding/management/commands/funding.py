"""`atclusters funding …`: the same command as `atclusters eu …` (issue 24 names it `eu`)."""

from atclusters.funding.management.commands.eu import Command

__all__ = ["Command"]
