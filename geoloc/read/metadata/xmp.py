"""Parse XMP packets safely and read their properties: simple values, structs and ISO 8601 dates.

defusedxml refuses entity declarations (billion laughs) and external entities, and the tree
builder stops a packet nested too deep or too large as soon as it sees it; each refusal becomes a
warning instead of an exception.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from geoloc.read.metadata.malformed import Malformed
from geoloc.read.metadata.text import clean

MAX_XMP_DEPTH = 100
"""Deepest element nesting parsed: XMP nests about ten levels (packet, RDF, description, property,
container, item, struct fields...); a packet 2.2 million levels deep took 5.5 s and 700 MB."""

MAX_XMP_ELEMENTS = 100_000
"""Most elements parsed from one file's XMP, all packets together: a packet holds tens to
hundreds and a long Photoshop history some thousands, while 16 MB of empty elements (4 million)
took 3.7 s and 450 MB to parse."""

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


class _Bounded(TreeBuilder):
    """A tree builder that stops the parse at the first element past the depth or count limit."""

    def __init__(self, elements: int) -> None:
        super().__init__()
        self.depth = 0
        self.elements = elements  # how many more may be built

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.elements -= 1
        if self.depth > MAX_XMP_DEPTH:
            raise Malformed(f"nested deeper than {MAX_XMP_DEPTH} levels")
        if self.elements < 0:
            raise Malformed(f"larger than {MAX_XMP_ELEMENTS:,} elements in all")
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


def parse_xmp(blobs: list[bytes], warnings: list[str]) -> list[Element]:
    """The file's XMP packets as element trees; a packet that cannot be read safely is left out
    with a warning (hostile or broken XML never raises). ``MAX_XMP_ELEMENTS`` covers them all."""
    roots: list[Element] = []
    left = MAX_XMP_ELEMENTS
    for blob in blobs:
        builder = _Bounded(left)
        root = _parse_packet(blob, builder, warnings)
        left = max(0, builder.elements)
        if root is not None:
            roots.append(root)
    return roots


def _parse_packet(blob: bytes, builder: _Bounded, warnings: list[str]) -> Element | None:
    text = _xmp_text_of(blob).strip("\x00 \t\r\n\ufeff")
    if not text:
        return None
    start = text.find("<")
    if start < 0:
        warnings.append("XMP packet holds no XML; ignored")
        return None
    body = re.sub(r"^<\?xml[^>]*\?>", "", text[start : text.rfind(">") + 1].replace("\x00", ""))
    try:
        parser = DefusedXMLParser(target=builder)
        parser.feed(body.encode("utf-8"))
        return parser.close()
    except Malformed as exc:
        warnings.append(f"XMP {exc}; ignored")
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
