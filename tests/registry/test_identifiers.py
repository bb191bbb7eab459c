import pytest

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
    ("value", "country", "message"),
    [
        ("B12345674", "ES", "starts with ES"),
        ("GR094014201", "GR", "starts with EL"),
        ("PT12345", "PT", "not a valid PT VAT"),
        ("FRI0303265045", "FR", "not a valid FR VAT"),
        ("ES123456789", "ES", "not a valid ES VAT"),  # a letter first or last
        ("CY123456789", "CY", "not a valid CY VAT"),  # 8 digits and a letter
        ("LT1234567890", "LT", "not a valid LT VAT"),  # 9 or 12 digits
        ("NL123456789012", "NL", "not a valid NL VAT"),  # the B
    ],
)
def test_bad_vat_numbers_say_why(value, country, message):
    with pytest.raises(IdentifierError, match=message):
        normalise_vat(value, country)


def test_portuguese_nipc_check_digit():
    assert normalise_national_id("500 000 000", "PT") == "500000000"
    with pytest.raises(IdentifierError, match="check digit"):
        normalise_national_id("500000001", "PT")


def test_french_siren_luhn():
    assert normalise_national_id("732 829 320", "FR") == "732829320"
    with pytest.raises(IdentifierError, match="Luhn"):
        normalise_national_id("732829321", "FR")


def test_spanish_cif_and_nif_formats():
    assert normalise_national_id("b-12345674", "ES") == "B12345674"
    assert normalise_national_id("12345678Z", "ES") == "12345678Z"
    with pytest.raises(IdentifierError):
        normalise_national_id("1234", "ES")


def test_pic_and_lei():
    assert normalise_pic("999 999 999") == "999999999"
    with pytest.raises(IdentifierError):
        normalise_pic("12345")
    # A real LEI (GLEIF's own) passes the ISO 7064 MOD 97-10 check; one changed digit fails.
    assert normalise_lei("506700gE1G29325QX363") == "506700GE1G29325QX363"
    with pytest.raises(IdentifierError, match="check digits"):
        normalise_lei("506700GE1G29325QX364")
