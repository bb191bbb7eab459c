"""`atclusters cooperation …` (docs/cooperation.md). Exit codes: 0 done; 2 bad input, naming the
option or the row."""

import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from atclusters.cooperation import selectors
from atclusters.cooperation.matching import Preferences, evaluate


class Command(BaseCommand):
    help = "Cooperation: partner matching and its evaluation on known pairs."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        match = commands.add_parser("match", help="the best partners for a cluster")
        query = match.add_mutually_exclusive_group(required=True)
        query.add_argument("--cluster", help="a published cluster's identifier (slug)")
        query.add_argument("--organisation", help="an organisation's identifier (slug)")
        query.add_argument("--posting", help="a published posting's number")
        match.add_argument("--top", type=int, default=10)
        match.add_argument(
            "--kind",
            choices=["cluster", "organisation", "posting"],
            default="cluster",
            help="what to find (posting: published postings still open)",
        )
        match.add_argument("--transnational", action="store_true", help="other countries only")
        match.add_argument("--countries", default="", help="e.g. PT,FR")
        match.add_argument(
            "--regions", default="", help="NUTS codes, e.g. ES11,PT1 (with --countries: any)"
        )
        match.add_argument(
            "--include-partners", action="store_true", help="keep current partners in the list"
        )
        match.add_argument("--json", action="store_true")
        match.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="the language of the reasons",
        )
        meta = commands.add_parser(
            "meta-clusters", help="groups of related clusters across countries"
        )
        meta.add_argument("--threshold", type=float, default=0.3, help="edge score (0-1)")
        meta.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution")
        meta.add_argument("--seed", type=int, default=42)
        meta.add_argument("--json", action="store_true")
        evaluation = commands.add_parser("evaluate", help="recall@k and MRR of known pairs")
        evaluation.add_argument("pairs", type=Path, help="CSV: cluster_a,cluster_b (slugs)")
        evaluation.add_argument("--k", type=int, default=10)
        evaluation.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _meta_clusters(self, options) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold: give a score between 0 and 1", returncode=2)
        if options["resolution"] <= 0:
            raise CommandError("--resolution: give a positive number", returncode=2)
        groups = selectors.meta_clusters(
            threshold=options["threshold"], resolution=options["resolution"], seed=options["seed"]
        )
        if options["json"]:
            self.stdout.write(
                json.dumps([asdict(group) for group in groups], ensure_ascii=False, indent=2)
            )
            return
        for group in groups:
            self.stdout.write(
                f"{group.name}: {len(group.members)} clusters in {', '.join(group.countries)} "
                f"(cohesion {group.cohesion:.2f}, {len(group.agreements)} agreements)"
            )
            for first, second, score in group.missing_links:
                self.stdout.write(f"    missing link {first} – {second} ({score:.2f})")

    def _match(self, options) -> None:
        if not 1 <= options["top"] <= 1000:
            raise CommandError("--top: give a number from 1 to 1000", returncode=2)
        kind = next(k for k in ("cluster", "organisation", "posting") if options[k])
        index = selectors.matching_index(organisations="organisation" in (kind, options["kind"]))
        query = selectors.query_profile(index, kind=kind, identifier=str(options[kind]))
        if query is None:
            raise CommandError(
                f"--{kind}: no {'published ' if kind != 'organisation' else ''}{kind} "
                f"{options[kind]!r}",
                returncode=2,
            )
        try:
            countries, regions = selectors.places(options["countries"], options["regions"])
        except selectors.UnknownPlaces as error:
            raise CommandError(f"--{error.field}: {error}", returncode=2) from error
        candidates = selectors.posting_index(index) if options["kind"] == "posting" else index
        matches = selectors.partner_matches(
            candidates,
            query,
            top=options["top"],
            preferences=Preferences(
                transnational_only=options["transnational"],
                countries=countries,
                regions=regions,
                kinds=frozenset({options["kind"]}),
                exclude_partners=not options["include_partners"],
            ),
        )
        with translation.override(options["language"]):
            rows: list[dict] = [selectors.match_document(m) for m in matches]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(f"{rank:>3}. {row['score']:.3f}  {row['name']} ({row['slug']})")
            for reason in row["reasons"]:
                self.stdout.write(f"        {reason}")

    def _evaluate(self, options) -> None:
        path: Path = options["pairs"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        if options["k"] < 1:
            raise CommandError("--k: give a number from 1", returncode=2)
        index = selectors.matching_index(organisations=False)
        try:
            pairs, skipped = selectors.known_pairs(path.read_text(encoding="utf-8-sig"), index)
        except ValueError as error:
            raise CommandError(f"{path.name} {error}", returncode=2) from error
        result = {
            **evaluate(index, pairs, k=options["k"], weights=selectors.weights()),
            "skipped": skipped,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            f"{result['queries']} queries from {result['pairs']} pairs: "
            f"recall@{result['k']} {result['recall_at_k']:.3f}, MRR {result['mrr']:.3f}"
        )
        for ranked in result["ranks"]:
            self.stdout.write(f"  {ranked['query']} → {ranked['target']}: rank {ranked['rank']}")
        for line in skipped:
            self.stdout.write(f"  skipped {line}")
