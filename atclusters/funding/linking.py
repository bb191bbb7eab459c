"""Linking CORDIS participants to registry organisations, with no Django: by PIC (the EU
Participant Identification Code, nine digits), then by VAT number, then by the name and country
(names normalised: accents, case, punctuation and legal forms dropped, words sorted).

A name match scores the similarity of the normalised names (rapidfuzz's `fuzz.ratio`, the
normalised Indel similarity, 0–1) within the same country; from `SURE` it links at once, from
`UNSURE` up to `SURE` it links pending review by agency staff (the review queue), below it does
not link.

The comparison is blocked rather than all-pairs: a name is compared only with the registry's
names of the same country that carry the same numbers ("Université Paris 1" is not "Université
Paris 8", however alike the letters) and share at least one word with it; a full CORDIS file
(hundreds of thousands of participants) is linked in seconds."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

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
NUMBER = re.compile(r"^\d+$")


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


def _block(country: str, name: str) -> tuple[str, tuple[str, ...]]:
    """Which names a normalised name may be compared with: its country and its numbers."""
    return country, tuple(word for word in name.split() if NUMBER.match(word))


class Linker:
    """The registry's organisations indexed by PIC, VAT, exact name and, for the fuzzy search,
    by block (country and numbers) and word, built once per import."""

    def __init__(self, known: Iterable[Known]):
        self.by_pic: dict[str, int] = {}
        self.by_vat: dict[str, int] = {}
        self.exact: dict[tuple[str, str], int] = {}
        # block → the names in it, and word → the positions of the names holding it
        self.names: dict[tuple[str, tuple[str, ...]], list[Known]] = {}
        self.words: dict[tuple[str, tuple[str, ...]], dict[str, list[int]]] = {}
        self.answers: dict[tuple[str, str, str, str], Link] = {}
        for item in known:
            if item.pic:
                self.by_pic.setdefault(item.pic, item.key)
            if item.vat:
                self.by_vat.setdefault(item.vat, item.key)
            if not item.name:
                continue
            self.exact.setdefault((item.country, item.name), item.key)
            block = _block(item.country, item.name)
            names = self.names.setdefault(block, [])
            for word in set(item.name.split()):
                self.words.setdefault(block, {}).setdefault(word, []).append(len(names))
            names.append(item)

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
        block = _block(country, wanted)
        words = self.words.get(block, {})
        positions = sorted({i for word in set(wanted.split()) for i in words.get(word, ())})
        if not positions:
            return NONE
        names = self.names[block]
        found = process.extractOne(
            wanted, [names[i].name for i in positions], scorer=fuzz.ratio, processor=None,
            score_cutoff=UNSURE * 100,
        )  # fmt: skip
        if found is None:
            return NONE
        _name, score, index = found
        value = score / 100
        return Link(names[positions[index]].key, "name", round(value, 3), value < SURE)
