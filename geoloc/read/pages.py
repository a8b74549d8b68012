"""Saved article pages: each image of the article with its own caption, and the article around it.

A page a browser saved "complete" is an ``.html`` file beside its ``<name>_files/`` folder; a page
saved as one file is MHTML (``.mhtml``, ``.mht``): MIME multipart, the HTML and every image as
parts. Both come from strangers. The HTML is parsed by lxml (libxml2's HTML parser: no network,
no DTD and so no entity expansion, nesting bounded) and the article's text is extracted from the
string by trafilatura, which fetches nothing. Only images inside the saved page are read: one on
the web is named and skipped, never fetched, and a local ``src`` that leads out of the page's
folder (``../../``, an absolute path, ``file:``) is refused, so a page cannot make geoloc read
and report a file of the user's it does not hold. Sizes and counts are capped by the constants
below; what is cut is said in one line.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email.parser
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from geoloc.common.files import read_at_most
from geoloc.errors import ContextError
from geoloc.model import PhotoContext, PhotoInput
from geoloc.read.context import MAX_CONTEXT_BYTES

log = logging.getLogger(__name__)

PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
"""A page saved as HTML, with its files in a folder beside it."""
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
"""A page saved as one MIME file (Chrome's and Edge's "single file")."""

MAX_PAGE_BYTES = 20 * 2**20
"""An ``.html`` page read: a long news article with its scripts and styles inlined is 1-5 MB."""
MAX_MHTML_BYTES = 64 * 2**20
"""An ``.mhtml`` read: a page's photos are web-sized (100-500 kB), so 40 of them are about 30 MB
once in base64. The MIME parser takes about seven times the file's size in memory while the parts
are taken out (measured: 129 MiB, 0.9 GB, 7 s), so this keeps a page under half a gigabyte."""
MAX_MHTML_SEPARATORS = 10_000
"""Lines starting ``--`` (part boundaries, and some HTML lines) in an ``.mhtml``: a saved page has
tens to a few hundred parts, and the MIME parser's time and memory grow with their number."""
MAX_PAGE_ELEMENTS = 30_000
"""HTML elements beyond which the article's text is not extracted (its images still are): a long
news page has 2,000-10,000; trafilatura takes about 1 s for 20,000 and its time grows faster
than the page (5 s for 40,000 paragraphs, 160 s for 200,000) on the 2-core machine."""
MAX_PAGE_IMAGES = 200
"""Images read per page: a photo essay has 20-60; each is read like a photo (about 1 s of OCR)."""
MAX_CAPTION_CHARS = 2_000
"""A caption longer than this (a whole paragraph taken for one) is cut: captions are a sentence
or two, and a photo's own text should speak of the photo."""
MIN_PHOTO_PX = 100
"""An image whose page declares it narrower or lower than this is an icon, a logo or a spacer."""
MIN_IMAGE_BYTES = 2_000
"""An image file smaller than this is a tracking pixel, a placeholder or an icon: no photo of a
place fits in 2 kB."""
LISTED = 3
"""Images named on the line that says some were skipped: enough to recognise them."""

_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
"""Where pages keep an image's address besides ``src`` (lazy loading, responsive sizes)."""
_CAPTION_WORD = re.compile(r"caption", re.IGNORECASE)
_IMAGE_MARK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)\n?")
"""Where trafilatura's text shows an image it kept (``![alt](src)``): not words of the article."""
_SPACE = re.compile(r"\s+")
_CONTENT_SUFFIX = {
    "image/jpeg": ".jpg",
    "image/pjpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/avif": ".avif",
}
"""The suffix a taken-out image is given, by its MIME type (the reader sniffs the bytes anyway)."""


Scratch = Callable[[], Path]
"""Makes a fresh private folder for the images a page holds inside it (its owner removes it)."""


