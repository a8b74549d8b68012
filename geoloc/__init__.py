"""geoloc: work out where a published photo was taken.

The pipeline is a one-way flow of plain data:
photo -> evidence (metadata, OCR text, caption) -> candidates -> estimate -> renderers.
"""

__version__ = "0.1.0"
