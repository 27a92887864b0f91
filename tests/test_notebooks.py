"""The notebooks in notebooks/ run top to bottom in a fresh kernel and show what they promise.

Each is executed with nbclient (kernel ``python3``: jupyter_client starts it with this test's Python), from the
repository root or from notebooks/, and its outputs are checked for content: company names, legal bases, the
highlights, centrality numbers, the hierarchy tree, embedded pictures. The stored notebooks carry no outputs.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def execute(name: str, cwd: Path) -> str:
    """Run the notebook; return all its outputs (text, HTML, image markers) as one string."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute()
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                pytest.fail(f"{name}: {out.get('ename')}: {out.get('evalue')}")
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/html", "")]
            parts += ["<image/png>"] * ("image/png" in data)
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_stored_without_outputs(name):
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        assert not cell.get("outputs") and cell.get("execution_count") is None, f"{name}: clear the outputs"


@pytest.mark.slow
def test_quick_start():
    out = execute("1-quick-start.ipynb", ROOT)
    assert "5 notices" in out
    assert "Conscensia A/S" in out and "A6-1-a" in out          # the legal-basis query, by company
    assert "Flux AD A/S" in out and "001_b5c1420042106783.txt" in out  # a controller name, a file name
    assert "Activity: If you are our customer" in out           # one notice's record


@pytest.mark.slow
def test_cross_company_comparison():
    out = execute("2-cross-company-comparison.ipynb", NOTEBOOKS)
    assert "Rely on consent (Art. 6(1)(a))" in out and "Conscensia A/S" in out
    assert "Longest retention: 10 years (120 mo): Conscensia A/S" in out
    assert "consent" in out and "legitimate interest" in out    # the legal-basis matrix's columns
    assert "FluxSys Ltd" in out and "120" in out                # retention side by side
    assert out.count("<image/png>") >= 4                         # heatmaps, dendrogram, similarity network
    assert "matrix_legal_bases.csv" in out


@pytest.mark.slow
def test_graph_analytics():
    out = execute("3-graph-analytics.ipynb", NOTEBOOKS)
    assert "betweenness" in out and "legal_bases" in out
    assert "community 1:" in out
    assert "Personal Data *" in out or "Personal Data" in out
    assert "  External" in out and "Identifying" in out         # the hierarchy as an indented tree
    assert "ropa.graphml" in out and "<image/png>" in out
