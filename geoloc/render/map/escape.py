"""Untrusted text made inert before it reaches the page, where folium puts it inside JavaScript.

OCR text, metadata values, file names, caption text and the names of the user's areas all come
from outside. Folium writes popups, tooltips and layer names as HTML inside JavaScript template
literals, so HTML escaping alone is not enough: a backtick, ``$`` or backslash could end the
literal or start an expression, and they are escaped as HTML entities too.
"""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    """HTML-escape an untrusted value so it also cannot end a JavaScript template literal."""
    return html.escape(str(value), quote=True).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
