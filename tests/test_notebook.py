"""notebooks/explore.ipynb runs top to bottom on a dataset built from data/raw (so it never rots)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT
from tests.test_history import GANSU_2011, build_tables, write_tables

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/raw plus the hand-made 2011 Gansu notice (so a history has a transition), built by the
    step functions (the Dagster build of the same steps is tested in test_pipeline / test_curate)."""
    tmp = tmp_path_factory.mktemp("notebook")
    shutil.copytree(ROOT / "data" / "raw", tmp / "raw")
    shutil.copy(GANSU_2011, tmp / "raw" / "gansu_2011.txt")
    write_tables(build_tables(tmp / "raw"), tmp / "curated")
    return tmp / "curated"


def test_notebook_runs(built: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JIANDING_CURATED_DIR", str(built))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit it without outputs"
    # counts come back as integers, and without JIANDING_CURATED_DIR it reads the project's data/curated
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "assert str(revocations.revoked.dtype).lower().startswith('int'), revocations.dtypes\n"
            "assert str(pass_rates.n_evaluated.dtype).lower().startswith('int'), pass_rates.dtypes\n"
            "del os.environ['JIANDING_CURATED_DIR']\n"
            f"assert Path(pipeline.__file__).resolve().parents[1] / 'data' / 'curated' == Path({str(ROOT / 'data' / 'curated')!r})"
        )
    )
    # run from a folder that is not notebooks/: nothing depends on the working directory
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {i: c.outputs for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    assert not [o for outs in outputs.values() for o in outs if o.output_type == "error"]
    text = "\n".join(
        str(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
        for outs in outputs.values()
        for o in outs
    )
    assert "institution_history" in text and "rectify->revoked" in text
    assert any("image/png" in o.get("data", {}) for outs in outputs.values() for o in outs)
