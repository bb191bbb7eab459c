"""Per-language analysers for the text signal: lower case, accents kept, words of three or more
letters, stop words removed, Snowball stems. Galician has no Snowball stemmer; the Portuguese
one is the closest. No Django here."""

import re
from functools import cache

import snowballstemmer

from atclusters.core import languages

LANGUAGES = languages.CODES
STEMMERS = {
    "en": "english",
    "es": "spanish",
    "gl": "portuguese",
    "pt": "portuguese",
    "fr": "french",
}
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
MARKUP = re.compile(r"<[^>]+>")

STOP_WORDS = {
    "en": "the and for with from that this are was were been has have had its our their they "
    "them which who whom into over under about also more most other some such than then there "
    "these those through very will can all any each both between while where when what how "
    "not but only own same too out one two new including based members member cluster clusters "
    "association companies company sector sectors",
    "es": "los las del para con por una unos unas que como más sus entre sobre este esta estos "
    "estas ese esa son está han ser fue sin desde hasta también todo todos todas cada otro otra "
    "otros otras muy the así donde cuando nos les lo al el la de en y a o u e su se no sí ya "
    "socios socio clúster cluster clústeres asociación empresas empresa sector sectores",
    "gl": "dos das para con por unha uns unhas que como máis seus súas entre sobre este esta "
    "estes estas ese esa son está teñen ser foi sen desde ata tamén todo todos todas cada outro "
    "outra outros outras moi onde cando nos lles ao á o a de en e ou do da no na se non xa "
    "socios socio clúster clústeres asociación empresas empresa sector sectores",
    "pt": "dos das para com por uma uns umas que como mais seus suas entre sobre este esta "
    "estes estas esse essa são está têm ser foi sem desde até também todo todos todas cada "
    "outro outra outros outras muito onde quando nos lhes ao à o a de em e ou do da no na se "
    "não já associados associado cluster clusters associação empresas empresa setor setores",
    "fr": "les des pour avec par une que qui comme plus ses leurs entre sur dans est sont ont "
    "être été sans depuis jusqu aussi tout tous toutes chaque autre autres très où quand nous "
    "leur aux au le la de en et ou du se ne pas cette ces son sa membres membre pôle pôles "
    "cluster clusters association entreprises entreprise secteur secteurs",
}


@cache
def _stop_words(language: str) -> frozenset[str]:
    return frozenset(STOP_WORDS[language].split())


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


def words(text: str, language: str) -> list[str]:
    """A text's words in one of the five languages, in lower case, stop words and markup
    removed: what `terms` stems."""
    if language not in STEMMERS or not text:
        return []
    stop = _stop_words(language)
    return [w for w in WORD.findall(MARKUP.sub(" ", text).lower()) if w not in stop]


def terms(text: str, language: str) -> list[str]:
    """The stems of a text's words in one of the five languages (markup removed)."""
    found = words(text, language)
    return _stemmer(language).stemWords(found) if found else []
