"""Stage 4, inference: from mentions and metadata to ranked candidates and one honest estimate.

``choice`` decides which place each name means, ``rings`` where distance signs meet,
``candidates`` scores every place the evidence may point to, ``estimate`` draws the conclusion.
"""

from geoloc.infer.candidates import at_estimate
from geoloc.infer.choice import EXACT_MATCH, border_places, resolve_context, settle_context, sign_country
from geoloc.infer.estimate import infer

__all__ = [
    "EXACT_MATCH",
    "at_estimate",
    "border_places",
    "infer",
    "resolve_context",
    "settle_context",
    "sign_country",
]
