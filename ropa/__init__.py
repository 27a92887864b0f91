"""ropa: privacy notices -> a GDPR record of processing activities (ROPA) knowledge graph under the W3C DPV."""
__version__ = "0.1.0"
