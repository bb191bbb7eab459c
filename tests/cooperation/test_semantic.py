"""The optional semantic signal: the embeddings against WordLlama's own inference, a Model2Vec
directory, the signal inside the score, the start-up check, and the default install without it."""

import json
import math
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from atclusters.cooperation import semantic
from atclusters.cooperation.checks import semantic_model_check
from atclusters.cooperation.matching import Index, Profile, Weights

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Food processing cluster of Galicia: canned fish, dairy and wine producers",
    "Clúster alimentario de Galicia: conservas de pescado, lácteos y vino",
    "Pôle agroalimentaire : produits de la mer, laitiers et vins",
    "Automotive suppliers: car parts, metal stamping and electronics",
    "",
]


@pytest.fixture(scope="module")
def bundled():
    return semantic.load("wordllama")


ORACLE = """
import json, sys
from pathlib import Path
import wordllama
from safetensors import safe_open
from tokenizers import Tokenizer
from wordllama.inference import WordLlamaInference

root = Path(wordllama.__file__).parent
tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
    vectors = f.get_tensor("embedding.weight")
model = WordLlamaInference(vectors, tokenizer)
print(json.dumps(model.embed(json.load(sys.stdin), norm=True).tolist()))
"""


def test_embeddings_are_those_of_wordllama_itself(bundled):
    # WordLlama's own inference on the files of its wheel (`WordLlama.load()` would look for
    # the tokenizer in a folder the wheel does not have and download it). It runs in its own
    # process: importing wordllama reconfigures logging.
    oracle = subprocess.run(
        [sys.executable, "-c", ORACLE],
        input=json.dumps(TEXTS[:4]),
        capture_output=True,
        text=True,
        check=True,
    )
    ours = bundled.embed(TEXTS)
    assert ours.shape == (5, 256) and ours.dtype == np.float32
    assert np.allclose(ours[:4], np.array(json.loads(oracle.stdout)), atol=1e-5)
    assert not ours[4].any()  # nothing to embed, no signal


def test_a_model2vec_directory_and_clear_errors(tmp_path, bundled):
    source = Path(bundled.name).parent.parent
    shutil.copy(
        source / "tokenizers" / "l2_supercat_tokenizer_config.json", tmp_path / "tokenizer.json"
    )
    vectors = np.eye(32000, 8, dtype=np.float32)  # token n → axis n, for n < 8
    save_file({"embeddings": vectors}, str(tmp_path / "model.safetensors"))
    model = semantic.load(str(tmp_path))
    assert model.dimensions == 8
    ids = model.tokenizer.encode("the cluster", add_special_tokens=False).ids
    assert all(token >= 8 for token in ids)
    assert not model.embed(["the cluster"]).any()  # all its tokens have zero vectors
    with pytest.raises(semantic.ModelError, match="nowhere: neither 'wordllama' nor a model"):
        semantic.load("nowhere")
    (tmp_path / "tokenizer.json").unlink()
    with pytest.raises(semantic.ModelError, match=r"tokenizer\.json: no such file"):
        semantic.load(str(tmp_path))


def test_the_signal_counts_in_the_score_and_explains_itself(bundled):
    def described(key, country, text):
        return Profile(key=key, name=key, country=country, texts={"en": text})

    profiles = [
        described("seafood", "ES", "Seafood canning and fish processing companies"),
        described("tuna", "PT", "Tinned tuna, sardines, mussels and octopus preserves"),
        described("cars", "FR", "Automotive suppliers: car parts and metal stamping"),
        described("games", "IE", "Video game studios and digital animation"),
        Profile(key="silent", name="silent", country="IE"),
    ]
    index = Index(profiles, embedder=bundled)
    matches = {m.key: m for m in index.match(profiles[0], top=4)}
    tuna, cars, silent = matches["tuna"], matches["cars"], matches["silent"]
    # No shared stem between the two fish texts, so TF-IDF sees nothing; the embeddings do.
    assert tuna.signals["text"] == 0
    assert tuna.signals["semantic"] > 0.3 > cars.signals["semantic"]
    assert silent.signals["semantic"] == 0
    assert "descriptions close in meaning (0.32)" in [str(r) for r in tuna.reasons]
    assert next(iter(matches)) == "tuna"
    weights = Weights()
    expected = (weights.semantic * tuna.signals["semantic"] + weights.transnational) / sum(
        vars(weights).values()
    )
    assert math.isclose(tuna.score, round(expected, 4), abs_tol=1e-4)
    pairwise = index.pairwise(list(range(len(profiles))))
    assert math.isclose(float(pairwise[0, 1]), tuna.score, abs_tol=1e-4)


def test_the_model_setting_is_checked_at_start_up(settings, tmp_path):
    settings.COOPERATION_SEMANTIC_MODEL = str(tmp_path / "missing")
    errors = semantic_model_check(None)
    assert [error.id for error in errors] == ["cooperation.E003"]
    assert "missing: neither 'wordllama' nor a model directory" in errors[0].msg
    settings.COOPERATION_SEMANTIC_MODEL = "wordllama"
    assert semantic_model_check(None) == []


def test_the_default_install_has_no_model_and_no_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    default = " ".join(project["dependencies"])
    assert not any(name in default for name in ("wordllama", "tokenizers", "torch"))
    assert "wordllama>=0.4" in project["optional-dependencies"]["semantic"]
    assert 'name = "torch"' not in (ROOT / "uv.lock").read_text()
    # Matching without a model imports neither of the semantic packages.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from atclusters.cooperation import matching, semantic; "
            "matching.Index([matching.Profile(key='a', name='a', texts={'en': 'fish'})]); "
            "print(sorted({'tokenizers', 'safetensors', 'wordllama'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert loaded.stdout.strip() == "[]"


def test_a_small_index_takes_the_centre_it_is_given(bundled):
    # 30 descriptions make the registry's mean; three postings are centred on it, not on theirs.
    topics = ["canned fish", "car parts", "video games", "wind turbines", "wine", "textiles"]
    registry = [
        Profile(key=f"c{n}", name="c", texts={"en": f"{topics[n % 6]} makers, {n} members"})
        for n in range(30)
    ]
    centre = Index(registry, embedder=bundled).centre
    assert isinstance(centre, np.ndarray) and centre.shape == (256,)
    postings = [
        Profile(key=key, name=key, kind="posting", texts={"en": text})
        for key, text in (("p1", "Seafood canning partner"), ("p2", "Car seat makers"))
    ]
    small = Index(postings, embedder=bundled, centre=centre)
    query = Profile(key="q", name="q", texts={"en": "Tinned sardines and tuna"})
    raw = bundled.embed(["Tinned sardines and tuna", "Seafood canning partner"]) - centre
    expected = float(raw[0] @ raw[1] / np.linalg.norm(raw[0]) / np.linalg.norm(raw[1]))
    assert next(m for m in small.match(query) if m.key == "p1").signals["semantic"] == (
        pytest.approx(max(expected, 0), abs=1e-4)
    )
    assert Index(postings, embedder=bundled).centre == 0.0  # too few of its own to centre
