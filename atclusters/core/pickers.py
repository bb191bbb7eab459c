"""Pickers: a field that takes a code (country, NUTS region, NACE activity, …) is filled by
searching names in the reader's language as well as codes ("Spain", "España" and "es" all find
ES).

Without JavaScript a picker is a plain text field: the code or an exact name is typed, and the
form resolves it (`PickerField`); or, for a list of records the form offers (clusters, members),
a plain select (`PickerSelect`, `PickerSelectMultiple`). With JavaScript
(static/atclusters/picker.js) the field becomes a WAI-ARIA combobox after the GOV.UK
accessible-autocomplete pattern, whose options come from `/<lang>/pick/<kind>/?q=`. A domain
adds its own kinds with `picker_register` (organisations and clusters are the registry's); the
kernel knows only the reference data.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atclusters.core.labels import collation_key

LIMIT = 20


@dataclass(frozen=True)
class Pick:
    value: str  # what the field sends: a code, a slug, an identifier
    label: str  # the name in the reader's language
    terms: tuple[str, ...] = ()  # what else finds it: names in other languages, VAT, acronym…
    detail: str = ""  # shown after the label instead of the value (a cluster's country)

    @property
    def text(self) -> str:
        return self.label if self.label == self.value else f"{self.label} ({self.value})"


@dataclass(frozen=True)
class Picker:
    # Every choice the user may make, in the reader's language (called per request: the
    # language and the user's rights are the request's).
    choices: Callable[[HttpRequest | None], Iterable[Pick]]
    placeholder: str = field(default="")


_PICKERS: dict[str, Picker] = {}


def picker_register(kind: str, picker: Picker) -> None:
    _PICKERS[kind] = picker


def picker(kind: str) -> Picker:
    if kind not in _PICKERS:
        raise KeyError(f"no picker {kind!r}; known: {', '.join(sorted(_PICKERS))}")
    return _PICKERS[kind]


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def pick_search(picks: Iterable[Pick], query: str, limit: int = LIMIT) -> list[Pick]:
    """The picks whose value, label or other terms contain `query` (case and accents aside):
    an exact value first, then names with a word that starts with it, then the rest, each by
    label."""
    needle = _fold(query.strip())
    if not needle:
        return []
    ranked = []
    for pick in picks:
        names = [_fold(pick.label), *(_fold(t) for t in pick.terms)]
        words = [word for name in names for word in re.split(r"[\W_]+", name)]
        if _fold(pick.value) == needle:
            rank = 0
        elif any(w.startswith(needle) for w in [*names, *words, _fold(pick.value)]):
            rank = 1
        elif any(needle in name for name in names):
            rank = 2
        else:
            continue
        ranked.append((rank, collation_key(pick.label), pick))
    ranked.sort(key=lambda item: item[:2])
    return [pick for *_key, pick in ranked[:limit]]


def pick_resolve(picks: Iterable[Pick], text: str) -> tuple[str | None, list[Pick]]:
    """What a typed text means: the value of the one pick it names exactly (by value, label or
    term), else None and the candidates it may have meant."""
    needle = _fold(text.strip())
    picks = list(picks)
    for pick in picks:
        if _fold(pick.value) == needle:
            return pick.value, []
    named = [p for p in picks if needle in {_fold(p.label), *(_fold(t) for t in p.terms)}]
    if len({p.value for p in named}) == 1:
        return named[0].value, []
    return None, named or pick_search(picks, text, limit=5)


class PickerInput(forms.TextInput):
    """A text field that picker.js turns into a combobox; shows the chosen value's name."""

    def __init__(self, kind: str, *, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.kind, self.multiple = kind, multiple
        self.request: HttpRequest | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"].update(
            {
                "data-picker": reverse("pick", args=[self.kind]),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )
        if self.multiple:
            widget["attrs"]["data-picker-multiple"] = ""
        elif value:
            shown = {p.value: p.text for p in picker(self.kind).choices(self.request)}
            widget["attrs"]["data-picker-text"] = shown.get(str(value), str(value))
        return context


class PickerField(forms.CharField):
    """A code typed or picked; a name typed without JavaScript is resolved to its code."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", PickerInput(kind))
        super().__init__(**kwargs)
        self.request: HttpRequest | None = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        found, candidates = pick_resolve(picker(self.kind).choices(self.request), value)
        if found is None:
            if candidates:
                raise forms.ValidationError(
                    _("“%(text)s” is not one choice: did you mean %(candidates)s?"),
                    params={"text": value, "candidates": "; ".join(c.text for c in candidates)},
                )
            raise forms.ValidationError(_("Nothing matches “%(text)s”."), params={"text": value})
        return found


class _SelectPicker:
    """A select that picker.js turns into a combobox searching `kind`; the select keeps the
    choices the form offers and what is sent (its options' values are the picks' values: a
    model choice field takes `to_field_name` for that), and is what a reader without
    JavaScript uses."""

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)  # type: ignore[call-arg]
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"]["attrs"].update(
            {
                "data-picker": reverse("pick", args=[self.kind]),
                # the chosen ones' remove buttons; the notes on a pick that cannot be chosen again
                "data-picker-remove": gettext("Remove"),
                "data-picker-unavailable": gettext("not offered here"),
                "data-picker-chosen": gettext("already chosen"),
            }
        )
        return context


class PickerSelect(_SelectPicker, forms.Select):
    pass


class PickerSelectMultiple(_SelectPicker, forms.SelectMultiple):
    pass


def pickers_bind(form: forms.BaseForm, request: HttpRequest) -> None:
    """Gives a form's pickers the request: what a user may pick (and see named in the field)
    depends on who asks, as on the search endpoint."""
    for form_field in form.fields.values():
        if isinstance(form_field, PickerField):
            form_field.request = request
        if isinstance(form_field.widget, PickerInput):
            form_field.widget.request = request


def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """The options for what has been typed, as the combobox's list items."""
    try:
        chosen = picker(kind)
    except KeyError:
        raise Http404 from None
    query = request.GET.get("q", "")[:100]
    picks = pick_search(chosen.choices(request), query)
    response = render(request, "core/picks.html", {"picks": picks, "query": query, "kind": kind})
    response["Cache-Control"] = "private, max-age=60"
    return response


def _countries(request: HttpRequest | None) -> list[Pick]:
    from atclusters.core.models import Country

    return [
        Pick(c.code, c.label, (c.name, *c.names.values()))
        for c in Country.objects.only("code", "name", "names")
    ]


def _regions(request: HttpRequest | None) -> list[Pick]:
    from atclusters.core.models import NutsRegion

    # NUTS 1 and 2 of the current classification and of 2016 (the statistics still use it),
    # and the countries; NUTS 3 would bury the regions agencies work with.
    return [
        Pick(r.code, r.label, (r.name, *r.names.values()))
        for r in NutsRegion.objects.filter(level__lte=2).only("code", "name", "names", "level")
    ]


def _nace(request: HttpRequest | None) -> list[Pick]:
    from atclusters.core.models import NaceActivity

    return [
        Pick(a.code, a.label, (a.name, *a.names.values()))
        for a in NaceActivity.objects.filter(version=NaceActivity.Version.REV2_1).only(
            "code", "name", "names"
        )
    ]


picker_register("country", Picker(_countries))
picker_register("region", Picker(_regions))
picker_register("nace", Picker(_nace))
