"""Indicator frameworks as documents: the shipped default, round trips, and errors by path."""

import copy
import re

import pytest

from atclusters.benchmarking import frameworks


def test_the_default_framework_covers_the_six_areas_in_five_languages():
    document = frameworks.default_framework()
    assert len(document["indicators"]) == 36
    assert set(document["areas"]) == {
        "structure", "governance", "financing", "services", "interaction", "achievements",
    }  # fmt: skip
    assert document["label_rules"]["bronze"]["min_committed_members"] == 15
    assert all(
        indicator["label"][language]
        for indicator in document["indicators"]
        for language in frameworks.LANGUAGES
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_and_import_round_trip(fmt):
    document = frameworks.default_framework()
    text = frameworks.write(document, fmt)
    assert frameworks.load(text, f"framework.{fmt}") == document


def test_every_problem_names_its_path():
    document = copy.deepcopy(frameworks.default_framework())
    document["version"] = 0
    document["indicators"][0]["type"] = "integer"
    document["indicators"][1]["code"] = document["indicators"][0]["code"]
    document["indicators"][2]["label"].pop("gl")
    document["indicators"][3]["area"] = "marketing"
    document["indicators"][4]["max"] = 250  # a percentage
    document["indicators"][33]["threshold"] = "platinum"  # a choice
    with pytest.raises(frameworks.FrameworkError) as error:
        frameworks.load(frameworks.write(document, "yaml"), "broken.yaml")
    assert error.value.problems == [
        "version: a whole number from 1",
        "indicators[0].type: 'integer'; use one of number, percentage, money, boolean, choice, "
        "date, text",
        "indicators[1].code: S01 is used twice",
        "indicators[2].label.gl: missing",
        "indicators[3].area: 'marketing' is not one of the areas",
        "indicators[4].max: a percentage is at most 100",
        "indicators[33].threshold: not one of the choices",
    ]
    with pytest.raises(frameworks.FrameworkError, match=r"^bad\.json: Invalid JSON \(Expecting"):
        frameworks.load("{", "bad.json")


def test_answers_are_typed_and_checked_against_the_indicator():
    indicators = {i["code"]: i for i in frameworks.default_framework()["indicators"]}
    parse = frameworks.parse_value
    assert parse(indicators["S02"], "62,5") == 62.5
    assert parse(indicators["G04"], "yes") is True and parse(indicators["G04"], "0") is False
    assert parse(indicators["A04"], "gold") == "gold"
    assert parse(indicators["S01"], "") is None
    for code, raw, reason in [
        ("S02", "120", "must be at most 100"),
        ("S01", "-3", "must be at least 0"),
        ("S01", "many", "'many' is not a number"),
        ("S01", "nan", "'nan' is not a number"),
        ("G04", "maybe", "'maybe' is not yes or no"),
        ("A04", "platinum", "'platinum' is not one of none, bronze, silver, gold"),
    ]:
        with pytest.raises(ValueError, match=reason):
            parse(indicators[code], raw)


def test_a_comma_in_an_unquoted_yaml_text_is_reported_not_cut():
    text = (
        "slug: x\nversion: 1\nname: {en: X, es: X, gl: X, pt: X, fr: X}\n"
        "areas: {a: {en: A, es: A, gl: A, pt: A, fr: A}}\n"
        "indicators:\n- {code: Q1, area: a, type: number,\n"
        "   label: {en: Q, es: Q, gl: Q, pt: Q, fr: Q},\n"
        "   help: {en: Micro, small and medium firms., es: H, gl: H, pt: H, fr: H}}\n"
    )
    with pytest.raises(frameworks.FrameworkError) as error:
        frameworks.load(text, "x.yaml")
    assert (
        "indicators[0].help: 'small and medium firms.' is not a language "
        "(quote texts that contain a comma)" in error.value.problems
    )


@pytest.mark.parametrize("shipped", [frameworks.default_framework, frameworks.gold_assessment])
def test_no_text_of_a_shipped_document_is_cut(shipped):
    for item in shipped()["indicators"]:
        for language, text in item["help"].items():
            assert text.endswith((".", "?", ")")), (item["code"], language, text)


def test_every_text_of_the_gold_assessment_is_quoted():
    text = frameworks.GOLD_ASSESSMENT.read_text(encoding="utf-8")
    unquoted = re.findall(r"\b(?:en|es|gl|pt|fr): (?![\"'])[^,}]*", text)
    assert unquoted == []


def test_the_shipped_gold_assessment_has_knock_outs_and_the_80_percent_rule():
    document = frameworks.gold_assessment()
    assert document["kind"] == "gold_assessment"
    assert list(document["areas"]) == [
        "baseline", "structure", "governance", "financing", "strategy", "recognition",
    ]  # fmt: skip
    assert document["label_rules"] == {"gold": {"min_share_meeting_thresholds": 0.8}}
    knock_outs = [item["code"] for item in document["indicators"] if item.get("knock_out")]
    assert knock_outs == ["K01", "K02", "K03", "K04", "K05", "K06"]
    quality = [item for item in document["indicators"] if not item.get("knock_out")]
    assert len(quality) == 20 and all("threshold" in item for item in quality)
    assert all(
        item[key][language]
        for item in document["indicators"]
        for key in ("label", "help")
        for language in frameworks.LANGUAGES
    )


def _gold(**changes):
    document = copy.deepcopy(frameworks.gold_assessment())
    document.update(changes)
    return document


def test_a_gold_assessment_names_its_problems():
    document = _gold(label_rules={"gold": {"min_share_meeting_thresholds": 80}})
    del document["indicators"][7]["threshold"]
    document["indicators"][8]["knock_out"] = "yes"
    assert frameworks.check(document) == [
        "label_rules.gold.min_share_meeting_thresholds: a Gold assessment gives the share of "
        "quality indicators to meet, above 0 and at most 1 (0.8 for 80 %)",
        "indicators[7].threshold: every indicator of a Gold assessment has a quality threshold",
        "indicators[8].knock_out: true, false or absent",
    ]
    assert frameworks.check(_gold(kind="silver"))[0] == (
        "kind: 'silver'; use benchmarking or gold_assessment"
    )


def test_a_benchmarking_framework_has_no_knock_outs_and_a_sound_silver_rule():
    document = copy.deepcopy(frameworks.default_framework())
    document["indicators"][0]["knock_out"] = True
    document["label_rules"]["bronze"]["min_members"] = 10
    document["label_rules"]["silver"]["min_months"] = 30
    assert frameworks.check(document) == [
        "label_rules.bronze.min_members: use min_management_fte, min_committed_members, "
        "min_member_types",
        "label_rules.silver.min_months: above max_months",
        "indicators[0].knock_out: only a Gold assessment (gold_assessment) has knock-out criteria",
    ]
    document = copy.deepcopy(frameworks.default_framework())
    document["label_rules"]["silver"] = {"min_months": 18}
    assert frameworks.check(document) == [
        "label_rules.silver: give min_months, max_months, min_improved_areas"
    ]


# Hostile documents (issue 16): refused with the reason, never a crash.


def _with_label(text: str, fmt: str) -> str:
    document = copy.deepcopy(frameworks.default_framework())
    document["indicators"][2]["label"]["gl"] = text
    return frameworks.write(document, fmt)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 10)}]\n"
    for level in range(8)
)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("f.json", "[" * 100_000 + "]" * 100_000, "f.json: Invalid JSON: nested deeper than 32"),
        ("f.yaml", "[" * 100_000 + "]" * 100_000, "f.yaml: not valid YAML/JSON (nested deeper"),
        (
            "f.yaml",
            "a:" + " [" * 40 + " ]" * 40,
            "f.yaml: not valid YAML/JSON (nested deeper than 32",
        ),
        ("f.json", '{"slug": "a", "slug": "b"}', "f.json: Invalid JSON: the key 'slug' appears"),
        ("f.yaml", "slug: a\nversion: 1\nslug: b\n", "the key 'slug' appears twice"),
        ("f.yaml", ALIAS_BOMB, "f.yaml: not valid YAML/JSON (more than 100,000 values)"),
        ("f.json", _with_label("Cunha\u0000", "json"), "indicators[2].label.gl: contains the NUL"),
        ("f.yaml", _with_label("Cunha\u0000", "yaml"), "indicators[2].label.gl: contains the NUL"),
    ],
)
def test_hostile_documents_are_refused_with_the_reason(name, content, problem):
    with pytest.raises(frameworks.FrameworkError) as refused:
        frameworks.read(content, name)
    assert problem in str(refused.value)
