"""Format checks for organisation identifiers (pure: no Django).

Each `normalise_*` returns the canonical form, or raises IdentifierError with a message that says
what was expected. Checksums are verified where the scheme defines one (PT NIF, FR SIREN, LEI).
"""

import re


class IdentifierError(ValueError):
    pass


_SEPARATORS = re.compile(r"[\s.\-/]")

# The VAT prefix differs from ISO 3166 for Greece (EL).
VAT_PREFIX = {"GR": "EL"}
VAT_PATTERNS = {
    "AT": r"ATU\d{8}",
    "BE": r"BE[01]\d{9}",
    "DE": r"DE\d{9}",
    "DK": r"DK\d{8}",
    "EL": r"EL\d{9}",
    "ES": r"ES[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"FI\d{8}",
    "FR": r"FR[A-HJ-NP-Z0-9]{2}\d{9}",
    "GB": r"GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})",
    "IE": r"IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])",
    "IT": r"IT\d{11}",
    "LU": r"LU\d{8}",
    "NL": r"NL\d{9}B\d{2}",
    "PL": r"PL\d{10}",
    "PT": r"PT\d{9}",
    "SE": r"SE\d{12}",
}


def normalise_vat(value: str, country: str) -> str:
    vat = _SEPARATORS.sub("", value).upper()
    prefix = VAT_PREFIX.get(country, country)
    if not vat.startswith(prefix):
        raise IdentifierError(f"a {country} VAT number starts with {prefix}")
    if not re.fullmatch(VAT_PATTERNS.get(prefix, rf"{prefix}[A-Z0-9]{{2,13}}"), vat):
        raise IdentifierError(f"not a valid {country} VAT number format")
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
            raise IdentifierError("a Spanish NIF/CIF is a letter, 7 digits and a check character")
    elif country == "PT":
        if not re.fullmatch(r"\d{9}", ident) or not _pt_nif_valid(ident):
            raise IdentifierError("a Portuguese NIPC is 9 digits with a valid check digit")
    elif country == "FR":
        if not re.fullmatch(r"\d{9}", ident) or not _luhn_valid(ident):
            raise IdentifierError("a French SIREN is 9 digits with a valid Luhn check digit")
    elif country == "IE":
        if not re.fullmatch(r"\d{1,6}", ident):
            raise IdentifierError("an Irish CRO number is 1 to 6 digits")
    elif country == "GB":
        if not re.fullmatch(r"(\d{8}|[A-Z]{2}\d{6})", ident):
            raise IdentifierError("a UK company number is 8 digits, or 2 letters and 6 digits")
    elif not re.fullmatch(r"[A-Z0-9]{2,20}", ident):
        raise IdentifierError("a company ID is 2 to 20 letters or digits")
    return ident


def normalise_pic(value: str) -> str:
    pic = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\d{9}", pic):
        raise IdentifierError("an EU PIC is 9 digits")
    return pic


def normalise_lei(value: str) -> str:
    """ISO 17442: 18 characters then 2 check digits (ISO 7064 MOD 97-10)."""
    lei = _SEPARATORS.sub("", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{18}\d{2}", lei):
        raise IdentifierError("an LEI is 18 letters or digits followed by 2 check digits")
    if int("".join(str(int(char, 36)) for char in lei)) % 97 != 1:
        raise IdentifierError("the LEI check digits do not match")
    return lei
