"""Partner and meta-cluster pages and the cooperation API: published clusters only, reasons shown,
user text escaped, the evaluation needs a token."""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from atclusters.cooperation import selectors
from atclusters.cooperation.matching import Reason
from atclusters.cooperation.selectors import reason_text
from tests.cooperation.test_command import food_clusters  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_partners_page_explains_and_hides_unpublished(client, food_clusters):  # noqa: F811
    food_clusters.cluster.name = "Food <script>alert(1)</script>"
    food_clusters.cluster.save()
    page = client.get(reverse("cluster_partners", args=["food"]))
    assert page.status_code == 200
    assert "Portugal Foods" in page.text and "both in Agri-food ecosystem" in page.text
    assert "&lt;script&gt;" in page.text and "<script>alert(1)" not in page.text
    assert "Draft Cluster" not in page.text
    assert client.get(reverse("cluster_partners", args=["draft"])).status_code == 404
    abroad = client.get(reverse("cluster_partners", args=["food"]) + "?transnational=1")
    assert "Paper Cluster" not in abroad.text and "Portugal Foods" in abroad.text
    profile = client.get(reverse("cluster_detail", args=["food"]))
    assert reverse("cluster_partners", args=["food"]) in profile.text
    with translation.override("fr"):
        french = client.get(reverse("cluster_partners", args=["food"]))
    assert "tous deux dans l&#x27;écosystème Agroalimentaire" in french.text
    assert "both in Agri-food" not in french.text


def test_meta_clusters_page_and_api(client, food_clusters):  # noqa: F811
    groups = selectors.meta_clusters(threshold=0.25)
    assert [sorted(group.members) for group in groups] == [
        ["cluster:food", "cluster:portugalfoods"]
    ]
    assert groups[0].countries == ["ES", "PT"] and groups[0].name.startswith("Agri-food (NACE 10)")
    page = client.get(reverse("meta_clusters") + "?threshold=0.25")
    assert page.status_code == 200 and 'class="choropleth"' in page.text
    assert "Portugal Foods" in page.text
    api = client.get("/api/v1/cooperation/meta-clusters?threshold=0.25").json()
    assert api[0]["members"] == ["cluster:food", "cluster:portugalfoods"]
    assert client.get("/api/v1/cooperation/meta-clusters?threshold=2").status_code == 422


def test_match_and_evaluation_api(client, food_clusters, bearer):  # noqa: F811
    rows = client.get("/api/v1/cooperation/match?cluster=food&top=2").json()
    assert [row["slug"] for row in rows] == ["portugalfoods", "paper"]
    portuguese = client.get(
        "/api/v1/cooperation/match?cluster=food&top=1", headers={"Accept-Language": "pt"}
    ).json()
    assert "ambos no ecossistema Agroalimentar" in portuguese[0]["reasons"]
    assert "mesma divisão NACE 10 Indústrias alimentares" in portuguese[0]["reasons"]
    assert {"code": "ecosystem", "names": "Agri-food"} in portuguese[0]["explanations"]
    assert client.get("/api/v1/cooperation/match?cluster=draft").status_code == 422
    north = client.get("/api/v1/cooperation/match?cluster=food&regions=PT1").json()
    assert [row["slug"] for row in north] == ["portugalfoods"]
    unknown = client.get("/api/v1/cooperation/match?cluster=food&regions=PT1,ZZ9")
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == {"regions": ["unknown NUTS regions: ZZ9"]}
    upload = io.BytesIO(b"cluster_a,cluster_b\nfood,portugalfoods\n")
    upload.name = "pairs.csv"
    assert client.post("/api/v1/cooperation/evaluation", {"file": upload}).status_code == 401
    upload.seek(0)
    result = client.post(
        "/api/v1/cooperation/evaluation?k=1", {"file": upload}, headers=bearer("staff")
    ).json()
    assert (result["recall_at_k"], result["mrr"]) == (1.0, 1.0)


def test_an_unreadable_pairs_file_names_its_row(client, food_clusters, bearer):  # noqa: F811
    upload = io.BytesIO(b'cluster_a,cluster_b\nfood,"' + b"x" * (200 * 1024) + b'"\n')
    upload.name = "pairs.csv"
    response = client.post(
        "/api/v1/cooperation/evaluation", {"file": upload}, headers=bearer("staff")
    )
    assert response.status_code == 422
    assert response.json()["detail"]["file"][0].startswith("row 2: not readable as CSV (field")


def test_reasons_in_the_readers_words_and_numbers():
    reason = Reason("semantic", {"similarity": 0.4312})
    assert str(reason) == "descriptions close in meaning (0.43)"
    with translation.override("es"):
        assert reason_text(reason) == "descripciones de sentido cercano (0,43)"
    with translation.override("gl"):
        assert reason_text(Reason("transnational", {"country": "PT"})) == "noutro país (PT)"


def test_a_match_offers_the_cluster_public_contact_only(client, food_clusters):  # noqa: F811
    from atclusters.registry.models import ClusterOrganisation

    ClusterOrganisation.objects.filter(slug="portugalfoods").update(
        contact_email="info@portugalfoods.example"
    )
    ClusterOrganisation.objects.filter(slug="paper").update(website="https://paper.example")
    page = client.get("/es/clusters/food/partners/").text
    assert 'href="mailto:info@portugalfoods.example?subject=Portugal%20Foods"' in page
    assert (
        'Contactar con este clúster<span class="visually-hidden"> (Portugal Foods)</span>' in page
    )
    assert 'href="https://paper.example" rel="noopener"' in page
    # a draft cluster never shows (nor its contact), a cluster without one has no link
    ClusterOrganisation.objects.filter(slug="draft").update(contact_email="hidden@draft.example")
    assert "hidden@draft.example" not in client.get("/es/clusters/food/partners/").text