@dataclass
class Page:
    """The photos of one saved page, and the lines to tell the user about what was left out."""

    photos: list[PhotoInput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Found:
    """Where one ``src`` of the page leads: a local file (and the name to report), or why not."""

    path: Path | None = None
    name: str = ""
    remote: str = ""  # the address on the web, never fetched
    refused: str = ""  # a local address outside the saved page, or missing from it


def _clean(text: str) -> str:
    """One line of text, at most ``MAX_CAPTION_CHARS``."""
    return _SPACE.sub(" ", text).strip()[:MAX_CAPTION_CHARS]


def _too_small(img: Any) -> bool:
    """True when the page declares the image too small to be a photo (an icon, a spacer)."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_PHOTO_PX:
            return True
    return False


def _sources(img: Any) -> list[str]:
    """Every address the page gives for an image, ``src`` first and inline ``data:`` ones last
    (a lazy page keeps a blank placeholder in ``src`` and the photo in ``data-src``)."""
    found = [img.get("src") or ""]
    for attr in _LAZY_SRC:
        value = img.get(attr) or ""
        found += [c.strip().split(" ")[0] for c in value.split(",")] if "srcset" in attr else [value]
    found = [s.strip() for s in found if s and s.strip()]
    return [s for s in found if not s.startswith("data:")] + [s for s in found if s.startswith("data:")]


def _caption(img: Any) -> tuple[str, str]:
    """The image's own words and where they were found: its figure's caption, else its ``alt`` or
    ``title``, else a caption-like element just after it."""
    figure = next(img.iterancestors("figure"), None)
    if figure is not None:
        for cap in figure.iter("figcaption"):
            text = _clean(cap.text_content())
            if text:
                return text, "figure caption"
    for attr, how in (("alt", "alt text"), ("title", "title")):
        text = _clean(img.get(attr) or "")
        if text:
            return text, how
    node = img
    for _ in range(3):  # the image, its link or wrapper, and the block around them
        for sibling in list(node.itersiblings())[:3]:
            if not isinstance(sibling.tag, str):
                continue
            marks = f"{sibling.tag} {sibling.get('class', '')} {sibling.get('id', '')}"
            if sibling.tag == "figcaption" or _CAPTION_WORD.search(marks):
                text = _clean(sibling.text_content())
                if text:
                    return text, "caption beside it"
        node = node.getparent()
        if node is None:
            break
    return "", ""


def _parse(data: bytes, encoding: str | None, shown: str) -> Any:
    """The page's element tree, parsed without network, DTD or entity expansion."""
    parser = lxml.html.HTMLParser(
        encoding=encoding, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise ContextError(f"not a readable HTML page ({exc})", path=shown) from None
    if root is None:
        raise ContextError("not a readable HTML page (nothing parsed)", path=shown)
    return root


@dataclass(frozen=True)
class _Article:
    """What trafilatura finds in a page: the article's text, its images, its address and date."""

    text: str = ""
    images: frozenset[str] = frozenset()
    url: str | None = None
    date: str | None = None


def _article(html: str | bytes, elements: int, shown: str, notes: list[str]) -> _Article:
    """The article's text and images, by trafilatura, within ``MAX_PAGE_ELEMENTS`` (bytes are
    decoded as the page declares, text is taken as it is)."""
    if elements > MAX_PAGE_ELEMENTS:
        notes.append(
            f"{shown}: {elements:,} HTML elements (more than {MAX_PAGE_ELEMENTS:,}); "
            "the article's text is not extracted, its images are still read"
        )
        return _Article()
    import trafilatura  # only for pages: it takes a tenth of a second to import

    doc = trafilatura.bare_extraction(
        html, include_images=True, include_comments=False, include_tables=False, with_metadata=True
    )
    if doc is None or isinstance(doc, dict):
        return _Article()
    images = frozenset(g.get("src", "") for g in doc.body.iter("graphic")) if doc.body is not None else frozenset()
    url = doc.url if doc.url and urlsplit(doc.url).scheme in ("http", "https") else None
    text = _IMAGE_MARK.sub("", doc.text or "")[:MAX_CONTEXT_BYTES]
    return _Article(text=text, images=images, url=url, date=doc.date or None)


def _article_images(root: Any, article: _Article) -> list[Any]:
    """The page's ``<img>`` elements that belong to the article, in page order.

    Those inside the page's ``<article>`` or ``<main>``, and those trafilatura kept in the
    article's text (it finds the article in pages that do not mark it, but keeps only images
    whose address looks like an image file); all of them when neither finds any. Images the page
    declares smaller than ``MIN_PHOTO_PX`` are left out.
    """
    imgs = [i for i in root.iter("img") if not _too_small(i)]
    kept = [
        i
        for i in imgs
        if next(i.iterancestors("article", "main"), None) is not None or set(_sources(i)) & article.images
    ]
    return kept or imgs


def _photos(
    html: str | bytes,
    root: Any,
    page: str,
    resolve: Callable[[str], _Found],
    notes: list[str],
    link: str | None = None,
) -> list[PhotoInput]:
    """Each article image of a parsed page as a photo with its caption and the article's text."""
    article = _article(html, sum(1 for _ in root.iter()), page, notes)
    photos: list[PhotoInput] = []
    remote: list[str] = []
    refused: list[str] = []
    seen: set[str] = set()
    over = 0
    for img in _article_images(root, article):
        if len(photos) >= MAX_PAGE_IMAGES:  # counted, not resolved: nothing more is taken out
            over += 1
            continue
        found: _Found | None = None
        tried: list[_Found] = []
        for src in _sources(img):
            found = resolve(src)
            if found.path is not None:
                break
            tried.append(found)
        if found is None or found.path is None:
            on_web = [f.remote for f in tried if f.remote]
            if on_web:
                remote.append(on_web[0])
            elif tried:
                refused.append(tried[0].refused)
            continue
        key = str(found.path)
        if key in seen:
            continue
        seen.add(key)
        caption, how = _caption(img)
        context = PhotoContext(
            source=f"{page} ({how})" if how else page,
            text=caption,
            wider=article.text,
            wider_source=f"{page} (article text)" if article.text else "",
            date=article.date,
            link=link or article.url,
        )
        photos.append(PhotoInput(str(found.path), context=context, name=found.name))
    if over:
        notes.append(
            f"{page}: {len(photos) + over} images; the first {MAX_PAGE_IMAGES} are read, {over} skipped "
            f"(at most {MAX_PAGE_IMAGES} per page)"
        )
    if remote:
        notes.append(f"{page}: {_count(remote)} on the web, not in the saved page; not fetched: {_listed(remote)}")
    if refused:
        notes.append(f"{page}: {_count(refused)} not in the saved page; skipped: {_listed(refused)}")
    return photos


def _count(items: list[str]) -> str:
    return f"{len(items)} image{'s' * (len(items) != 1)}"


def _listed(items: list[str]) -> str:
    more = f" and {len(items) - LISTED} more" if len(items) > LISTED else ""
    return ", ".join(items[:LISTED]) + more


def _data_uri(src: str) -> tuple[str, bytes] | None:
    """(MIME type, bytes) of a base64 ``data:image/...`` address, or None."""
    head, _, payload = src.partition(",")
    kind = head[5:].split(";")[0].strip().lower()
    if not kind.startswith("image/") or ";base64" not in head.lower() or len(payload) > MAX_MHTML_BYTES:
        return None
    try:
        return kind, base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return None


class _TakeOut:
    """Writes images held inside the page (MHTML parts, ``data:`` addresses) to the private
    temporary folder, under generated names, and names each as the report will."""

    def __init__(self, scratch: Scratch, page: str) -> None:
        self._scratch = scratch
        self._folder: Path | None = None  # made on the first image: most pages need none
        self._page = page
        self._names: set[str] = set()
        self._count = 0

    def __call__(self, data: bytes, kind: str, label: str) -> _Found:
        if len(data) < MIN_IMAGE_BYTES:
            return _Found(refused=f"{label[:80]} (too small to be a photo)")
        self._folder = self._folder or self._scratch()
        self._count += 1
        path = self._folder / f"image-{self._count:03d}{_CONTENT_SUFFIX.get(kind, '.img')}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # a fresh file in our own folder
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        name = label if label not in self._names else f"{label}-{self._count}"
        self._names.add(name)
        return _Found(path=path, name=f"{self._page}#{name}")


def _label(address: str, n: int) -> str:
    """A short readable name for an image inside a page: the last part of its address."""
    base = os.path.basename(unquote(urlsplit(address).path)) if not address.startswith("data:") else ""
    return _clean(base)[:80] or f"image-{n}"


def read_saved_page(path: str, scratch: Scratch) -> Page:
    """The photos of an ``.html`` page saved with its files: each local article image with its
    caption, the article's text as their wider context.

    Raises ContextError when the page cannot be read or is over ``MAX_PAGE_BYTES``.
    """
    data = _read(path, MAX_PAGE_BYTES)
    root = _parse(data, None, path)
    page_dir = Path(path).parent
    home = page_dir.resolve()
    take_out = _TakeOut(scratch, path)

    def resolve(src: str) -> _Found:
        if src.startswith("data:"):
            inline = _data_uri(src)
            return take_out(inline[1], inline[0], _label(src, 0)) if inline else _Found(refused="an inline image")
        parts = urlsplit(src)
        if parts.scheme in ("http", "https") or src.startswith("//"):
            return _Found(remote=src[:200])
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return _Found(refused=src[:200])
        local = page_dir / unquote(parts.path)
        try:
            real = local.resolve()
        except (OSError, RuntimeError):  # a link loop
            return _Found(refused=src[:200])
        if not real.is_relative_to(home) or not real.is_file():
            return _Found(refused=src[:200])
        if real.stat().st_size < MIN_IMAGE_BYTES:
            return _Found(refused=f"{src[:80]} (too small to be a photo)")
        return _Found(path=local)

    notes: list[str] = []
    return Page(_photos(data, root, path, resolve, notes), notes)


def read_mhtml(path: str, scratch: Scratch) -> Page:
    """The photos of a page saved as one ``.mhtml`` file: the article images among its parts,
    taken out into ``scratch()`` under generated names, each reported as ``page.mhtml#name``.

    Raises ContextError when the file is over ``MAX_MHTML_BYTES`` or not MHTML.
    """
    data = _read(path, MAX_MHTML_BYTES)
    if data.count(b"\n--") > MAX_MHTML_SEPARATORS:
        raise ContextError(f"more than {MAX_MHTML_SEPARATORS:,} MIME parts; not read", path=path)
    message = email.parser.BytesParser().parsebytes(data)
    del data
    if not message.is_multipart():
        raise ContextError("not a saved page (.mhtml holds no MIME parts)", path=path)
    parts = [p for p in message.walk() if not p.is_multipart()]
    html_part = next((p for p in parts if p.get_content_type() == "text/html"), None)
    if html_part is None:
        raise ContextError("not a saved page (.mhtml holds no HTML part)", path=path)
    charset = _charset(html_part)
    html = _payload(html_part).decode(charset, errors="replace")
    root = _parse(html.encode("utf-8"), "utf-8", path)
    base = str(html_part.get("Content-Location") or message.get("Snapshot-Content-Location") or "")
    by_location: dict[str, Message] = {}
    by_id: dict[str, Message] = {}
    for part in parts:
        if part is html_part:
            continue
        if part.get("Content-Location"):
            by_location.setdefault(str(part["Content-Location"]).strip(), part)
        if part.get("Content-ID"):
            by_id.setdefault(str(part["Content-ID"]).strip().strip("<>"), part)
    take_out = _TakeOut(scratch, path)
    done: dict[int, _Found] = {}

    def resolve(src: str) -> _Found:
        if src.startswith("data:"):
            inline = _data_uri(src)
            return take_out(inline[1], inline[0], _label(src, 0)) if inline else _Found(refused="an inline image")
        if src.lower().startswith("cid:"):
            part = by_id.get(src[4:].strip("<>"))
        else:
            part = by_location.get(src) or (by_location.get(urljoin(base, src)) if base else None)
        if part is None:
            absolute = urljoin(base, src) if base else src
            scheme = urlsplit(absolute).scheme
            return _Found(remote=absolute[:200]) if scheme in ("http", "https") else _Found(refused=src[:200])
        kind = part.get_content_type()
        if not kind.startswith("image/") or kind == "image/svg+xml":
            return _Found(refused=f"{src[:80]} ({kind}, not a photo)")
        if id(part) not in done:
            done[id(part)] = take_out(_payload(part), kind, _label(src, len(done) + 1))
        return done[id(part)]

    link = str(message.get("Snapshot-Content-Location") or "").strip()
    notes: list[str] = []
    photos = _photos(
        html, root, path, resolve, notes, link=link if urlsplit(link).scheme in ("http", "https") else None
    )
    return Page(photos, notes)


def _charset(part: Message) -> str:
    """The character set a MIME part declares, if Python knows it; else UTF-8."""
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        return "utf-8"
    return charset


def _payload(part: Message) -> bytes:
    """A MIME part's content, decoded from base64 or quoted-printable (damaged input gives what
    could be decoded: the email parser is lenient by design)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _read(path: str, cap: int) -> bytes:
    """A page's bytes, at most ``cap``; ContextError when it cannot be read or is longer."""
    try:
        data = read_at_most(path, cap)
    except OSError as exc:
        raise ContextError(f"cannot read the page ({exc.strerror or exc})", path=path) from None
    if len(data) > cap:
        raise ContextError(f"larger than {cap // 2**20} MiB; not read (at most that per page)", path=path)
    return data
