"""The register's rules in the reader's language. `rules` (pure) names ceilings, cumulation
rules and refusals in English — the command line and the API's machine-readable fields keep
those names; pages, form errors and the API's human-readable messages word them here."""

import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atclusters.stateaid import rules

CAP_NAMES: dict[str, Promise] = {
    f"{rules.GENERAL} ceiling": gettext_lazy("general de minimis aid"),
    f"{rules.SGEI} ceiling": gettext_lazy("SGEI de minimis aid"),
    f"{rules.AGRICULTURE} ceiling": gettext_lazy("agricultural de minimis aid"),
    f"{rules.FISHERY} ceiling": gettext_lazy("fishery de minimis aid"),
    "general + agriculture + fishery": gettext_lazy(
        "general, agricultural and fishery aid together"
    ),
    "agriculture + fishery": gettext_lazy("agricultural and fishery aid together"),
    "general + SGEI": gettext_lazy("general and SGEI aid together"),
    "SGEI + general + agriculture + fishery": gettext_lazy(
        "SGEI aid with the aid of every other de minimis regulation"
    ),
    "maximum intensity for the same eligible costs": gettext_lazy(
        "other aid for the same eligible costs (maximum intensity)"
    ),
}

# Each cumulation rule is "<articles>: <what it says>"; the articles are cited as they are.
CUMULATION_RULES: dict[str, Promise] = {
    rules.GENERAL_CUMULATION: gettext_lazy(
        "with agricultural and fishery de minimis aid up to the general ceiling"
    ),
    rules.GENERAL_SGEI_CUMULATION: gettext_lazy("with SGEI de minimis aid up to the SGEI ceiling"),
    rules.SGEI_CUMULATION: gettext_lazy(
        "SGEI de minimis aid with de minimis aid under the other regulations up to the SGEI ceiling"
    ),
    rules.FISHERY_CUMULATION: gettext_lazy(
        "agricultural de minimis aid with fishery de minimis aid up to the fishery ceiling"
    ),
}

OPERATING_COSTS: dict[str, Promise] = dict(
    zip(
        rules.OPERATING_COSTS,
        (
            gettext_lazy("animation of the cluster"),
            gettext_lazy("marketing of the cluster"),
            gettext_lazy("management of the cluster's facilities"),
            gettext_lazy("training programmes, workshops and conferences"),
        ),
        strict=True,
    )
)
INVESTMENT_COSTS: dict[str, Promise] = dict(
    zip(
        rules.INVESTMENT_COSTS,
        (gettext_lazy("tangible assets"), gettext_lazy("intangible assets")),
        strict=True,
    )
)

_REGULATION = re.compile(r"Regulation \(EU\) (No )?(\d+/\d+)")
_AMENDED = re.compile(r"as amended by (\d+/\d+)")
_ARTICLE = re.compile(r"\bArt\. (\d+(?:\(\w+\))*)")


def euros(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def citation(text: str) -> str:
    """A regulation's reference ("Regulation (EU) No 1408/2013 as amended by 2019/316, Art.
    3(2)") as the reader's language cites it; numbers and article points stay as published."""

    def regulation(match: re.Match[str]) -> str:
        if match.group(1):
            return _("Regulation (EU) No %(number)s") % {"number": match.group(2)}
        return _("Regulation (EU) %(number)s") % {"number": match.group(2)}

    text = _REGULATION.sub(regulation, text)
    text = _AMENDED.sub(lambda m: _("as amended by %(number)s") % {"number": m.group(1)}, text)
    return _ARTICLE.sub(lambda m: _("Art. %(article)s") % {"article": m.group(1)}, text)


def journal(text: str) -> str:
    """Where the Official Journal published a regulation ("OJ L 352, 24.12.2013, p. 1"), with
    the journal's abbreviation in the reader's language (DO, JO, ABl.)."""
    series, _space, rest = text.partition(" ")
    if series != "OJ":
        return text
    rest = re.sub(r"\bp\. (\d+)", lambda m: _("p. %(page)s") % {"page": m.group(1)}, rest)
    return f"{_('OJ')} {rest}"


def cap_name(cap: rules.Cap) -> str:
    name = CAP_NAMES.get(cap.name)
    return str(name) if name is not None else cap.name


def cap_rule(cap: rules.Cap) -> str:
    articles, _separator, said = cap.rule.partition(": ")
    explanation = CUMULATION_RULES.get(cap.rule)
    if explanation is None:
        return citation(cap.rule)
    return f"{citation(articles)}: {explanation}" if said else citation(articles)


def check_reason(result: rules.CheckResult) -> str:
    """Why a de minimis check allows or refuses the grant (2023/2831 Art. 3(7): all or
    nothing, a grant is never split to fit)."""
    if result.allowed or result.binding is None:
        return _("within every ceiling")
    binding = result.binding
    return _(
        "exceeds the ceiling for %(cap)s (EUR %(ceiling)s; %(rule)s): EUR %(counted)s already counted; at "
        "most EUR %(headroom)s can be granted, and a grant cannot be split to fit (all or "
        "nothing, %(article)s)"
    ) % {
        "cap": cap_name(binding),
        "ceiling": euros(binding.ceiling),
        "rule": cap_rule(binding),
        "counted": euros(binding.counted),
        "headroom": euros(result.headroom),
        "article": citation("Regulation (EU) 2023/2831, Art. 3(7)"),
    }


def cost_category(category: str) -> str:
    label = OPERATING_COSTS.get(category) or INVESTMENT_COSTS.get(category)
    return str(label) if label is not None else category


def cluster_aid_refusal(refusal: rules.Refusal) -> str:
    """One reason GBER Art. 27 refuses a cluster aid, in the reader's language."""
    values = refusal.values
    if refusal.code == "operating-years":
        return _("operating aid for at most %(years)s years (Art. 27)") % values
    if refusal.code == "ineligible-investment-cost":
        return _("“%(category)s” is not an eligible investment cost (Art. 27)") % {
            "category": cost_category(values["category"])
        }
    if refusal.code == "ineligible-operating-cost":
        return _("“%(category)s” is not an eligible operating cost (Art. 27)") % {
            "category": cost_category(values["category"])
        }
    if refusal.code == "intensity":
        return _("EUR %(amount)s is above %(intensity)s %% of the eligible costs (EUR %(max)s)") % {
            "amount": euros(values["amount"]),
            "intensity": number_format(values["intensity"] * 100, decimal_pos=0),
            "max": euros(values["max_aid"]),
        }
    if refusal.code == "notification-threshold":
        return _(
            "the cluster's aid would exceed the notification threshold of EUR %(threshold)s per "
            "cluster (Art. 4(1) of %(regulation)s): notify the Commission"
        ) % {
            "threshold": euros(values["threshold"]),
            "regulation": citation(values["regulation"]),
        }
    return refusal.text


def cluster_aid_reasons(result: rules.ClusterAidResult) -> list[str]:
    return [cluster_aid_refusal(refusal) for refusal in result.refusals]
