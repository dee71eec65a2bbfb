"""The learned boilerplate model as the web process uses it: stored coefficients, no scikit-learn.

A model is a logistic regression over articles.boilerplate.features.NAMES: one across sources
and one per source that has enough labels of its own (articles.boilerplate.training). Scoring a
paragraph is a dot product and a logistic function in plain Python (docs/boilerplate.md,
"Measured": a few microseconds), so the web process never imports scikit-learn.

Which model is active: the newest LearnedModel row, or the starting model shipped with the
package (starting_model.json) while none is trained. active_model() keeps it in the process for
NEWSREVIEW_BOILERPLATE_MODEL_TTL seconds, so pages do not pay a query for it; training in this
process replaces it at once (remember()).
"""

import json
import math
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from operator import mul, sub
from pathlib import Path

from django.conf import settings

from articles.boilerplate.features import NAMES

STARTING_MODEL = Path(__file__).with_name("starting_model.json")


class ModelError(ValueError):
    """A stored model that does not fit this code (other features, missing values)."""


@dataclass(frozen=True)
class Linear:
    """One logistic regression on raw features (the scaling is folded into the weights)."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[
        float, ...
    ]  # of the training examples, to say which features pushed a score
    examples: int  # labeled paragraphs it learned from
    positives: int  # of which boilerplate
    precision: float | None  # cross-validated, at the model's cutoff
    recall: float | None
    cutoff: float  # suggest boilerplate at or above this probability

    def probability(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(map(mul, self.weights, features))
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def pushes(self, features: tuple[float, ...]) -> list[int]:
        """Indexes of the features that raised the score above an average paragraph's (weight
        times the value's distance from the training mean, positive), largest first."""
        raised = list(
            map(mul, self.weights, map(sub, features, self.means))  # C-speed loops
        )
        order = sorted(range(len(raised)), key=raised.__getitem__, reverse=True)
        return list(takewhile(lambda index: raised[index] > 0, order))

    def as_json(self) -> dict:
        return {
            "weights": list(self.weights),
            "bias": self.bias,
            "means": list(self.means),
            "examples": self.examples,
            "positives": self.positives,
            "precision": self.precision,
            "recall": self.recall,
            "cutoff": self.cutoff,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Linear":
        try:
            weights = tuple(float(w) for w in data["weights"])
            means = tuple(float(m) for m in data["means"])
            linear = cls(
                weights=weights,
                bias=float(data["bias"]),
                means=means,
                examples=int(data["examples"]),
                positives=int(data["positives"]),
                precision=_optional_float(data.get("precision")),
                recall=_optional_float(data.get("recall")),
                cutoff=float(data["cutoff"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"model coefficients: {error}") from error
        if len(weights) != len(NAMES) or len(means) != len(NAMES):
            raise ModelError(
                f"model has {len(weights)} weights, the features are {len(NAMES)}"
            )
        return linear


def _optional_float(value) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Model:
    version: str  # "starting" for the shipped model, else "3" (the LearnedModel id)
    trained_on: str  # what it learned from, in words
    from_labels: bool  # learned from the desk's own labels (not the shipped material)
    general: Linear
    sources: dict[str, Linear] = field(default_factory=dict)

    def for_source(self, source: str) -> Linear:
        return self.sources.get(source, self.general)

    def as_json(self) -> dict:
        return {
            "features": list(NAMES),
            "version": self.version,
            "trained_on": self.trained_on,
            "from_labels": self.from_labels,
            "general": self.general.as_json(),
            "sources": {name: m.as_json() for name, m in sorted(self.sources.items())},
        }

    @classmethod
    def from_json(cls, data: dict, *, version: str | None = None) -> "Model":
        if list(data.get("features", ())) != list(NAMES):
            raise ModelError("model was trained on other features than this code's")
        return cls(
            version=version or str(data.get("version", "")),
            trained_on=str(data.get("trained_on", "")),
            from_labels=bool(data.get("from_labels")),
            general=Linear.from_json(data["general"]),
            sources={
                str(name): Linear.from_json(linear)
                for name, linear in (data.get("sources") or {}).items()
            },
        )


@lru_cache(maxsize=1)
def starting_model() -> Model:
    """The model shipped in the package (bench/learned.py builds it; docs/boilerplate.md)."""
    return Model.from_json(
        json.loads(STARTING_MODEL.read_text(encoding="utf-8")), version="starting"
    )


_lock = threading.Lock()
_cache: dict = {"model": None, "read_at": 0.0}


def active_model() -> Model:
    """The newest trained model, or the starting model; read from the database at most once
    per NEWSREVIEW_BOILERPLATE_MODEL_TTL seconds per process."""
    now = time.monotonic()
    model = _cache["model"]
    if (
        model is not None
        and now - _cache["read_at"] < settings.NEWSREVIEW_BOILERPLATE_MODEL_TTL
    ):
        return model
    from articles.models import (
        LearnedModel,  # the models package imports nothing of ours
    )

    row = LearnedModel.objects.order_by("-pk").first()
    model = starting_model()
    if row is not None:
        try:
            model = Model.from_json(row.coefficients, version=str(row.pk))
        except ModelError:
            model = starting_model()  # trained by an older release: its features differ
    remember(model, read_at=now)
    return model


def remember(model: Model | None, *, read_at: float | None = None) -> None:
    """Make `model` the process's active model (None: read the database next time)."""
    with _lock:
        _cache["model"] = model
        _cache["read_at"] = time.monotonic() if read_at is None else read_at
