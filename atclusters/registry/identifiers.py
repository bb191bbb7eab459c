"""Format checks for organisation identifiers (pure: no Django).

Each `normalise_*` returns the canonical form, or raises IdentifierError with a code that says
what was expected and the parameters of its message; the message itself, in the user's language,
is written where the error reaches a user (registry.models.identifier_message: the organisation
form and API, the importer). Checksums are verified where the scheme defines one (PT NIF,
FR SIREN, LEI).
"""

import re


class IdentifierError(ValueError):
    """`code`: vat_prefix, vat_format (params country, prefix), es_nif, pt_nipc, fr_siren,
    ie_cro, gb_company, company_id, pic, lei_format, lei_check."""

    def __init__(self, code: str, **params: str):
        super().__init__(code, params)
        self.code, self.params = code, params


_SEPARATORS = re.compile(r"[\s.\-/]")

# The VAT prefix differs from ISO 3166 for Greece (EL); Northern Ireland's traders use XI.
VAT_PREFIX = {"GR": "EL"}
# The formats VIES checks, one per Member State's prefix: European Commission, VIES (VAT
# Information Exchange System), FAQ "What is the structure of a VAT number?" (Q11,
# https://ec.europa.eu/taxation_customs/vies/#/faq), where 9 is a digit, L a letter and X a
# letter or a digit. ES: the first or the last character is a letter (never both digits); FR:
# the two characters of the key are letters or digits, not I or O; IE: 7 digits and one or two
# letters, or the old form (digit, letter or + or *, 5 digits, letter). GB (outside the EU
# since 2021) keeps the format HMRC gives it.
VAT_PATTERNS = {
    "AT": r"ATU\d{8}",
    "BE": r"BE[01]\d{9}",
    "BG": r"BG\d{9,10}",
    "CY": r"CY\d{8}[A-Z]",
    "CZ": r"CZ\d{8,10}",
    "DE": r"DE\d{9}",
    "DK": r"DK\d{8}",
    "EE": r"EE\d{9}",
    "EL": r"EL\d{9}",
    "ES": r"ES([A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])",
    "FI": r"FI\d{8}",
    "FR": r"FR[A-HJ-NP-Z0-9]{2}\d{9}",
    "GB": r"GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})",
    "HR": r"HR\d{11}",
    "HU": r"HU\d{8}",
    "IE": r"IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])",
    "IT": r"IT\d{11}",
    "LT": r"LT(\d{9}|\d{12})",
    "LU": r"LU\d{8}",
    "LV": r"LV\d{11}",
    "MT": r"MT\d{8}",
    "NL": r"NL\d{9}B\d{2}",
    "PL": r"PL\d{10}",
    "PT": r"PT\d{9}",
    "RO": r"RO\d{2,10}",
    "SE": r"SE\d{12}",
    "SI": r"SI\d{8}",
    "SK": r"SK\d{10}",
    "XI": r"XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})",
}


def vat_prefix(country: str) -> str:
    return VAT_PREFIX.get(country, country)


def normalise_vat(value: str, country: str) -> str:
    """The VAT number without separators, upper case, once it has its country's prefix and the
    format VIES checks for it (a country outside the table: 2 to 13 letters or digits)."""
    vat = _SEPARATORS.sub("", value).upper()
    prefix = vat_prefix(country)
    if not vat.startswith(prefix):
        raise IdentifierError("vat_prefix", country=country, prefix=prefix)
    if not re.fullmatch(VAT_PATTERNS.get(prefix, rf"{prefix}[A-Z0-9]{{2,13}}"), vat):
        raise IdentifierError("vat_format", country=country, prefix=prefix)
    return vat


def _pt_nif_valid(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return (0 if check >= 10 else check) == int(digits[8])


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def normalise_national_id(value: str, country: str) -> str:
    ident = _SEPARATORS.sub("", value).upper()
    if country == "ES":
        if not re.fullmatch(r"[A-HJNP-SUVW]\d{7}[0-9A-J]|\d{8}[A-Z]|[XYZ]\d{7}[A-Z]", ident):
            raise IdentifierError("es_nif")
    elif country == "PT":
        if not re.fullmatch(r"\d{9}", ident) or not _pt_nif_valid(ident):
            raise IdentifierError("pt_nipc")
    elif country == "FR":
        if not re.fullmatch(r"\d{9}", ident) or not _luhn_valid(ident):
            raise IdentifierError("fr_siren")
    elif country == "IE":
        if not re.fullmatch(r"\d{1,6}", ident):
            raise IdentifierError("ie_cro")
    elif country == "GB":
        if not re.fullmatch(r"(\d{8}|[A-Z]{2}\d{6})", ident):
            raise IdentifierError("gb_company")
    elif not re.fullmatch(r"[A-Z0-9]{2,20}", ident):
        raise IdentifierError("company_id")
    return ident


def normalise_pic(value: str) -> str:
    pic = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\d{9}", pic):
        raise IdentifierError("pic")
    return pic


def normalise_lei(value: str) -> str:
    """ISO 17442: 18 characters then 2 check digits (ISO 7064 MOD 97-10)."""
    lei = _SEPARATORS.sub("", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{18}\d{2}", lei):
        raise IdentifierError("lei_format")
    if int("".join(str(int(char, 36)) for char in lei)) % 97 != 1:
        raise IdentifierError("lei_check")
    return lei
