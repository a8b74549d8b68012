"""Build what analysts are handed, as the tests need it: a saved article page (``.html`` with its
files, or ``.mhtml``) and a Telegram Desktop export folder with ``result.json`` in its real format.

The pictures are road scenes with no text (``blank_photo``), so that where each one is placed
comes from its words alone: a test then shows which words were used.
"""

from __future__ import annotations

import html
import json
import shutil
from email.charset import QP, Charset
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

from tests.support.scenes import render_scene

ARTICLE = (
    "Our correspondent spent the week in Sumy, where strikes have cut power and water for days. "
    "Officials said repairs would take months; residents queued for water and bread."
)
"""The article's first paragraph, whose only town is Sumy: a photo whose caption names no place
is placed there."""

PARAGRAPHS = (
    "Engineers worked through the night to bring the pumping stations back, one district at a time.",
    "Schools moved their lessons online again, and shops opened for a few hours when power returned.",
    "Volunteers brought generators, blankets and bottled water to the people who stayed behind.",
)
"""The article's other paragraphs, one after each figure: they name no place."""

FIGURES = [
    ("A destroyed bridge near Chernihiv on Monday.", "Chernihiv"),
    ("Queue for water in Kharkiv.", "Kharkiv"),
    ("A queue outside a pharmacy.", "Sumy"),  # names no place: the article's town
]
"""Captions of a saved page's figures and the town each photo belongs in."""

TOWNS = {"Chernihiv": (51.4982, 31.2893), "Kharkiv": (49.9935, 36.2304), "Sumy": (50.9216, 34.8003)}
"""Where the towns the captions and posts name are (lat, lon)."""


def blank_photo(path: Path, seed: int = 5) -> Path:
    """A 640x480 road scene with no sign and no text, as a JPEG (about 25 kB)."""
    image, _ = render_scene([], seed=seed, size=(640, 480))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)
    return path


def saved_page(folder: Path, name: str = "article", extra: str = "", figures=FIGURES) -> Path:
    """A page saved "complete": ``<name>.html`` and ``<name>_files/`` with one photo per figure
    (all the same picture), each in a ``<figure>`` with its ``<figcaption>``, in an ``<article>``
    with ``ARTICLE`` as its text. ``extra`` is more HTML put in the article."""
    files = folder / f"{name}_files"
    first = blank_photo(files / "photo-0.jpg")
    for i in range(1, len(figures)):
        shutil.copyfile(first, files / f"photo-{i}.jpg")
    body = "".join(
        f'<figure><img src="{name}_files/photo-{i}.jpg" width="640" height="480">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure><p>{PARAGRAPHS[i % len(PARAGRAPHS)]}</p>"
        for i, (caption, _) in enumerate(figures)
    )
    page = folder / f"{name}.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>A week in Sumy</title>'
        '<link rel="canonical" href="https://news.example.org/2026/11/sumy-week"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>A week in Sumy</h1><p>{html.escape(ARTICLE)}</p>{body}{extra}</article>"
        "<footer>© 2026 Example News</footer></body></html>",
        encoding="utf-8",
    )
    return page


def mhtml_of(page: Path, out: Path) -> Path:
    """The page saved as one ``.mhtml`` file, as Chrome writes it: ``multipart/related``, the HTML
    quoted-printable with the page's address, each image a base64 part found by its address."""
    base = "https://news.example.org/2026/11/sumy-week"
    text = page.read_text(encoding="utf-8")
    images = sorted((page.parent / f"{page.stem}_files").glob("*.jpg"))
    for img in images:
        text = text.replace(f"{page.stem}_files/{img.name}", f"https://news.example.org/img/{img.name}")
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = base
    message["Subject"] = "A week in Sumy"
    quoted = Charset("utf-8")
    quoted.body_encoding = QP  # as Chrome writes the HTML
    part = MIMEText(text, "html", quoted)  # type: ignore[arg-type]
    part["Content-Location"] = base
    message.attach(part)
    for img in images:
        image = MIMEImage(img.read_bytes(), "jpeg")
        image["Content-Location"] = f"https://news.example.org/img/{img.name}"
        message.attach(image)
    out.write_bytes(message.as_bytes())
    return out


def message(mid: int, text: Any = "", *, photo: str | None = None, date: str = "2026-11-30T10:15:00", **more: Any):
    """One message of ``result.json`` as Telegram Desktop writes it, with its text entities."""
    entities = [{"type": "plain", "text": text}] if isinstance(text, str) else text
    m: dict[str, Any] = {
        "id": mid,
        "type": "message",
        "date": date,
        "date_unixtime": "1796033700",
        "from": "Kharkiv Today",
        "from_id": "channel1876543210",
    }
    if photo is not None:
        m.update({"photo": photo, "photo_file_size": 26024, "width": 640, "height": 480})
    m.update(more)
    m.update({"text": text, "text_entities": entities})
    return m


def telegram_export(folder: Path, messages: list[dict[str, Any]], username: str | None = "kharkiv_today") -> Path:
    """An export folder: ``result.json`` of a public channel, and one picture (the same) for
    every ``photos/`` or ``files/`` path the messages name, except the ones named ``missing``."""
    folder.mkdir(parents=True, exist_ok=True)
    picture = blank_photo(folder / "photos" / ".picture.jpg")
    for m in messages:
        for key in ("photo", "file"):
            path = m.get(key)
            if isinstance(path, str) and not path.startswith("(") and "missing" not in path:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(picture, folder / path)
    picture.unlink()
    doc: dict[str, Any] = {"name": "Kharkiv Today", "type": "public_channel", "id": 1876543210}
    if username:
        doc["username"] = username
    doc["messages"] = messages
    (folder / "result.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
