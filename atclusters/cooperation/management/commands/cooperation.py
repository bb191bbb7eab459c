"""`atclusters cooperation …` (docs/cooperation.md). Exit codes: 0 done; 2 bad input, naming the
option or the row."""

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atclusters.cooperation import selectors
from atclusters.cooperation.matching import Preferences, evaluate
from atclusters.registry.models import ClusterOrganisation


class Command(BaseCommand):
    help = "Cooperation: partner matching and its evaluation on known pairs."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        match = commands.add_parser("match", help="the best partners for a cluster")
        match.add_argument("--cluster", required=True, help="the cluster's identifier (slug)")
        match.add_argument("--top", type=int, default=10)
        match.add_argument("--kind", choices=["cluster", "organisation"], default="cluster")
        match.add_argument("--transnational", action="store_true", help="other countries only")
        match.add_argument("--countries", default="", help="e.g. PT,FR")
        match.add_argument(
            "--include-partners", action="store_true", help="keep current partners in the list"
        )
        match.add_argument("--json", action="store_true")
        evaluation = commands.add_parser("evaluate", help="recall@k and MRR of known pairs")
        evaluation.add_argument("pairs", type=Path, help="CSV: cluster_a,cluster_b (slugs)")
        evaluation.add_argument("--k", type=int, default=10)
        evaluation.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _match(self, options) -> None:
        if not 1 <= options["top"] <= 1000:
            raise CommandError("--top: give a number from 1 to 1000", returncode=2)
        index = selectors.matching_index(organisations=options["kind"] == "organisation")
        key = selectors.cluster_key(options["cluster"])
        if key not in index.position:
            raise CommandError(
                f"--cluster: no published cluster {options['cluster']!r}", returncode=2
            )
        countries = frozenset(
            c.strip().upper() for c in options["countries"].split(",") if c.strip()
        )
        matches = index.match(
            index.profiles[index.position[key]],
            top=options["top"],
            preferences=Preferences(
                transnational_only=options["transnational"],
                countries=countries,
                kinds=frozenset({options["kind"]}),
                exclude_partners=not options["include_partners"],
            ),
        )
        rows: list[dict] = [
            {"slug": m.key.split(":", 1)[1], "name": m.name, "score": m.score,
             "reasons": m.reasons, "signals": m.signals}
            for m in matches
        ]  # fmt: skip
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
        pairs, skipped = [], []
        known = set(ClusterOrganisation.objects.values_list("slug", flat=True))
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        for number, row in enumerate(reader, start=1):
            if not row or row[0].startswith("#") or row[:2] == ["cluster_a", "cluster_b"]:
                continue
            if len(row) < 2:
                raise CommandError(
                    f"{path.name} row {number}: give two cluster slugs", returncode=2
                )
            slugs = [slug.strip() for slug in row[:2]]
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                raise CommandError(
                    f"{path.name} row {number}: no cluster {', '.join(unknown)}", returncode=2
                )
            if any(selectors.cluster_key(slug) not in index.position for slug in slugs):
                skipped.append(f"row {number}: {' – '.join(slugs)} (not published)")
                continue
            pairs.append((selectors.cluster_key(slugs[0]), selectors.cluster_key(slugs[1])))
        result = {**evaluate(index, pairs, k=options["k"]), "skipped": skipped}
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
