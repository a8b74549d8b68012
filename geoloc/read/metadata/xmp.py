"""Parse XMP packets safely and read their properties: simple values, structs and ISO 8601 dates.

defusedxml refuses entity declarations (billion laughs) and external entities; the refusal becomes
a warning instead of an exception.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

from geoloc.read.metadata.text import clean

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "exifEX": "http://cipa.jp/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


class XmpDoc:
    """Lookup of simple and structured properties across one or more XMP packets."""

    def __init__(self, roots: list[Element]) -> None:
        self.descriptions = [d for r in roots for d in r.iter(f"{{{_NS['rdf']}}}Description")]

    def get(self, prefix: str, name: str) -> str | None:
        key = f"{{{_NS[prefix]}}}{name}"
        for d in self.descriptions:
            if key in d.attrib:
                v = clean(d.attrib[key].encode("utf-8"))
                if v:
                    return v
            for child in d.findall(key):
                v = _xmp_text(child)
                if v:
                    return v
        return None

    def structs(self, prefix: str, name: str) -> list[dict[str, str]]:
        """Instances of a struct (or a bag/seq of structs) as local-name -> text dicts."""
        key = f"{{{_NS[prefix]}}}{name}"
        found: list[dict[str, str]] = []
        for d in self.descriptions:
            nodes: list[Element] = []
            for child in d.findall(key):
                items = [li for c in child for li in c if c.tag.endswith(("}Bag", "}Seq", "}Alt"))]
                nodes.extend(items or [child])
            for node in nodes:
                found.append(_struct_fields(node))
        return [f for f in found if f]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _struct_fields(node: Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    holders = [node] + [c for c in node if _local(c.tag) == "Description"]
    for h in holders:
        for k, v in h.attrib.items():
            text = clean(v.encode("utf-8"))
            if text and not k.startswith(f"{{{_NS['rdf']}}}"):
                fields.setdefault(_local(k), text)
        for c in h:
            if _local(c.tag) == "Description":
                continue
            text = _xmp_text(c)
            if text:
                fields.setdefault(_local(c.tag), text)
    return fields


def _xmp_text(el: Element) -> str | None:
    """Text of a simple property, or of the first item of an Alt/Bag/Seq."""
    if el.text and el.text.strip():
        return clean(el.text.encode("utf-8"))
    for container in el:
        if _local(container.tag) in ("Alt", "Bag", "Seq"):
            for li in container:
                if li.text and li.text.strip():
                    return clean(li.text.encode("utf-8"))
    return None


_XMP_ENCODINGS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def _xmp_text_of(blob: bytes) -> str:
    """XMP packets may be UTF-8, UTF-16 or UTF-32 (XMP spec part 3); decode to text."""
    head = blob.lstrip(b" \t\r\n")[:4]
    for prefix, encoding in _XMP_ENCODINGS:
        if head.startswith(prefix):
            return blob.decode(encoding, errors="replace")
    return blob.decode("utf-8", errors="replace")


def parse_xmp(blob: bytes, warnings: list[str]) -> Element | None:
    """One XMP packet as an element tree, or None with a warning: hostile or broken XML never raises."""
    text = _xmp_text_of(blob).strip("\x00 \t\r\n\ufeff")
    if not text:
        return None
    start = text.find("<")
    if start < 0:
        warnings.append("XMP packet holds no XML; ignored")
        return None
    body = re.sub(r"^<\?xml[^>]*\?>", "", text[start : text.rfind(">") + 1].replace("\x00", ""))
    try:
        return xml_fromstring(body.encode("utf-8"))
    except DefusedXmlException as exc:
        warnings.append(
            f"XMP rejected: {type(exc).__name__} (entity declarations and external "
            "references are not allowed in metadata)"
        )
    except (ParseError, ValueError, UnicodeError) as exc:
        warnings.append(f"XMP is not well-formed XML ({str(exc)[:80]}); ignored")
    return None


def iso_date(value: str | None) -> str | None:
    """An XMP date as ISO 8601 if it is one (XMP dates already are); None otherwise."""
    if not value:
        return None
    v = value.strip()
    try:
        datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return v
