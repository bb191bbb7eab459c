"""Option lists in the reader's collation: case and accents aside ("Álava" among the A's, "États-Unis"
among the E's), ñ a letter after n in Spanish and Galician, not in French."""

import pytest
from django.utils import translation

from atclusters.core.labels import collation_key
from atclusters.core.models import Agency, Country
from atclusters.events.forms import MeetingForm
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation
from atclusters.services.forms import ServiceForm
from tests.factories import ClusterFactory


def _sorted(names: list[str], language: str) -> list[str]:
    return sorted(names, key=lambda name: collation_key(name, language))


def test_spanish_puts_enye_after_every_n_and_french_reads_it_as_n():
    names = ["Oca", "Ñandú", "Nzeto", "nube"]
    assert _sorted(names, "es") == ["nube", "Nzeto", "Ñandú", "Oca"]
    assert _sorted(names, "gl") == ["nube", "Nzeto", "Ñandú", "Oca"]
    assert _sorted(names, "fr") == ["Ñandú", "nube", "Nzeto", "Oca"]


def test_accents_and_case_come_after_the_letters():
    names = ["ASINCAR", "Zamora", "Álava", "AgroCluster", "alava"]
    assert _sorted(names, "es") == ["AgroCluster", "alava", "Álava", "ASINCAR", "Zamora"]
    assert _sorted(["Éthiopie", "Estonie", "États-Unis", "Égypte", "Espagne"], "fr") == [
        "Égypte",
        "Espagne",
        "Estonie",
        "États-Unis",
        "Éthiopie",
    ]


@pytest.mark.django_db
def test_country_names_in_french_follow_the_french_alphabet(world):
    with translation.override("fr"):
        labels = [
            c.label for c in Country.objects.filter(code__in=["EE", "US", "ET", "EG", "ES", "DE"])
        ]
        assert _sorted(labels, "fr") == [
            "Allemagne",
            "Égypte",
            "Espagne",
            "Estonie",
            "États-Unis",
            "Éthiopie",
        ]


@pytest.mark.django_db
def test_the_clusters_a_service_and_a_meeting_may_name_are_in_the_reader_order(world):
    for slug, name in (("asincar", "ASINCAR"), ("alava", "Álava Food"), ("agro", "AgroCluster")):
        ClusterFactory(slug=slug, name=name, agency=world.agency)
    wanted = ["AgroCluster", "Álava Food", "ASINCAR"]
    with translation.override("es"):
        form = ServiceForm(user=world.staff)
        shown = [str(label) for _value, label in form.fields["eligible_clusters"].widget.choices]
        assert [name for name in shown if name in wanted] == wanted
        none = WorkingGroup.objects.none()
        meeting = MeetingForm(agencies=Agency.objects.all(), groups=none, visible_groups=none)
        shown = [label for _value, label in meeting.fields["invite_clusters"].widget.choices]
        assert [name for name in shown if name in wanted] == wanted
    assert ClusterOrganisation.objects.filter(name__in=wanted).count() == 3
