"""Linking CORDIS participants to registry organisations, with no Django: by PIC (the EU
Participant Identification Code, nine digits), then by VAT number, then by the name and country
(names normalised: accents, case, punctuation and legal forms dropped, words sorted).

A name match scores the similarity of the normalised names (difflib's ratio, 0–1) within the
same country; from `SURE` it links at once, from `UNSURE` up to `SURE` it links pending review
by agency staff (the review queue), below it does not link."""

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SURE = 0.95
UNSURE = 0.85
PIC = re.compile(r"^\d{9}$")
# Legal forms dropped before comparing names (the ones of the partnership's countries and the
# EU's common ones); "Universidade de Vigo" and "UNIVERSIDADE DE VIGO, S.A." compare equal.
LEGAL_FORMS = frozenset(
    [
        "sa",
        "sl",
        "slu",
        "sll",
        "sal",
        "sociedad",
        "anonima",
        "limitada",
        "lda",
        "ltda",
        "unipessoal",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "sca",
        "scop",
        "scoop",
        "coop",
        "ltd",
        "limited",
        "plc",
        "llp",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "ev",
        "bv",
        "nv",
        "srl",
        "spa",
        "snc",
        "aisbl",
        "asbl",
        "vzw",
        "ab",
        "oy",
        "as",
        "aps",
        "se",
        "eeig",
        "egtc",
        "ei",
        "ie",
    ]
)
WORD = re.compile(r"[a-z0-9]+")


def valid_pic(value: str) -> bool:
    return bool(PIC.match(value.strip()))


def normal_vat(value: str) -> str:
    """Upper case, letters and digits only ("ES B-15.123.456" → "ESB15123456")."""
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def normal_name(name: str) -> str:
    """The name without accents, case, punctuation and legal forms, its words sorted."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in WORD.findall(plain.replace(".", "")) if w not in LEGAL_FORMS]
    return " ".join(sorted(words))


@dataclass(frozen=True)
class Known:
    """A registry organisation as the linker sees it."""

    key: int
    country: str
    name: str  # normalised
    pic: str = ""
    vat: str = ""  # normalised


@dataclass(frozen=True)
class Link:
    key: int | None
    method: str  # "pic", "vat", "name" or "" (none)
    score: float
    review: bool  # a name match short of SURE: staff confirm or reject it


NONE = Link(None, "", 0.0, False)


class Linker:
    """The registry's organisations indexed by PIC, VAT and country, built once per import."""

    def __init__(self, known: Iterable[Known]):
        self.by_pic: dict[str, int] = {}
        self.by_vat: dict[str, int] = {}
        self.by_country: dict[str, list[Known]] = {}
        self.answers: dict[tuple[str, str, str, str], Link] = {}
        for item in known:
            if item.pic:
                self.by_pic.setdefault(item.pic, item.key)
            if item.vat:
                self.by_vat.setdefault(item.vat, item.key)
            self.by_country.setdefault(item.country, []).append(item)
        self.exact: Mapping[tuple[str, str], int] = {
            (item.country, item.name): item.key
            for items in self.by_country.values()
            for item in items
            if item.name
        }

    def link(self, *, pic: str, vat: str, name: str, country: str) -> Link:
        # One organisation takes part in many projects: each is looked for once per import.
        asked = (pic, vat, name, country)
        if asked not in self.answers:
            self.answers[asked] = self._link(pic=pic, vat=vat, name=name, country=country)
        return self.answers[asked]

    def _link(self, *, pic: str, vat: str, name: str, country: str) -> Link:
        if pic and pic in self.by_pic:
            return Link(self.by_pic[pic], "pic", 1.0, False)
        number = normal_vat(vat)
        if number and number in self.by_vat:
            return Link(self.by_vat[number], "vat", 1.0, False)
        wanted = normal_name(name)
        if not wanted:
            return NONE
        if (country, wanted) in self.exact:
            return Link(self.exact[(country, wanted)], "name", 1.0, False)
        best, score = None, 0.0
        for item in self.by_country.get(country, ()):
            # quick_ratio bounds ratio from above: most names are passed over cheaply.
            matcher = difflib.SequenceMatcher(None, wanted, item.name, autojunk=False)
            if matcher.quick_ratio() < UNSURE:
                continue
            value = matcher.ratio()
            if value > score:
                best, score = item.key, value
        if best is None or score < UNSURE:
            return NONE
        return Link(best, "name", round(score, 3), score < SURE)
