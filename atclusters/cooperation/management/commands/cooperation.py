"""`atclusters cooperation …` (docs/cooperation.md). Exit codes: 0 done; 2 bad input, naming the
option or the row."""

import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from atclusters.cooperation import learning, selectors, services
from atclusters.cooperation.matching import Preferences
from atclusters.cooperation.synergy import MODES


class Command(BaseCommand):
    help = (
        "Cooperation: partner matching, its evaluation on known pairs, and weights learned from "
        "the recorded cooperation."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        match = commands.add_parser("match", help="the best partners for a cluster")
        query = match.add_mutually_exclusive_group(required=True)
        query.add_argument("--cluster", help="a published cluster's identifier (slug)")
        query.add_argument("--organisation", help="an organisation's identifier (slug)")
        query.add_argument("--posting", help="a published posting's number")
        match.add_argument("--top", type=int, default=10)
        match.add_argument(
            "--mode",
            choices=MODES,
            default="abroad",
            help="abroad: partners in my value chain (anywhere, another country counts); region: "
            "synergies in my and neighbouring NUTS 2 regions across sectors; any: both lists merged "
            "by rank",
        )
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
        meta.add_argument(
            "--view",
            choices=["abroad", "region"],
            default="abroad",
            help="abroad: groups across countries; region: nearby clusters of other sectors",
        )
        meta.add_argument("--json", action="store_true")
        evaluation = commands.add_parser("evaluate", help="recall@k and MRR of known pairs")
        known = evaluation.add_mutually_exclusive_group(required=True)
        known.add_argument("pairs", type=Path, nargs="?", help="CSV: cluster_a,cluster_b (slugs)")
        known.add_argument(
            "--recorded",
            action="store_true",
            help="the cooperation the platform records (agreements, interests, networks, joint "
            "events, working groups and proposals): figures only, no pair listed",
        )
        evaluation.add_argument("--k", type=int, default=10)
        evaluation.add_argument(
            "--mode", choices=[*MODES, "all"], default="all", help="the question(s) to evaluate"
        )
        evaluation.add_argument("--json", action="store_true")
        learn = commands.add_parser(
            "learn", help="fit the signal weights on the recorded cooperation"
        )
        learn.add_argument("--question", choices=learning.QUESTIONS, default="abroad")
        learn.add_argument("--k", type=int, default=10, help="recall@k of the held-out pairs")
        learn.add_argument(
            "--test-share", type=float, default=0.3, help="the latest pairs held out (0-1)"
        )
        learn.add_argument("--negatives", type=int, default=10, help="sampled per positive")
        learn.add_argument("--seed", type=int, default=42)
        learn.add_argument(
            "--save", action="store_true", help="store them (the admin may use them)"
        )
        learn.add_argument("--use", action="store_true", help="store them and use them at once")
        learn.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _meta_clusters(self, options) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold: give a score between 0 and 1", returncode=2)
        if options["resolution"] <= 0:
            raise CommandError("--resolution: give a positive number", returncode=2)
        groups = selectors.meta_clusters(
            threshold=options["threshold"],
            resolution=options["resolution"],
            seed=options["seed"],
            view=options["view"],
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
            mode=options["mode"],
            preferences=Preferences(
                transnational_only=options["transnational"],
                countries=countries,
                regions=regions,
                kinds=frozenset({options["kind"]}),
                exclude_partners=not options["include_partners"],
            ),
        )
        with translation.override(options["language"]):
            names = selectors.reader_names()
            rows: list[dict] = [selectors.match_document(m, names) for m in matches]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(f"{rank:>3}. {row['score']:.3f}  {row['name']} ({row['slug']})")
            for reason in row["reasons"]:
                self.stdout.write(f"        {reason}")

    def _evaluate(self, options) -> None:
        path: Path | None = options["pairs"]
        if path is not None and not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        if options["k"] < 1:
            raise CommandError("--k: give a number from 1", returncode=2)
        index = selectors.matching_index(organisations=False)
        modes = MODES if options["mode"] == "all" else (options["mode"],)
        if path is None:
            result = selectors.recorded_evaluation(index, k=options["k"], modes=modes)
            skipped: list[str] = []
        else:
            try:
                pairs, skipped = selectors.known_pairs(path.read_text(encoding="utf-8-sig"), index)
            except ValueError as error:
                raise CommandError(f"{path.name} {error}", returncode=2) from error
            result = selectors.evaluation(index, pairs, k=options["k"], modes=modes)
            result["skipped"] = skipped
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        if path is None:
            self.stdout.write(
                "recorded: "
                + ", ".join(f"{kind} {count}" for kind, count in result["records"].items())
            )
        for mode, figures in result["modes"].items():
            self.stdout.write(
                f"{mode}: {figures['queries']} queries from {figures['pairs']} pairs: "
                f"recall@{figures['k']} {figures['recall_at_k']:.3f}, MRR {figures['mrr']:.3f}"
            )
            for kind, part in figures["by_type"].items():
                if part["queries"]:
                    self.stdout.write(
                        f"    {kind.replace('_', ' ')}: {part['queries']} queries, "
                        f"recall@{figures['k']} {part['recall_at_k']:.3f}, MRR {part['mrr']:.3f}"
                    )
            for ranked in figures.get("ranks", []):
                self.stdout.write(
                    f"    {ranked['query']} → {ranked['target']}: rank {ranked['rank']}"
                )
        for line in skipped:
            self.stdout.write(f"  skipped {line}")

    def _learn(self, options) -> None:
        if not 0 < options["test_share"] < 1:
            raise CommandError("--test-share: give a number between 0 and 1", returncode=2)
        for name in ("k", "negatives"):
            if options[name] < 1:
                raise CommandError(f"--{name}: give a number from 1", returncode=2)
        index = selectors.matching_index(organisations=False)
        pairs = selectors.recorded_cooperation(index)
        try:
            result = learning.held_out(
                selectors.synergy_index(index),
                pairs,
                options["question"],
                k=options["k"],
                test_share=options["test_share"],
                negatives=options["negatives"],
                seed=options["seed"],
                default=selectors.default_weights(options["question"]),
            )
        except learning.NotEnoughCooperation as error:
            raise CommandError(f"{error}: record more first", returncode=2) from error
        if options["save"] or options["use"]:
            row = services.learned_weights_save(actor=None, result=result, use=options["use"])
            result["saved"] = row.pk
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        learned = result["learned"]
        self.stdout.write(
            f"{options['question']}: learned from {result['train']} recorded pairs "
            f"({learned['positives']} positives, both directions, the question may propose; "
            f"{learned['outside']} outside it) and {learned['negatives']} sampled negatives; "
            f"the latest {result['test']} pairs held out"
        )
        for name, value in sorted(learned["weights"].items(), key=lambda item: -item[1]):
            self.stdout.write(f"    {name:<16} {value:.4f}")
        for label, key in (("default weights", "default"), ("learned weights", "learned_ranking")):
            figures = result[key]
            self.stdout.write(
                f"  held out, {label}: recall@{result['k']} {figures['recall_at_k']:.3f}, "
                f"MRR {figures['mrr']:.3f} ({figures['queries']} queries)"
            )
        if "saved" in result:
            self.stdout.write(
                f"  saved as number {result['saved']}" + (", in use" if options["use"] else "")
            )
