"""Parse a public channel's web preview page (https://t.me/s/NAME) into `Post`s.

Pure: HTML text in, a `WebPreviewPage` out. Used by `uavwatch import` for saved pages and
by the web-preview poller for fetched ones. The markup has traps, each handled here and
covered by a fixture in tests/fixtures/webpreview/:

- a reply first carries the QUOTED post's text block (`.js-message_reply_text` inside
  `a.tgme_widget_message_reply`); the post's own block is the other one;
- a video's duration is a `<time>` without `datetime` placed before the real date, so the
  date is read from `a.tgme_widget_message_date > time[datetime]` only;
- "edited" is bare text in the meta span (no class); the page gives no edit time;
- `media_not_supported_cont` ("Please open Telegram...") sits beside the text: not text;
- emoji are `<i class="emoji"><b>E</b></i>`: their text is the emoji, kept; `<br>` is "\\n";
  links become their text (their targets are kept as entities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.errors import MalformedFileError
from bot.models import Post, Source

_HINT = "save the page from https://t.me/s/NAME (the /s/ form lists posts) without editing it"

# Checked in order; the first present names the post's media. Link previews come last:
# the API calls them media too (a web page), but only when nothing else is attached.
_MEDIA_SELECTORS = (
    (".tgme_widget_message_grouped_wrap", "album"),
    (".tgme_widget_message_photo_wrap", "photo"),
    (".tgme_widget_message_roundvideo_player", "round_video"),
    (".tgme_widget_message_video_player", "video"),
    (".tgme_widget_message_voice", "voice"),
    (".tgme_widget_message_document_wrap", "document"),
    (".tgme_widget_message_sticker_wrap", "sticker"),
    (".tgme_widget_message_poll", "poll"),
    (".tgme_widget_message_location_wrap", "location"),
    (".tgme_widget_message_link_preview", "webpage"),
)
_EDITED = re.compile(r"\bedited\b")
_SUFFIXES = {"K": Decimal(1_000), "M": Decimal(1_000_000), "B": Decimal(1_000_000_000)}


@dataclass(frozen=True, slots=True)
class WebPreviewPage:
    channel: str  # username from data-post (lower-case)
    channel_title: str | None
    posts: tuple[Post, ...]  # oldest first
    edited_ids: frozenset[int]  # posts marked "edited" on the page
    service_ids: frozenset[int]  # service messages (skipped, counted)
    before_id: int | None  # the "load more" cursor (data-before); None when there is none


def parse_count(text: str) -> int:
    """Telegram's abbreviated counters: "826" -> 826, "60.1K" -> 60100, "8.67M" -> 8670000."""
    raw = text.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    factor = _SUFFIXES.get(raw[-1:].upper(), Decimal(1))
    number = raw[:-1] if factor != 1 else raw
    try:
        value = Decimal(number) * factor
    except InvalidOperation:
        raise ValueError(f"not a view count: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"not a view count: {text!r}")
    return int(value)


def parse_page(
    html: str, *, source: Source = Source.WEBPREVIEW, where: str = "<page>"
) -> WebPreviewPage:
    """Every post on the page; service messages and "edited" marks reported by id.

    Raises MalformedFileError when the page is not a t.me/s page, or a message element
    lacks its data-post or a parseable date.
    """
    tree = LexborHTMLParser(html)
    elements = tree.css("div.tgme_widget_message")
    title = _channel_title(tree)
    if not elements and title is None and tree.css_first(".tgme_channel_info") is None:
        raise MalformedFileError(
            where,
            "document",
            "no div.tgme_widget_message and no channel header: not a t.me/s page",
            _HINT,
        )
    channel = None
    posts: dict[int, Post] = {}
    edited: set[int] = set()
    service: set[int] = set()
    for number, element in enumerate(elements, start=1):
        name, message_id = _data_post(element, number, where)
        if channel is None:
            channel = name
        elif name != channel:
            raise _element_error(
                where, number, element, f"belongs to {name!r}, the page to {channel!r}"
            )
        if "service_message" in _classes(element):
            service.add(message_id)
            continue
        post, is_edited = _parse_message(element, number, channel, message_id, title, source, where)
        posts.setdefault(message_id, post)
        if is_edited:
            edited.add(message_id)
    return WebPreviewPage(
        channel=channel or _header_username(tree, where),
        channel_title=title,
        posts=tuple(posts[k] for k in sorted(posts)),
        edited_ids=frozenset(edited),
        service_ids=frozenset(service),
        before_id=_before_id(tree),
    )


def _parse_message(
    element: LexborNode,
    number: int,
    channel: str,
    message_id: int,
    title: str | None,
    source: Source,
    where: str,
) -> tuple[Post, bool]:
    date = _date(element, number, where)
    block = _own_text_block(element)
    text, entities = _text_and_links(block) if block is not None else ("", ())
    views_node = element.css_first(".tgme_widget_message_views")
    views = None
    if views_node is not None:
        try:
            views = parse_count(views_node.text())
        except ValueError as exc:
            raise _element_error(where, number, element, str(exc)) from None
    post = Post(
        channel=channel,
        channel_id=None,
        message_id=message_id,
        date=date,
        text=text,
        source=source,
        views=views,
        media_kind=_media_kind(element, has_text=bool(text)),
        entities=entities,
        channel_title=title,
    )
    return post, _is_edited(element)


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _element_error(where: str, number: int, element: LexborNode, reason: str) -> MalformedFileError:
    post = element.attributes.get("data-post")
    shown = f' (data-post="{post}")' if post else ""
    return MalformedFileError(
        where, f"element div.tgme_widget_message #{number}{shown}", reason, _HINT
    )


def _data_post(element: LexborNode, number: int, where: str) -> tuple[str, int]:
    raw = element.attributes.get("data-post") or ""
    name, _, tail = raw.rpartition("/")
    if not name or not tail.isdigit():
        reason = "no data-post attribute" if not raw else f"data-post={raw!r} is not NAME/ID"
        raise _element_error(where, number, element, reason)
    return name.lower(), int(tail)


def _date(element: LexborNode, number: int, where: str) -> datetime:
    """The post's own date: the `<time>` in the date link, never the video duration."""
    node = element.css_first("a.tgme_widget_message_date time[datetime]")
    if node is None:
        node = element.css_first(".tgme_widget_message_meta time[datetime]")
    raw = node.attributes.get("datetime") if node is not None else None
    if not raw:
        raise _element_error(where, number, element, "no <time datetime=...> in the date link")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _element_error(where, number, element, f"datetime={raw!r} is not ISO 8601") from None
    if value.tzinfo is None:
        raise _element_error(where, number, element, f"datetime={raw!r} has no time zone")
    return value.astimezone(UTC)


def _own_text_block(element: LexborNode) -> LexborNode | None:
    """The post's text block, skipping the quoted post's block that a reply carries first."""
    for block in element.css(".tgme_widget_message_text"):
        if "js-message_reply_text" in _classes(block) or _inside_reply(block, element):
            continue
        return block
    return None


def _inside_reply(node: LexborNode, stop: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != stop.mem_id:
        if "tgme_widget_message_reply" in _classes(parent):
            return True
        parent = parent.parent
    return False


def _text_and_links(block: LexborNode) -> tuple[str, tuple[dict[str, Any], ...]]:
    """Plain text ("\\n" for <br>, emoji kept, links as their text) and the link targets."""
    links: list[dict[str, Any]] = []
    for anchor in block.css("a[href]"):
        links.append(_link_entity(anchor.text(), anchor.attributes.get("href") or ""))
    for br in block.css("br"):
        br.replace_with("\n")
    return block.text(deep=True).strip(), tuple(links)


def _link_entity(text: str, href: str) -> dict[str, Any]:
    """A link as an entity piece (no offsets: the page does not give Telegram's)."""
    if href.startswith("?q=%23") or (text.startswith("#") and href.startswith("?q=")):
        return {"type": "hashtag", "text": text}
    if text.startswith("@") and "t.me/" in href:
        return {"type": "mention", "text": text}
    if text == href or href.rstrip("/").endswith(text.rstrip("/")):
        return {"type": "url", "text": text, "url": href}
    return {"type": "text_link", "text": text, "url": href}


def _media_kind(element: LexborNode, *, has_text: bool) -> str | None:
    for selector, kind in _MEDIA_SELECTORS:
        if element.css_first(selector) is not None:
            return kind
    if not has_text and element.css_first(".message_media_not_supported") is not None:
        return "unsupported"
    return None


def _is_edited(element: LexborNode) -> bool:
    """True when the meta span's own bare text says "edited" (author names are in a span)."""
    meta = element.css_first(".tgme_widget_message_meta")
    if meta is None:
        return False
    for child in meta.iter(include_text=True):
        if child.is_text_node and _EDITED.search(child.text_content or ""):
            return True
    return False


def _channel_title(tree: LexborHTMLParser) -> str | None:
    for selector in (".tgme_channel_info_header_title", ".tgme_header_title"):
        node = tree.css_first(selector)
        if node is not None and node.text(strip=True):
            return node.text(strip=True)
    meta = tree.css_first('meta[property="og:title"]')
    content = meta.attributes.get("content") if meta is not None else None
    return content.strip() or None if content else None


def _header_username(tree: LexborHTMLParser, where: str) -> str:
    """The channel of a page without posts: from the header's @username or the canonical URL."""
    node = tree.css_first(".tgme_channel_info_header_username a")
    if node is not None and node.text(strip=True).startswith("@"):
        return node.text(strip=True)[1:].lower()
    link = tree.css_first('link[rel="canonical"]')
    href = (link.attributes.get("href") or "") if link is not None else ""
    if "/s/" in href:
        name = href.split("/s/", 1)[1].split("?", 1)[0].strip("/")
        if name:
            return name.lower()
    raise MalformedFileError(
        where, "document", "no posts and no channel username in the header", _HINT
    )


def _before_id(tree: LexborHTMLParser) -> int | None:
    node = tree.css_first("a.tme_messages_more[data-before]")
    raw = node.attributes.get("data-before") if node is not None else None
    return int(raw) if raw and raw.isdigit() else None
