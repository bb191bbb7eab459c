"""Reads of the benchmarking domain."""

from typing import Any

from atclusters.benchmarking.models import Framework

INDICATOR_KEYS = (
    "code", "area", "type", "label", "help", "unit", "min", "max", "choices",
    "higher_is_better", "threshold", "weight", "computed",
)  # fmt: skip


def _indicator(values: dict[str, Any]) -> dict[str, Any]:
    """An indicator with its keys in order, without empty optional values; weight 1 is the
    default and is written out."""
    item = {key: values.get(key) for key in INDICATOR_KEYS}
    item["weight"] = values.get("weight", 1)
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """A framework document in the form `framework_document` writes, for comparisons."""
    return {
        "slug": document["slug"],
        "version": document["version"],
        "name": document["name"],
        "areas": document["areas"],
        "label_rules": document.get("label_rules") or {},
        "indicators": [_indicator(item) for item in document["indicators"]],
    }


def framework_document(framework: Framework) -> dict[str, Any]:
    """The stored framework as a document (YAML/JSON export; importable again)."""
    return normalised(
        {
            "slug": framework.slug,
            "version": framework.version,
            "name": framework.name,
            "areas": framework.areas,
            "label_rules": framework.label_rules,
            "indicators": [
                {
                    "code": indicator.code,
                    "area": indicator.area,
                    "type": indicator.type,
                    "label": indicator.label,
                    "help": indicator.help,
                    "unit": indicator.unit,
                    "min": indicator.minimum,
                    "max": indicator.maximum,
                    "choices": indicator.choices,
                    "higher_is_better": indicator.higher_is_better,
                    "threshold": indicator.threshold,
                    "weight": indicator.weight,
                    "computed": indicator.computed,
                }
                for indicator in framework.indicators.all()
            ],
        }
    )


def framework_named(slug: str, version: int | None = None) -> Framework | None:
    frameworks = Framework.objects.filter(slug=slug)
    if version is not None:
        frameworks = frameworks.filter(version=version)
    return frameworks.order_by("-version").first()
