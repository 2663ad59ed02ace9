"""The generator of invented bad and large inputs, ``scripts/make_bad_corpus.py``, as a module
for the tests (the scripts folder is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_bad_corpus.py"


def load_corpus_script() -> ModuleType:
    """``scripts/make_bad_corpus.py``, loaded once per process."""
    loaded = sys.modules.get("make_bad_corpus")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("make_bad_corpus", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_bad_corpus"] = module
    spec.loader.exec_module(module)
    return module
