"""examples/quickstart.ipynb: committed without outputs, and it runs from top to bottom.

The notebook is executed with nbclient in a temporary copy, in a Jupyter kernel of this very
Python (the venv's, through a kernelspec written for the test: nothing to register by hand),
on the seed corpus of ../shared.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def test_committed_notebook_has_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "the notebook has no code cells"
    with_output = [i for i, c in enumerate(code) if c.get("outputs")]
    counted = [i for i, c in enumerate(code) if c.get("execution_count") is not None]
    assert with_output == [], f"code cells with outputs (strip them): {with_output}"
    assert counted == [], f"code cells with execution counts (strip them): {counted}"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert str(ROOT) not in text, "an absolute machine path in the notebook"


def _kernel_spec(folder: Path) -> str:
    """A kernelspec running ipykernel in this Python; its name."""
    spec = folder / "kernels" / "sotegraph-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "sotegraph test (this venv)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return "sotegraph-test"


def _outputs(nb: Any) -> list[tuple[int, dict[str, Any]]]:
    return [
        (i, dict(out))
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    ]


@pytest.mark.slow
@pytest.mark.nlp
def test_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip(f"the seed corpus not found at {SHARED / 'corpus' / 'seeds'} (clone ../shared)")
    nbformat = pytest.importorskip("nbformat", reason="needs the dev extra (nbformat)")
    nbclient = pytest.importorskip("nbclient", reason="needs the dev extra (nbclient)")
    pytest.importorskip("ipykernel", reason="needs the dev extra (ipykernel)")
    pytest.importorskip("pandas", reason="needs the dataframe extra (pandas)")

    work = tmp_path / "examples"
    work.mkdir()
    copy = work / NOTEBOOK.name
    shutil.copyfile(NOTEBOOK, copy)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("SOTEGRAPH_SHARED", str(SHARED))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    kernel = _kernel_spec(tmp_path / "jupyter")

    nb = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=kernel, resources={"metadata": {"path": str(work)}}
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    nbformat.write(nb, copy)  # kept in the temp folder, to look at after a failure

    outputs = _outputs(nb)
    errors = [(i, o) for i, o in outputs if o["output_type"] == "error"]
    assert errors == []
    stderr = [
        (i, o["text"]) for i, o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"
    ]
    assert stderr == [], f"the notebook wrote to stderr: {stderr}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "a code cell did not run"

    html = [o["data"]["text/html"] for _, o in outputs if "text/html" in o.get("data", {})]
    rows_tables = [h for h in html if '<table class="sotegraph">' in h]
    frames = [h for h in html if 'class="dataframe' in h]
    assert rows_tables, "no query rows shown as a table"
    assert frames, "no DataFrame shown"
    # the project list of the seeds, and describe() with the money columns
    assert any("sgid:project/" in h for h in rows_tables)
    assert any("granted" in h and "mean" in h for h in frames), "describe() without money"
    # the validation report's verdict
    assert any("sotegraph-verdict" in h for h in html)
    pngs = [o for _, o in outputs if "image/png" in o.get("data", {})]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert any("<iframe" in h for h in html), "no network view without matplotlib"
    else:
        assert len(pngs) >= 2, "the network and the county chart were not drawn"
    try:
        import sotegraph.maps  # noqa: F401
    except ImportError:
        pass
    else:
        assert any("<iframe srcdoc" in h for h in html), "no map"
    print(
        f"notebook: {len(code)} code cells, {len(rows_tables)} row tables, "
        f"{len(frames)} frames, {len(pngs)} pictures, map frame: "
        f"{any('<iframe srcdoc' in h for h in html)}"
    )
