"""Telegram Desktop exports: every post with a photo or a video, with the post's text around it.

Telegram Desktop's "Export chat history" (format JSON) writes a folder with ``result.json`` and the
media beside it (``photos/``, ``video_files/``, ``files/``). Each message with a photo, a video
file or an image sent as a file becomes a photo to read, with the post's text, date, id, the
channel it was forwarded from, and its link where the export names the channel's public username.
An album is several messages of which one carries the text: its photos share it.

The export comes from strangers: ``result.json`` is read up to ``MAX_EXPORT_BYTES`` and parsed
keeping only the fields used here; a media path that leads out of the export folder is refused;
a media file that is missing is still listed, so the run names it in one line and goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from geoloc.common.files import read_at_most
from geoloc.errors import ContextError
from geoloc.model import PhotoContext, PhotoInput
from geoloc.read.context import MAX_CONTEXT_BYTES

RESULT = "result.json"
"""The file Telegram Desktop writes the exported messages to."""
HTML_EXPORT = "messages.html"
"""The first page of an export made in Telegram's HTML format."""

MAX_EXPORT_BYTES = 128 * 2**20
"""``result.json`` read: a channel's post is 0.6-1 kB with its text entities, so 128 MiB holds
130,000 posts or more. Parsed keeping only the fields geoloc uses, it takes about six times its
size in memory (measured: 10,000 posts, 6 MiB: 35 MiB, 0.4 s; 100,000 posts, 60 MiB: 350 MiB, 5 s)."""

KEPT_FIELDS = frozenset(
    {
        "chats",
        "list",
        "name",
        "type",
        "id",
        "username",
        "messages",
        "date",
        "from_id",
        "forwarded_from",
        "photo",
        "file",
        "media_type",
        "mime_type",
        "text",
        "media_group_id",
        "grouped_id",
        "href",
    }
)
"""The fields of ``result.json`` read; the rest (reactions, text_entities, which repeats the text,
sizes, thumbnails) is dropped while parsing, so memory follows the posts, not the file."""

VIDEO_MEDIA = frozenset({"video_file", "animation", "video_message"})
"""Telegram's ``media_type`` values for moving pictures."""

_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
"""A public Telegram username: 5-32 letters, digits and underscores, starting with a letter."""


