"""The optional semantic text signal: static sentence embeddings, read from files, no torch.

A static embedding model is a tokenizer and one vector per token; a text's embedding is the mean
of its tokens' vectors, scaled to unit length, so that the dot product of two texts is their
cosine. Two sources are read:

- `wordllama`: the 256-dimension model shipped inside the `wordllama` wheel
  (`uv sync --extra semantic`). Its files are read directly: importing the package would
  reconfigure the process's logging.
- a directory in the Model2Vec layout (`tokenizer.json`, `model.safetensors` holding the
  `embeddings` matrix), e.g. a multilingual model copied once onto the server.

`tokenizers` and `safetensors` are imported only when a model is loaded, so the default install
neither needs nor loads them. No Django here.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

BUNDLED = "wordllama"


class ModelError(ValueError):
    """The configured model cannot be read; the message says what is missing."""


class StaticEmbedder:
    def __init__(self, tokenizer_file: Path, vectors_file: Path, tensor: str | None = None):
        try:
            from safetensors import safe_open
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelError(
                "the semantic signal needs the optional packages: uv sync --extra semantic"
            ) from error
        for path in (tokenizer_file, vectors_file):
            if not path.is_file():
                raise ModelError(f"{path}: no such file")
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        with safe_open(str(vectors_file), framework="np") as tensors:
            names = list(tensors.keys())
            name = tensor if tensor in names else names[0] if len(names) == 1 else None
            if name is None:
                raise ModelError(f"{vectors_file}: no tensor {tensor!r} among {names}")
            self.vectors = np.ascontiguousarray(tensors.get_tensor(name), dtype=np.float32)
        unknown_token = getattr(self.tokenizer.model, "unk_token", None)
        unknown = self.tokenizer.token_to_id(unknown_token) if unknown_token else None
        self.unknown = -1 if unknown is None else unknown
        self.name = str(vectors_file)

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text (zeros for a text with no known token)."""
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        written = [row for row, text in enumerate(texts) if text.strip()]
        encodings = self.tokenizer.encode_batch(
            [texts[row] for row in written], add_special_tokens=False
        )
        for row, encoding in zip(written, encodings, strict=True):
            ids = [token for token in encoding.ids if token != self.unknown]
            if ids:
                rows[row] = self.vectors[ids].mean(axis=0)
        norms = np.linalg.norm(rows, axis=1)
        norms[norms == 0] = 1
        rows /= norms[:, None]
        return rows


def load(model: str) -> StaticEmbedder:
    """The model named by the setting: `wordllama` or a Model2Vec directory."""
    if model == BUNDLED:
        spec = importlib.util.find_spec(BUNDLED)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                "the bundled model needs the optional packages: uv sync --extra semantic"
            )
        root = Path(next(iter(spec.submodule_search_locations)))
        return StaticEmbedder(
            root / "tokenizers" / "l2_supercat_tokenizer_config.json",
            root / "weights" / "l2_supercat_256.safetensors",
            tensor="embedding.weight",
        )
    directory = Path(model)
    if not directory.is_dir():
        raise ModelError(f"{model}: neither {BUNDLED!r} nor a model directory")
    return StaticEmbedder(
        directory / "tokenizer.json", directory / "model.safetensors", tensor="embeddings"
    )
