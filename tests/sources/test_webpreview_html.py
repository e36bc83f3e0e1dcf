"""Web-preview page parser: every trap of the real t.me/s markup, on pages written for us."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import MalformedFileError
from bot.models import Post, Source
from bot.sources.webpreview_html import WebPreviewPage, parse_count, parse_page

FIXTURES = Path(__file__).parent.parent / "fixtures"
PAGE = FIXTURES / "webpreview" / "demo_governor.html"
OLDEST = FIXTURES / "webpreview" / "demo_governor_oldest.html"
NO_DATE = FIXTURES / "malformed" / "webpreview_no_date.html"


@pytest.fixture(scope="module")
def page() -> WebPreviewPage:
    return parse_page(PAGE.read_text(encoding="utf-8"), where=str(PAGE))


def post(page: WebPreviewPage, message_id: int) -> Post:
    return next(p for p in page.posts if p.message_id == message_id)


def message_element(inner: str, *, data_post: str = 'data-post="demo/5"', meta: str = "") -> str:
    """One message element with the parts the parser reads."""
    meta = meta or (
        '<a class="tgme_widget_message_date" href="https://t.me/demo/5">'
        '<time datetime="2025-05-05T10:00:00+00:00" class="time">10:00</time></a>'
    )
    return (
        f'<div class="tgme_widget_message js-widget_message" {data_post}>{inner}'
        '<div class="tgme_widget_message_footer"><div class="tgme_widget_message_info">'
        f'<span class="tgme_widget_message_meta">{meta}</span></div></div></div>'
    )


def page_of(*elements: str) -> str:
    history = "".join(elements)
    return f'<html><body><section class="tgme_channel_history">{history}</section></body></html>'


def one_message(inner: str, *, data_post: str = 'data-post="demo/5"', meta: str = "") -> str:
    return page_of(message_element(inner, data_post=data_post, meta=meta))


# ---------------------------------------------------------------- the page as a whole


def test_page_names_channel_title_and_load_more_cursor(page: WebPreviewPage) -> None:
    assert page.channel == "demo_governor"
    assert page.channel_title == "Губернатор Демонской области"
    assert page.before_id == 1001


def test_posts_come_oldest_first_and_a_deleted_post_leaves_a_gap(page: WebPreviewPage) -> None:
    assert [p.message_id for p in page.posts] == [1002, 1003, 1004, 1005, 1006, 1007, 1009, 1010]
    assert all(p.channel == "demo_governor" and p.channel_id is None for p in page.posts)
    assert post(page, 1002).permalink == "https://t.me/demo_governor/1002"


def test_source_is_chosen_by_the_caller() -> None:
    html = PAGE.read_text(encoding="utf-8")
    assert {p.source for p in parse_page(html).posts} == {Source.WEBPREVIEW}
    assert {p.source for p in parse_page(html, source=Source.IMPORT).posts} == {Source.IMPORT}


def test_service_message_is_skipped_and_reported(page: WebPreviewPage) -> None:
    assert page.service_ids == frozenset({1001})
    assert 1001 not in {p.message_id for p in page.posts}


def test_oldest_page_has_no_load_more_cursor_and_a_channel_created_service() -> None:
    oldest = parse_page(OLDEST.read_text(encoding="utf-8"))
    assert oldest.before_id is None
    assert oldest.service_ids == frozenset({997})
    assert [p.message_id for p in oldest.posts] == [998, 999]
    assert (post(oldest, 999).media_kind, post(oldest, 999).views) == ("photo", 2100)


# ---------------------------------------------------------------- text


def test_br_becomes_newline_and_html_entities_are_decoded(page: WebPreviewPage) -> None:
    assert post(page, 1002).text == (
        "Уважаемые жители!\nВ субботу с 9:00 до\u00a013:00 на площади Победы пройдёт "
        "весенняя ярмарка.\n\nПриходите всей семьёй."
    )


def test_emoji_inside_bold_is_kept_and_not_supported_label_is_not_text(
    page: WebPreviewPage,
) -> None:
    text = post(page, 1003).text
    assert text.startswith("⚠️Внимание\nЭтой ночью над Демонским районом")
    assert "Please open Telegram" not in text and "VIEW IN TELEGRAM" not in text
    assert "2.3K" not in text and "🙏" not in text  # reactions are not text


def test_reply_takes_its_own_text_not_the_quoted_post(page: WebPreviewPage) -> None:
    assert post(page, 1004).text == (
        "Уточнение: обломки одного из беспилотников упали на пустыре у деревни Липки. Жертв нет."
    )


def test_video_duration_is_not_taken_for_the_date(page: WebPreviewPage) -> None:
    video = post(page, 1005)
    assert video.date == datetime(2025, 3, 10, 9, 5, tzinfo=UTC)
    assert video.media_kind == "video"
    assert "0:42" not in video.text


def test_links_become_their_text_and_targets_are_kept(page: WebPreviewPage) -> None:
    video = post(page, 1005)
    assert video.text.endswith("Подробности — на сайте правительства!")
    assert video.entities == (
        {
            "type": "text_link",
            "text": "на сайте правительства",
            "url": "https://example.org/news/1005",
        },
    )
    links = post(page, 1009)
    assert links.text == (
        "Итоги недели: в область привлечено $2 млн инвестиций. #итоги @demo_news\n"
        "Отчёт: https://example.org/report"
    )
    assert [e["type"] for e in links.entities] == ["hashtag", "mention", "url"]
    assert links.media_kind == "webpage"
    assert "Отчёт за неделю" not in links.text  # the link preview is not text


def test_media_only_post_has_empty_text(page: WebPreviewPage) -> None:
    photo = post(page, 1007)
    assert (photo.text, photo.media_kind, photo.views) == ("", "photo", 45)


def test_edited_posts_are_reported_with_and_without_a_signature(page: WebPreviewPage) -> None:
    assert page.edited_ids == frozenset({1006, 1010})
    assert post(page, 1006).edited_at is None  # the page gives no edit time
    assert post(page, 1006).text.startswith("Расписание автобусов")


def test_an_author_named_edited_does_not_mark_the_post() -> None:
    meta = (
        '<span class="tgme_widget_message_from_author">edited</span>,&nbsp;'
        '<a class="tgme_widget_message_date" href="#"><time datetime="2025-05-05T10:00:00+00:00">'
        "10:00</time></a>"
    )
    html = one_message('<div class="tgme_widget_message_text js-message_text">x</div>', meta=meta)
    assert parse_page(html).edited_ids == frozenset()


# ---------------------------------------------------------------- views


@pytest.mark.parametrize(
    ("shown", "value"),
    [("1", 1), ("826", 826), ("826K", 826_000), ("60.1K", 60_100), ("8.67M", 8_670_000),
     ("1.2B", 1_200_000_000), (" 96.3K ", 96_300)],
)  # fmt: skip
def test_abbreviated_counts_become_numbers(shown: str, value: int) -> None:
    assert parse_count(shown) == value


@pytest.mark.parametrize("shown", ["", "K", "1.2X", "-5", "views", "NaN", "Infinity"])
def test_unreadable_counts_are_refused(shown: str) -> None:
    with pytest.raises(ValueError):
        parse_count(shown)


def test_page_views_are_read_per_post(page: WebPreviewPage) -> None:
    assert {p.message_id: p.views for p in page.posts} == {
        1002: 826_000, 1003: 60_100, 1004: 8_670_000, 1005: 12_300, 1006: 1,
        1007: 45, 1009: 3_400, 1010: 1_200_000,
    }  # fmt: skip


# ---------------------------------------------------------------- malformed pages


def test_message_without_a_datetime_is_refused_even_with_a_video_duration() -> None:
    with pytest.raises(MalformedFileError) as err:
        parse_page(NO_DATE.read_text(encoding="utf-8"), where=str(NO_DATE))
    assert err.value.path == str(NO_DATE)
    assert err.value.where == 'element div.tgme_widget_message #2 (data-post="demo_governor/1051")'
    assert "datetime" in err.value.reason


def test_message_without_data_post_is_refused() -> None:
    html = one_message("<div class='tgme_widget_message_text'>x</div>", data_post="")
    with pytest.raises(MalformedFileError) as err:
        parse_page(html, where="saved.html")
    assert err.value.where == "element div.tgme_widget_message #1"
    assert "data-post" in err.value.reason


def test_data_post_without_a_numeric_id_is_refused() -> None:
    with pytest.raises(MalformedFileError, match="not NAME/ID"):
        parse_page(one_message("x", data_post='data-post="demo/abc"'))


def test_datetime_without_a_time_zone_is_refused() -> None:
    meta = '<a class="tgme_widget_message_date"><time datetime="2025-05-05T10:00:00">x</time></a>'
    with pytest.raises(MalformedFileError, match="time zone"):
        parse_page(one_message("x", meta=meta))


def test_messages_of_two_channels_on_one_page_are_refused() -> None:
    html = page_of(message_element("x"), message_element("y", data_post='data-post="other/6"'))
    with pytest.raises(MalformedFileError, match="belongs to 'other'"):
        parse_page(html)


def test_unreadable_views_are_refused_naming_the_element() -> None:
    html = one_message('<span class="tgme_widget_message_views">lots</span>')
    with pytest.raises(MalformedFileError, match="not a view count"):
        parse_page(html)


def test_a_page_that_is_not_a_channel_preview_is_refused() -> None:
    html = "<html><head><title>News</title></head><body><p>Hello</p></body></html>"
    with pytest.raises(MalformedFileError) as err:
        parse_page(html, where="news.html")
    assert (err.value.path, err.value.where) == ("news.html", "document")
    assert "t.me/s" in str(err.value)


def test_a_channel_page_without_posts_is_read_from_its_header() -> None:
    html = (
        '<html><body><div class="tgme_channel_info"><div class="tgme_channel_info_header_title">'
        '<span>Тихий канал</span></div><div class="tgme_channel_info_header_username">'
        '<a href="https://t.me/quiet_demo">@Quiet_Demo</a></div></div></body></html>'
    )
    empty = parse_page(html)
    assert (empty.channel, empty.channel_title, empty.posts) == ("quiet_demo", "Тихий канал", ())
