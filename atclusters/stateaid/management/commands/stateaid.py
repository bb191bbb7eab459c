"""`atclusters stateaid …`: the de minimis register on the command line (docs/stateaid.md).

The command line acts as the operator, for every Member State, unless `--as USERNAME` names the
user to act as: then the same rule as on the pages and the API applies (`permissions`).

Exit codes: 0 done (a check that allows the grant, an eligible GGE); 1 refused (a check above a
ceiling, a GGE outside the method's conditions, a grant refused); 2 bad input, nothing written;
3 not allowed for the `--as` user (another Member State's aid or register), nothing written."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.registry.models import ClusterOrganisation
from atclusters.stateaid import documents, importers, permissions, rules, selectors, services
from atclusters.stateaid.models import Grant, Restructuring, Undertaking

FORBIDDEN = 3


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


def _day(text: str) -> date:
    return date.fromisoformat(text)


_pair = documents.key_and_value


class _RegisterCommands:
    """The subcommands, each reading or writing the register with `--as USERNAME`."""

    def __init__(self, subparsers):
        self.subparsers = subparsers

    def add_parser(self, name: str, *, reads_register: bool = True, **options):
        parser = self.subparsers.add_parser(name, **options)
        if reads_register:
            parser.add_argument(
                "--as",
                dest="as_user",
                metavar="USERNAME",
                help="act as this user, with their rights (default: the operator, every "
                "Member State)",
            )
        return parser


class Command(BaseCommand):
    help = (
        "The de minimis register: imports, ceiling checks, GGE, grants, mergers, splits, exports."
    )

    def add_arguments(self, parser):
        commands = _RegisterCommands(parser.add_subparsers(dest="action", required=True))
        for kind, columns in (
            ("undertakings", "id, name, country, vat"),
            ("links", "parent_id, child_id, relation, valid_from, valid_to"),
            ("grants", "undertaking_id, grant_date, amount, currency, eur_rate, regulation, …"),
        ):
            importing = commands.add_parser(
                f"import-{kind}",
                help=f"import {kind} from CSV/XLSX/JSON ({columns}); all or nothing",
            )
            importing.add_argument("file", type=Path)
            importing.add_argument("--dry-run", action="store_true", help="check, write nothing")
            importing.add_argument("--json", action="store_true")

        check = commands.add_parser("check", help="may this amount be granted? (exit 1: no)")
        self._grant_arguments(check)
        check.add_argument("--json", action="store_true")

        grant = commands.add_parser("grant", help="check and record a grant in one step")
        self._grant_arguments(grant)
        grant.add_argument("--reference", required=True)
        grant.add_argument("--authority", required=True, help="granting authority")
        grant.add_argument("--nominal", type=_decimal, help="amount in --currency (default: EUR)")
        grant.add_argument("--currency", default="EUR")
        grant.add_argument("--eur-rate", type=_decimal, default=Decimal(1), help="units per euro")
        grant.add_argument("--rate-source", default="")
        grant.add_argument("--instrument", choices=Grant.Instrument.values, default="grant")
        grant.add_argument("--basis", choices=Grant.Basis.values, default="de-minimis")
        grant.add_argument("--scheme", default="")
        grant.add_argument("--purpose", default="")
        grant.add_argument("--nace", default="")
        grant.add_argument("--cluster", help="cluster (slug) the aid went to or came through")
        grant.add_argument("--cluster-aid", choices=["investment", "operating"], default="")
        grant.add_argument("--assisted-area", choices=["a", "c"], default="")
        grant.add_argument("--operating-years", type=int, default=0)
        grant.add_argument("--json", action="store_true")

        for action in ("correct", "revoke"):
            change = commands.add_parser(action, help=f"{action} a grant (a new entry)")
            change.add_argument("--reference", required=True)
            change.add_argument("--member-state", required=True)
            change.add_argument("--reason", required=True)
            if action == "correct":
                change.add_argument("--amount", type=_decimal, help="corrected amount (EUR)")
                change.add_argument("--date", type=_day, help="corrected grant date")
                change.add_argument("--reported-on", type=_day)

        gge = commands.add_parser(
            "gge", help="gross grant equivalent of a loan or guarantee", reads_register=False
        )
        gge.add_argument("--instrument", choices=["loan", "guarantee"], required=True)
        gge.add_argument("--amount", type=_decimal, required=True)
        gge.add_argument("--years", type=_decimal, required=True)
        gge.add_argument(
            "--method",
            choices=["safe-harbour", "reference-rate", "premium"],
            default="safe-harbour",
        )
        gge.add_argument("--collateral-share", type=_decimal)
        share = gge.add_mutually_exclusive_group()
        share.add_argument("--guarantee-share", type=_decimal)
        share.add_argument("--loan-amount", type=_decimal)
        for rate in (
            "reference-rate",
            "loan-rate",
            "discount-rate",
            "base-rate",
            "market-premium",
            "premium",
        ):
            gge.add_argument(f"--{rate}", type=_decimal)
        gge.add_argument(
            "--rating", help="letter rating AAA … D, or strong|good|satisfactory|weak|bad"
        )
        gge.add_argument(
            "--size",
            choices=rules.SIZES,
            default="sme",
            help="the beneficiary: sme (default) or large (Art. 4(3)(a)/4(6)(a): rating ≥ B-)",
        )
        gge.add_argument(
            "--insolvency-proceedings",
            action="store_true",
            help="the beneficiary is subject to (or meets the criteria for) collective "
            "insolvency proceedings: not transparent aid (Art. 4(3)(a)/4(6)(a))",
        )
        gge.add_argument("--collateral-level", choices=rules.COLLATERAL_LEVELS)
        gge.add_argument("--schedule", choices=["bullet", "linear"], default="bullet")
        gge.add_argument("--json", action="store_true")

        merge = commands.add_parser("merge", help="record a merger or acquisition (Art. 3(8))")
        merge.add_argument("--absorbing", required=True)
        merge.add_argument("--absorbed", required=True)
        merge.add_argument("--date", type=_day, required=True)

        split = commands.add_parser("split", help="record a split (Art. 3(9))")
        split.add_argument("--source", required=True)
        split.add_argument("--date", type=_day, required=True)
        split.add_argument(
            "--successor", type=_pair, action="append", required=True, help="ID:EQUITY_EUR"
        )
        split.add_argument("--activity", type=_pair, action="append", help="GRANT_REF:ID")

        listing = commands.add_parser(
            "restructurings", help="an undertaking's mergers and splits, every entry, with IDs"
        )
        listing.add_argument("--undertaking", required=True, help="undertaking ID")
        listing.add_argument("--json", action="store_true")

        for action in ("correct", "revoke"):
            change = commands.add_parser(
                f"{action}-restructuring", help=f"{action} a merger or split (a new entry)"
            )
            change.add_argument("--id", type=int, required=True, help="the entry's ID")
            change.add_argument("--reason", required=True)
            if action == "correct":
                change.add_argument("--date", type=_day, help="corrected date")
                change.add_argument(
                    "--successor", type=_pair, action="append", help="ID:EQUITY_EUR, every one"
                )
                change.add_argument(
                    "--activity", type=_pair, action="append", help="GRANT_REF:ID, every one"
                )

        export = commands.add_parser("export", help="the register, or part of it, as a file")
        export.add_argument("--kind", choices=selectors.EXPORT_KINDS, default="register")
        export.add_argument("--format", choices=documents.EXPORT_FORMATS, default="csv")
        export.add_argument("-o", "--output", type=Path, required=True)

        overdue = commands.add_parser("overdue", help="entries past their reporting deadline")
        overdue.add_argument("--json", action="store_true")

    def _grant_arguments(self, parser) -> None:
        parser.add_argument("--undertaking", required=True, help="undertaking ID")
        parser.add_argument("--date", type=_day, required=True, help="grant date YYYY-MM-DD")
        parser.add_argument("--amount", type=_decimal, required=True, help="GGE in euros")
        parser.add_argument("--regulation", choices=rules.KINDS, default=rules.GENERAL)
        parser.add_argument("--member-state", default="", help="two letters, e.g. ES")
        parser.add_argument("--eligible-costs", type=_decimal, help="other aid: same costs")
        parser.add_argument("--max-intensity", type=_decimal, help="other aid: highest intensity")
        parser.add_argument("--other-aid", type=_decimal, help="other aid for the same costs")
        parser.add_argument(
            "--road-freight",
            action="store_true",
            help="road freight transport for hire or reward (1407/2013: EUR 100,000 ceiling)",
        )

    def handle(self, *args, **options):
        action = options["action"]
        self.actor = self._actor(options.get("as_user"))
        try:
            if action.startswith("import-"):
                return self._import(action.removeprefix("import-"), options)
            getattr(self, f"_{action.replace('-', '_')}")(options)
        except DomainError as error:
            raise self._fail(error.field, str(error)) from error
        except permissions.NotYourMemberState as error:
            raise self._fail(error.field, str(error), FORBIDDEN) from error
        except PermissionDenied as error:
            raise self._fail("as", "may not change the de minimis register", FORBIDDEN) from error
        except permissions.NotVisible as error:
            raise self._fail("as", "may not read this Member State's aid", FORBIDDEN) from error

    # helpers

    def _actor(self, username: str | None) -> AnyUser:
        """The operator (None, every Member State) or the active user named by `--as`."""
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise self._fail("as", f"no active user {username!r}")
        return user

    def _fail(self, field: str, message: str, code: int = 2) -> CommandError:
        option = {"restructuring": "id", "successors": "successor"}.get(field, field)
        return CommandError(f"--{option.replace('_', '-')}: {message}", returncode=code)

    def _undertaking(self, identifier: str, field: str = "undertaking") -> Undertaking:
        undertaking = selectors.visible_undertaking(user=self.actor, identifier=identifier)
        if undertaking is None:
            raise self._fail(field, f"unknown undertaking {identifier!r}")
        return undertaking

    def _member_state(self, options) -> str:
        if not options["member_state"]:
            return ""
        try:
            return rules.member_state_code(options["member_state"])
        except ValueError as error:
            raise self._fail("member_state", str(error)) from error

    def _same_costs(self, options) -> rules.SameCosts | None:
        given = [options[key] is not None for key in ("eligible_costs", "max_intensity")]
        if not any(given):
            return None
        if not all(given):
            raise self._fail("max_intensity", "give --eligible-costs and --max-intensity together")
        return rules.SameCosts(
            options["eligible_costs"], options["max_intensity"], options["other_aid"] or Decimal(0)
        )

    def _emit(self, options, document: dict[str, Any], text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(text)

    # actions

    def _import(self, kind: str, options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        report, over = importers.register_import(
            actor=self.actor,
            kind=kind,
            content=path.read_bytes(),
            filename=path.name,
            dry_run=options["dry_run"],
        )
        document = {**report.as_dict(), "over_ceiling": over}
        if not report.ok:
            if options["json"]:
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
            problems = "\n".join(str(error) for error in report.errors)
            raise CommandError(
                f"{path.name}: nothing imported; {len(report.errors)} problem(s):\n{problems}",
                returncode=2,
            )
        text = (
            f"{path.name}: {report.rows} rows, {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged"
            + (" (dry run: nothing written)" if options["dry_run"] else "")
        )
        for item in over:
            text += (
                f"\nwarning: {item['reference']} takes {item['undertaking']} above the "
                f"{item['cap']} on {item['grant_date']} "
                f"(EUR {item['counted_eur']:,.2f} > {item['ceiling_eur']:,.2f})"
            )
        self._emit(options, document, text)

    def _check(self, options) -> None:
        if options["amount"] < 0:
            raise self._fail("amount", "must not be negative")
        undertaking = self._undertaking(options["undertaking"])
        try:
            result = selectors.de_minimis_check(
                user=self.actor,
                undertaking=undertaking,
                grant_date=options["date"],
                amount=options["amount"],
                regulation=options["regulation"],
                member_state=self._member_state(options),
                same_costs=self._same_costs(options),
                road_freight=options["road_freight"],
            )
        except ValueError as error:
            raise self._fail("date", str(error)) from error
        except permissions.NotVisible as error:
            raise self._fail(
                "member_state", "you may not read this Member State's aid", FORBIDDEN
            ) from error
        document = documents.check_document(
            result, regulation=options["regulation"], grant_date=options["date"]
        )
        self._emit(
            options,
            document,
            f"{'allowed' if result.allowed else 'refused'}: {result.reason}\n"
            f"headroom EUR {result.headroom:,}; window {result.window_start} – "
            f"{result.window_end}; single undertaking: {', '.join(result.group)}",
        )
        if not result.allowed:
            raise SystemExit(1)

    def _grant(self, options) -> None:
        undertaking = self._undertaking(options["undertaking"])
        cluster = None
        if options["cluster"]:
            cluster = ClusterOrganisation.objects.filter(slug=options["cluster"]).first()
            if cluster is None:
                raise self._fail("cluster", f"unknown cluster {options['cluster']!r}")
        nominal = options["nominal"] if options["nominal"] is not None else options["amount"]
        money = services.Money(
            nominal, options["currency"].upper(), options["eur_rate"], options["rate_source"]
        )
        try:
            grant = services.grant_record(
                actor=self.actor,
                undertaking=undertaking,
                reference=options["reference"],
                grant_date=options["date"],
                money=money,
                member_state=options["member_state"],
                granting_authority=options["authority"],
                basis=options["basis"],
                regulation=options["regulation"],
                instrument=options["instrument"],
                gge_eur=options["amount"],
                scheme=options["scheme"],
                purpose=options["purpose"],
                nace=options["nace"],
                cluster=cluster,
                cluster_aid=options["cluster_aid"],
                eligible_costs_eur=options["eligible_costs"],
                assisted_area=options["assisted_area"],
                operating_years=options["operating_years"],
                same_costs=self._same_costs(options) if not options["cluster_aid"] else None,
                road_freight=options["road_freight"],
                source="cli",
            )
        except services.CeilingExceeded as error:
            document = documents.check_document(
                error.result, regulation=options["regulation"], grant_date=options["date"]
            )
            self._emit(options, {"recorded": False, **document}, f"refused: {error}")
            raise SystemExit(1) from error
        except services.ClusterAidRefused as error:
            self._emit(
                options, {"recorded": False, "reasons": error.result.reasons}, f"refused: {error}"
            )
            raise SystemExit(1) from error
        self._emit(
            options,
            {
                "recorded": True,
                "id": grant.pk,
                "reference": grant.reference,
                "gge_eur": float(grant.gge_eur),
                "report_due": grant.report_due.isoformat() if grant.report_due else None,
            },
            f"recorded {grant.reference}: EUR {grant.gge_eur:,} to {undertaking.identifier}; "
            f"report to the central register by {grant.report_due}",
        )

    def _current(self, options) -> Grant:
        member_state = self._member_state(options)
        grant = (
            selectors.effective_grants()
            .filter(pk__in=permissions.visible_grants(self.actor).values("pk"))
            .filter(reference=options["reference"], member_state=member_state)
            .first()
        )
        if grant is None:
            raise self._fail(
                "reference", f"no grant {options['reference']!r} in force in {member_state}"
            )
        return grant

    def _correct(self, options) -> None:
        grant = self._current(options)
        changes: dict[str, Any] = {}
        if options["amount"] is not None:
            changes.update(nominal_amount=options["amount"], gge_eur=options["amount"])
            if grant.currency != "EUR":
                changes["nominal_amount"] = options["amount"] * grant.eur_rate
        if options["date"] is not None:
            changes["grant_date"] = options["date"]
        if options["reported_on"] is not None:
            changes["reported_on"] = options["reported_on"]
        if not changes:
            raise self._fail("amount", "give --amount, --date or --reported-on")
        try:
            entry = services.grant_correct(
                actor=self.actor,
                grant=grant,
                reason=options["reason"],
                changes=changes,
                source="cli",
            )
        except services.CeilingExceeded as error:
            self.stderr.write(f"refused: {error}")
            raise SystemExit(1) from error
        self.stdout.write(f"{entry.reference}: correction {entry.pk} replaces {grant.pk}")

    def _revoke(self, options) -> None:
        grant = self._current(options)
        entry = services.grant_revoke(
            actor=self.actor, grant=grant, reason=options["reason"], source="cli"
        )
        self.stdout.write(f"{entry.reference}: revoked (entry {entry.pk})")

    def _gge(self, options) -> None:
        try:
            equivalent = rules.gross_grant_equivalent(
                instrument=options["instrument"],
                amount=options["amount"],
                years=options["years"],
                method=options["method"],
                collateral_share=options["collateral_share"],
                guarantee_share=options["guarantee_share"],
                loan_amount=options["loan_amount"],
                reference_rate=options["reference_rate"],
                loan_rate=options["loan_rate"],
                discount_rate=options["discount_rate"],
                base_rate=options["base_rate"],
                rating=options["rating"],
                collateral_level=options["collateral_level"],
                schedule=options["schedule"],
                market_premium=options["market_premium"],
                premium=options["premium"],
                size=options["size"],
                insolvency_proceedings=options["insolvency_proceedings"],
            )
        except rules.InputError as error:
            raise self._fail(error.field, str(error)) from error
        self._emit(
            options,
            documents.equivalent_document(equivalent),
            f"{'eligible' if equivalent.eligible else 'not eligible'} ({equivalent.method}): "
            f"GGE EUR {equivalent.gge:,}; {equivalent.reason}",
        )
        if not equivalent.eligible:
            raise SystemExit(1)

    def _merge(self, options) -> None:
        absorbing = self._undertaking(options["absorbing"], "absorbing")
        absorbed = self._undertaking(options["absorbed"], "absorbed")
        merger = services.merger_record(
            actor=self.actor,
            absorbing=absorbing,
            absorbed=absorbed,
            on=options["date"],
            source="cli",
        )
        self.stdout.write(
            f"merger {merger.pk} recorded: from {options['date']} the aid of "
            f"{absorbed.identifier} counts for {absorbing.identifier}"
        )

    def _split(self, options) -> None:
        source = self._undertaking(options["source"], "source")
        successors = self._successors(options)
        split = services.split_record(
            actor=self.actor,
            source_undertaking=source,
            on=options["date"],
            successors=successors,
            activity=dict(options["activity"] or []),
            source="cli",
        )
        self.stdout.write(
            f"split {split.pk} recorded: from {options['date']} the aid of {source.identifier} "
            f"counts for {', '.join(successors)}"
        )

    def _successors(self, options) -> dict[str, Decimal]:
        try:
            return {key: _decimal(value) for key, value in options["successor"]}
        except ValueError as error:
            raise self._fail("successor", f"equity {error} is not a number") from error

    def _restructurings(self, options) -> None:
        undertaking = self._undertaking(options["undertaking"])
        entries = selectors.restructurings_of(user=self.actor, undertaking=undertaking)
        document = [
            {
                "id": entry.pk,
                "kind": entry.kind,
                "entry": entry.entry,
                "corrects": entry.corrects_id,
                "in_force": entry.entry != Restructuring.Entry.REVOCATION
                and not hasattr(entry, "replaced_by"),
                "date": entry.date.isoformat(),
                "source": entry.source.identifier,
                "absorbing": entry.absorbing.identifier if entry.absorbing else None,
                "successors": entry.successors,
                "activity": entry.activity,
                "reason": entry.reason,
            }
            for entry in entries
        ]
        self._emit(
            options,
            {"restructurings": document},
            "\n".join(
                f"{d['id']} {d['date']} {d['kind']} {d['entry']}"
                f"{'' if d['in_force'] else ' (not in force)'}: {d['source']}"
                f" → {d['absorbing'] or ', '.join(d['successors'])}"
                for d in document
            )
            or "no mergers or splits",
        )

    def _restructuring(self, options) -> Restructuring:
        restructuring = Restructuring.objects.filter(pk=options["id"]).first()
        if restructuring is None or not permissions.can_manage_register(self.actor):
            raise self._fail("id", f"no merger or split {options['id']}")
        return restructuring

    def _correct_restructuring(self, options) -> None:
        restructuring = self._restructuring(options)
        changes: dict[str, Any] = {}
        if options["date"] is not None:
            changes["date"] = options["date"]
        if options["successor"]:
            changes["successors"] = self._successors(options)
        if options["activity"]:
            changes["activity"] = dict(options["activity"])
        if not changes:
            raise self._fail("date", "give --date, --successor or --activity")
        entry = services.restructuring_correct(
            actor=self.actor,
            restructuring=restructuring,
            reason=options["reason"],
            changes=changes,
            source="cli",
        )
        self.stdout.write(f"{entry.kind}: correction {entry.pk} replaces {restructuring.pk}")

    def _revoke_restructuring(self, options) -> None:
        restructuring = self._restructuring(options)
        entry = services.restructuring_revoke(
            actor=self.actor, restructuring=restructuring, reason=options["reason"], source="cli"
        )
        self.stdout.write(f"{entry.kind} {restructuring.pk}: revoked (entry {entry.pk})")

    def _export(self, options) -> None:
        kind, fmt = options["kind"], options["format"]
        columns, rows = selectors.export_rows(
            kind=kind, user=self.actor, today=timezone.localdate()
        )
        content = documents.write_rows(columns, rows, fmt, root="register", item="grant")
        options["output"].write_bytes(content)
        self.stdout.write(f"{options['output']}: {len(rows)} entries ({kind}, {fmt})")

    def _overdue(self, options) -> None:
        overdue = selectors.overdue_reports(user=self.actor, today=timezone.localdate())
        rows = selectors.register_rows(user=self.actor, entries=overdue)
        document = [
            {
                "reference": row["reference"],
                "undertaking": row["beneficiary_id"],
                "member_state": row["member_state"],
                "grant_date": row["grant_date"].isoformat(),
                "report_due": row["report_due"].isoformat(),
            }
            for row in rows
        ]
        self._emit(
            options,
            {"overdue": document},
            "\n".join(f"{d['reference']} due {d['report_due']}" for d in document)
            or "nothing overdue",
        )
