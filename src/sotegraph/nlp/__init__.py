"""The sotegraph Finnish NLP pipeline: ``spacy_fi_experimental_web_md`` plus rules.

Nothing here imports spaCy until :func:`load_pipeline` is called, so ``import sotegraph``
stays cheap. The pipeline is described by ``pipeline.cfg`` in this package: the base model,
then sotegraph's components (registered in :mod:`sotegraph.nlp.components` under versioned
names such as ``sotegraph_domain_shapes``; pattern sources are versioned registry functions
such as ``sotegraph.cue_patterns.v1``).

Examples
--------
>>> from sotegraph.nlp import pipeline_config
>>> pipeline_config()["nlp"]["base"]
'spacy_fi_experimental_web_md'
>>> nlp = load_pipeline()
>>> doc = nlp("Koe-hanketta hallinnoi Jyväskylän ammattikorkeakoulu (Jamk).")
>>> [(s.label_, s.text) for s in doc.spans["sg_cues"]]
[('lead', 'hallinnoi')]
>>> [s.text for s in doc.spans["sg_organisations"]]
['Jyväskylän ammattikorkeakoulu', 'Jamk']
"""

from __future__ import annotations

import threading
from importlib import resources as _ir
from typing import TYPE_CHECKING, Any

from sotegraph.errors import SotegraphError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["BASE_MODEL", "load_base_model", "load_pipeline", "pipeline_config"]

BASE_MODEL = "spacy_fi_experimental_web_md"
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], Any] = {}


def pipeline_config(path: str | None = None) -> Any:
    """Return the parsed pipeline description (``pipeline.cfg``, or the file at ``path``).

    Raises
    ------
    SotegraphError
        If the file cannot be read or parsed.
    """
    from spacy.util import load_config_from_str

    try:
        if path is None:
            text = _ir.files("sotegraph.nlp").joinpath("pipeline.cfg").read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        return load_config_from_str(text, interpolate=True)
    except (OSError, ValueError) as exc:
        raise SotegraphError(
            f"cannot read the NLP pipeline config {path or 'pipeline.cfg'}: {exc}"
        ) from exc


def load_base_model(name: str = BASE_MODEL, **kwargs: Any) -> Language:
    """Load the bare spaCy model (no sotegraph components).

    Raises
    ------
    SotegraphError
        If spaCy or the model is not installed (install ``sotegraph[nlp]``).
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is in the nlp extra
        raise SotegraphError("spaCy is not installed; install sotegraph[nlp]") from exc
    try:
        return spacy.load(name, **kwargs)
    except OSError as exc:
        raise SotegraphError(
            f"spaCy model {name!r} is not installed; install sotegraph[nlp] "
            "(pip install spacy-fi-experimental-web-md)"
        ) from exc


def load_pipeline(config: str | None = None, *, refresh: bool = False) -> Language:
    """Return the sotegraph pipeline, loading it once per process (thread-safe cache).

    Parameters
    ----------
    config:
        Path of another pipeline ``.cfg``; the shipped ``pipeline.cfg`` by default.
    refresh:
        Build a new pipeline even if one is cached (e.g. after the reference data changed).

    Raises
    ------
    SotegraphError
        If spaCy, the model or a component is missing, or the config names an unknown
        factory (the message lists the valid ones).
    """
    cfg = pipeline_config(config)
    key = (config or "<shipped>", str(cfg))
    with _LOCK:
        if not refresh and key in _CACHE:
            return _CACHE[key]
        nlp = _build(cfg)
        _CACHE[key] = nlp
        return nlp


def _build(cfg: Any) -> Language:
    from sotegraph.nlp import components  # noqa: F401 - registers the factories

    section = cfg["nlp"]
    nlp = load_base_model(section.get("base", BASE_MODEL), exclude=list(section.get("exclude", [])))
    if "batch_size" in section:
        nlp.batch_size = int(section["batch_size"])
    comps = cfg.get("components", {})
    for name in section.get("pipeline", []):
        spec = dict(comps.get(name, {}))
        factory = spec.pop("factory", None)
        if factory is None:
            raise SotegraphError(f"pipeline.cfg: component {name!r} has no factory")
        if not nlp.has_factory(factory):
            valid = sorted(f for f in nlp.factory_names if f.startswith("sotegraph_"))
            raise SotegraphError(
                f"pipeline.cfg: unknown factory {factory!r} for {name!r}; valid: {', '.join(valid)}"
            )
        nlp.add_pipe(factory, name=name, config=spec)
    return nlp