@dataclass
class Export:
    """The photos and videos of an export in post order, and lines about what could not be listed."""

    photos: list[PhotoInput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_export(path: Path) -> bool:
    """True for a Telegram Desktop export folder (or its ``result.json``)."""
    return (path / RESULT).is_file() if path.is_dir() else path.name == RESULT


def is_html_export(path: Path) -> bool:
    """True for a folder Telegram exported in HTML (its messages, not a JSON file)."""
    return path.is_dir() and (path / HTML_EXPORT).is_file() and not (path / RESULT).exists()


def _kept(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in pairs if k in KEPT_FIELDS}


def _load(result: Path, shown: str) -> Any:
    try:
        data = read_at_most(result, MAX_EXPORT_BYTES)
    except OSError as exc:
        raise ContextError(f"cannot read the export ({exc.strerror or exc})", path=shown) from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ContextError(
            f"larger than {MAX_EXPORT_BYTES // 2**20} MiB; not read (export a shorter date range)", path=shown
        )
    try:
        return json.loads(data, object_pairs_hook=_kept)
    except UnicodeDecodeError:
        raise ContextError("not a Telegram export: result.json is not UTF-8 JSON", path=shown) from None
    except json.JSONDecodeError as exc:
        raise ContextError(f"not a Telegram export: result.json is not JSON (line {exc.lineno})", path=shown) from None
    except RecursionError:
        raise ContextError("not a Telegram export: result.json is nested too deeply", path=shown) from None


def _chats(doc: Any) -> Iterator[dict[str, Any]]:
    """The exported chats: the document itself (one chat), or each of a full account export."""
    if isinstance(doc, dict) and isinstance(doc.get("messages"), list):
        yield doc
    elif isinstance(doc, dict) and isinstance(doc.get("chats"), dict) and isinstance(doc["chats"].get("list"), list):
        yield from (c for c in doc["chats"]["list"] if isinstance(c, dict) and isinstance(c.get("messages"), list))


def post_text(value: Any) -> str:
    """A post's text: Telegram writes a string, or a list of strings and entities
    (``{"type": "bold", "text": "..."}``) when the text has formatting or links. A link behind a
    word (``{"type": "text_link", "text": "Геолокація", "href": "https://..."}``) is written after
    it in brackets: channels hide their geolocation's map link so, and the coordinates are in it."""
    if isinstance(value, str):
        return value[:MAX_CONTEXT_BYTES]
    if isinstance(value, list):
        return "".join(_entity_text(p) for p in value)[:MAX_CONTEXT_BYTES]
    return ""


def _entity_text(part: Any) -> str:
    """One piece of a post's text as it reads, a hidden link's address after its words."""
    if isinstance(part, str):
        return part
    if not isinstance(part, dict) or not isinstance(text := part.get("text", ""), str):
        return ""
    href = part.get("href")
    if part.get("type") == "text_link" and isinstance(href, str) and href.startswith(("http://", "https://")):
        return f"{text} ({href})"
    return text


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _media(message: dict[str, Any]) -> tuple[str, bool] | None:
    """(path as the export writes it, is it a video) of a message's picture, or None."""
    photo = message.get("photo")
    if isinstance(photo, str):
        return photo, False
    file = message.get("file")
    if not isinstance(file, str):
        return None
    mime = str(message.get("mime_type") or "")
    if message.get("media_type") in VIDEO_MEDIA or mime.startswith("video/"):
        return file, True
    if mime.startswith("image/") and mime != "image/svg+xml" and message.get("media_type") != "sticker":
        return file, False
    return None


def _group(message: dict[str, Any]) -> int | str | None:
    """The album id a message carries (``media_group_id``, or ``grouped_id`` as other exporters
    write it), if any."""
    group = message.get("media_group_id", message.get("grouped_id"))
    return group if isinstance(group, int | str) and not isinstance(group, bool) else None


def _continues(prev: dict[str, Any], message: dict[str, Any]) -> bool:
    """True when ``message`` is the next picture of the album ``prev`` is in: the next id, sent
    in the same second by the same sender."""
    mid, pid = message.get("id"), prev.get("id")
    return (
        isinstance(mid, int)
        and isinstance(pid, int)
        and mid == pid + 1
        and message.get("date") == prev.get("date")
        and message.get("from_id") == prev.get("from_id")
    )


def _albums(messages: list[dict[str, Any]]) -> dict[int, int]:
    """For each message of an album, the index of the album's message whose text they share.

    An album is the messages of one album id. Telegram Desktop writes no album id: there an album
    is a run of picture messages with consecutive ids, one date and one sender. The text of its
    one message with text is shared; when several have text, each keeps its own.
    """
    runs: dict[Any, list[int]] = {}
    run: list[int] = []
    for i, m in enumerate(messages):
        group = _group(m)
        if group is not None:
            runs.setdefault(("id", group), []).append(i)
        elif _media(m) is not None and run and _continues(messages[run[-1]], m):
            run.append(i)
            continue
        elif _media(m) is not None:
            runs[("run", i)] = run = [i]
            continue
        run = []
    shared: dict[int, int] = {}
    for members in runs.values():
        with_text = [i for i in members if post_text(messages[i].get("text")).strip()]
        if len(members) > 1 and len(with_text) <= 1:
            shared.update({i: with_text[0] if with_text else i for i in members})
    return shared


def _inside(folder: Path, written: str) -> Path | None:
    """The media file ``written`` (as the export writes it, relative) inside ``folder``, or None
    when the path leads out of the folder (absolute, ``..``)."""
    rel = PurePosixPath(written.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return None
    return folder.joinpath(*rel.parts)


def read_export(path: str) -> Export:
    """The photos and videos of a Telegram Desktop export (its folder, or its ``result.json``).

    Raises ContextError when ``result.json`` cannot be read, is not JSON, or holds no messages.
    """
    given = Path(path)
    folder = given if given.is_dir() else given.parent
    shown = str(folder / RESULT) if given.is_dir() else path
    doc = _load(folder / RESULT, shown)
    chats = list(_chats(doc))
    if not chats:
        raise ContextError("not a Telegram Desktop export (result.json holds no messages)", path=shown)
    out = Export()
    for chat in chats:
        username = chat.get("username")
        channel = username.lstrip("@") if isinstance(username, str) else ""
        channel = channel if _USERNAME.fullmatch(channel) else ""
        messages = [m for m in chat["messages"] if isinstance(m, dict) and m.get("type") == "message"]
        shared = _albums(messages)
        for i, m in enumerate(messages):
            media = _media(m)
            if media is None:
                continue
            written, video = media
            mid = m.get("id")
            post = f"post {mid}" if isinstance(mid, int) else "a post"
            if written.startswith("("):  # "(File not included. Change data exporting settings to download.)"
                out.notes.append(
                    f"{folder}: {post}: its {'video' if video else 'photo'} is not in the export {written[:120]}"
                )
                continue
            file = _inside(folder, written)
            if file is None:
                out.notes.append(f"{folder}: {post}: media path {written[:200]!r} leads out of the export; skipped")
                continue
            source_i = shared.get(i, i)
            source = messages[source_i]
            text_id = source.get("id")
            context = PhotoContext(
                source=post if source_i == i else f"{post}, album text from post {text_id}",
                text=post_text(source.get("text")),
                date=_text(m.get("date")),
                link=f"https://t.me/{channel}/{mid}" if channel and isinstance(mid, int) else None,
                forwarded_from=_text(m.get("forwarded_from")) or _text(source.get("forwarded_from")),
            )
            out.photos.append(PhotoInput(str(file), context=context))
    return out
