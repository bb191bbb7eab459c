import re
from pathlib import Path

import pytest

from atclusters.registry import identifiers
from atclusters.registry.identifiers import (
    IdentifierError,
    normalise_lei,
    normalise_national_id,
    normalise_pic,
    normalise_vat,
)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("es b-12345674", "ES", "ESB12345674"),
        ("PT 500 000 000", "PT", "PT500000000"),
        ("FR40303265045", "FR", "FR40303265045"),
        ("IE6388047V", "IE", "IE6388047V"),
        ("EL094014201", "GR", "EL094014201"),
        ("GB123456789", "GB", "GB123456789"),
        # the VIES formats of the other Member States (VIES FAQ, Q11)
        ("ATU12345678", "AT", "ATU12345678"),
        ("BG1234567890", "BG", "BG1234567890"),
        ("CY12345678L", "CY", "CY12345678L"),
        ("CZ123456789", "CZ", "CZ123456789"),
        ("HR12345678901", "HR", "HR12345678901"),
        ("LT123456789012", "LT", "LT123456789012"),
        ("NL123456789B01", "NL", "NL123456789B01"),
        ("RO12", "RO", "RO12"),
        ("SK1234567890", "SK", "SK1234567890"),
        ("ES12345678Z", "ES", "ES12345678Z"),
    ],
)
def test_vat_numbers_are_normalised(value, country, expected):
    assert normalise_vat(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country", "code", "params"),
    [
        ("B12345674", "ES", "vat_prefix", {"country": "ES", "prefix": "ES"}),
        ("GR094014201", "GR", "vat_prefix", {"country": "GR", "prefix": "EL"}),
        ("PT12345", "PT", "vat_format", {"country": "PT", "prefix": "PT"}),
        ("FRI0303265045", "FR", "vat_format", {"country": "FR", "prefix": "FR"}),
        ("ES123456789", "ES", "vat_format", {"country": "ES", "prefix": "ES"}),  # letter first/last
        ("CY123456789", "CY", "vat_format", {"country": "CY", "prefix": "CY"}),  # 8 digits, letter
        ("LT1234567890", "LT", "vat_format", {"country": "LT", "prefix": "LT"}),  # 9 or 12 digits
        ("NL123456789012", "NL", "vat_format", {"country": "NL", "prefix": "NL"}),  # the B
    ],
)
def test_bad_vat_numbers_say_why(value, country, code, params):
    with pytest.raises(IdentifierError) as error:
        normalise_vat(value, country)
    assert (error.value.code, error.value.params) == (code, params)


def _refused(normalise, *args) -> str:
    with pytest.raises(IdentifierError) as error:
        normalise(*args)
    return error.value.code


def test_portuguese_nipc_check_digit():
    assert normalise_national_id("500 000 000", "PT") == "500000000"
    assert _refused(normalise_national_id, "500000001", "PT") == "pt_nipc"


def test_french_siren_luhn():
    assert normalise_national_id("732 829 320", "FR") == "732829320"
    assert _refused(normalise_national_id, "732829321", "FR") == "fr_siren"


def test_spanish_cif_and_nif_formats():
    assert normalise_national_id("b-12345674", "ES") == "B12345674"
    assert normalise_national_id("12345678Z", "ES") == "12345678Z"
    assert _refused(normalise_national_id, "1234", "ES") == "es_nif"
    assert _refused(normalise_national_id, "1234567", "IE") == "ie_cro"
    assert _refused(normalise_national_id, "X", "DE") == "company_id"


def test_pic_and_lei():
    assert normalise_pic("999 999 999") == "999999999"
    assert _refused(normalise_pic, "12345") == "pic"
    # A real LEI (GLEIF's own) passes the ISO 7064 MOD 97-10 check; one changed digit fails.
    assert normalise_lei("506700gE1G29325QX363") == "506700GE1G29325QX363"
    assert _refused(normalise_lei, "506700GE1G29325QX364") == "lei_check"
    assert _refused(normalise_lei, "506700") == "lei_format"


def test_every_error_code_has_a_message():
    from atclusters.registry.models import IDENTIFIER_MESSAGES

    raised = set(re.findall(r'IdentifierError\("(\w+)"', Path(identifiers.__file__).read_text()))
    assert raised == set(IDENTIFIER_MESSAGES)
