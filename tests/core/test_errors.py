"""The one error hierarchy: what a service raises lands on the form field it names."""

from django import forms
from django.core.exceptions import ValidationError

from atclusters.core.errors import DomainError, InvalidFields
from atclusters.core.forms import add_error


class GrantForm(forms.Form):
    amount = forms.DecimalField(required=False)
    successors = forms.CharField(required=False)


def test_a_domain_error_lands_on_its_field_or_on_the_form():
    form = GrantForm({})
    assert form.is_valid()
    add_error(form, DomainError("amount", "must be more than zero"))
    add_error(form, DomainError("undertaking", "unknown undertaking 'X'"))
    assert form.errors == {
        "amount": ["must be more than zero"],
        "__all__": ["unknown undertaking 'X'"],
    }


def test_a_service_name_is_renamed_to_the_forms_and_every_field_is_kept():
    form = GrantForm({})
    form.is_valid()
    error = InvalidFields({"successor": "name at least one successor", "amount": "is required"})
    add_error(form, error, renamed={"successor": "successors"})
    assert form.errors == {
        "successors": ["name at least one successor"],
        "amount": ["is required"],
    }
    assert str(error) == "successor: name at least one successor; amount: is required"
    assert error.detail == {
        "successor": ["name at least one successor"],
        "amount": ["is required"],
    }


def test_a_models_own_rules_land_on_the_form_too():
    form = GrantForm({})
    form.is_valid()
    add_error(form, ValidationError({"amount": ["too large"]}))
    add_error(form, ValidationError("the dates overlap"))
    assert form.errors == {"amount": ["too large"], "__all__": ["the dates overlap"]}
