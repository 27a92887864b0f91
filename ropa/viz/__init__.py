"""Pictures of a ropa dataset: heatmaps and a dendrogram of the comparison (``heatmap``), networkx views and their
GraphML / GEXF export (``network``), static drawings (``draw``), a self-contained interactive HTML page
(``interactive``), the HTML comparison report (``report``) and ``viz()``, which ``ropa viz`` wraps."""
from ropa.viz.api import VIEWS, VizResult, view, viz

__all__ = ["VIEWS", "VizResult", "view", "viz"]
