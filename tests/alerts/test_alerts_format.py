"""Alert texts: every language complete, headlines from the facts, escaping, the size limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telethon.extensions import html as tl_html

from bot.alerts.format import (
    MAX_MESSAGE,
    AlertView,
    SourceView,
    excerpt_of,
    headline,
    render_alert,
    render_broadcast,
    render_summary,
    visible_length,
)
from bot.alerts.i18n import (
    ALERT_TEXTS,
    Html,
    check_catalogue,
    fill,
    language_from_code,
    plural_category,
)
from bot.botui.admin_texts import ADMIN_TEXTS
from bot.botui.texts import UI_TEXTS
from bot.classify import classify
from bot.classify.regions import region_by_code
from bot.models import Classification, Label

WHEN = datetime(2025, 3, 14, 19, 25, tzinfo=UTC)


def _c(label: Label = Label.UAV_INCIDENT, **facts: object) -> Classification:
    return Classification(label=label, confidence=0.9, lang="ru", classifier_version="t", **facts)  # type: ignore[arg-type]


def _view(text: str, c: Classification | None = None, sources: int = 1) -> AlertView:
    srcs = tuple(
        SourceView(f"chan{i}", None, 10 + i, f"https://t.me/chan{i}/{10 + i}", WHEN)
        for i in range(sources)
    )
    return AlertView(1, c or _c(drones_destroyed=2), text, srcs)


def _plain(markup: str) -> str:
    return tl_html.parse(markup)[0]


@pytest.mark.parametrize("catalogue", [ALERT_TEXTS, UI_TEXTS, ADMIN_TEXTS])
def test_every_text_exists_in_every_language_with_the_same_placeholders(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert check_catalogue(catalogue) == []


@pytest.mark.parametrize(
    ("code", "lang"),
    [("ru", "ru"), ("uk-UA", "uk"), ("en-GB", "en"), ("be", "ru"), ("de", "en"), (None, "en")],
)
def test_language_follows_telegrams_language_code(code: str | None, lang: str) -> None:
    assert language_from_code(code) == lang


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [(1, "one", "one"), (2, "few", "many"), (5, "many", "many"), (11, "many", "many"),
     (21, "one", "many"), (22, "few", "many"), (112, "many", "many")],
)  # fmt: skip
def test_plural_categories(n: int, ru: str, en: str) -> None:
    assert plural_category("ru", n) == ru == plural_category("uk", n)
    assert plural_category("en", n) == en


def test_headline_from_the_issue_example_in_three_languages() -> None:
    c = classify("Над Смоленской областью уничтожены два БПЛА. Пострадавших нет.")
    assert headline(c, "ru") == "🛩 Смоленская область: уничтожены 2 БПЛА. Пострадавших нет."
    assert headline(c, "uk") == "🛩 Смоленська область: знищено 2 БпЛА. Постраждалих немає."
    assert headline(c, "en") == "🛩 Smolensk Oblast: 2 drones destroyed. No casualties."


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"drones_destroyed": 1}, "🛩 Курская область: уничтожен 1 БПЛА."),
        ({"drones_destroyed": 5}, "🛩 Курская область: уничтожено 5 БПЛА."),
        ({"drones_destroyed": 39, "drones_launched": 48},
         "🛩 Курская область: уничтожено 39 из 48 БПЛА."),
        ({"drones_launched": 12}, "🛩 Курская область: атака 12 БПЛА."),
        ({}, "🛩 Курская область: атака БПЛА."),
        ({"casualties": "killed", "killed": 2, "injured": 3, "damage": "yes"},
         "🛩 Курская область: атака БПЛА. Погибших: 2. Пострадавших: 3. Есть повреждения."),
        ({"casualties": "injured"}, "🛩 Курская область: атака БПЛА. Есть пострадавшие."),
    ],
)  # fmt: skip
def test_headline_states_each_fact(facts: dict[str, object], expected: str) -> None:
    c = _c(regions=(region_by_code("RU-KRS"),), **facts)
    assert headline(c, "ru") == expected


def test_headline_for_threats_other_attacks_many_regions_and_none() -> None:
    kursk = (region_by_code("RU-KRS"),)
    assert headline(_c(Label.UAV_THREAT, regions=kursk, threat_state="start"), "en") == (
        "⚠️ Kursk Oblast: drone attack threat."
    )
    assert headline(_c(Label.UAV_THREAT, regions=kursk, threat_state="end"), "uk") == (
        "✅ Курська область: відбій загрози БпЛА."
    )
    assert headline(_c(Label.OTHER_ATTACK, regions=kursk), "en") == (
        "💥 Kursk Oblast: other attack (not a UAV)."
    )
    many = tuple(region_by_code(c) for c in ("RU-BRY", "RU-KRS", "RU-BEL", "RU-ORL", "RU-TUL"))
    assert headline(_c(regions=many, drones_destroyed=9), "en") == (
        "🛩 Bryansk Oblast, Kursk Oblast, Belgorod Oblast and 2 more: 9 drones destroyed."
    )
    assert headline(_c(drones_destroyed=3), "ru") == "🛩 Уничтожены 3 БПЛА."


@pytest.mark.parametrize(
    "hostile", ["<b>bold</b>", "*star* _under_", "[x](y)", "a & b &amp;", '"><script>']
)
def test_post_text_arrives_literally(hostile: str) -> None:
    markup = render_alert(_view(f"Сбит БПЛА. {hostile}"), "en", "UTC")
    assert _plain(markup).endswith(f"Сбит БПЛА. {hostile}")


def test_fill_escapes_values_but_not_markup_marked_safe() -> None:
    assert fill("{a} {b}", {"a": "<i>", "b": Html("<i>x</i>")}) == "&lt;i&gt; <i>x</i>"


def test_alert_lists_sources_and_marks_corrections() -> None:
    view = _view("text", sources=3)
    plain = _plain(render_alert(view, "ru", "Europe/Moscow", corrected_at=WHEN))
    assert plain.splitlines()[0] == "✏️ Исправлено: 14.03 22:25 MSK"
    assert "Источник: @chan0, 14.03 22:25 MSK" in plain
    assert "Также сообщили: @chan1, @chan2" in plain


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=0, max_size=9000), sources=st.integers(1, 40))
def test_any_post_renders_under_the_limit_and_parses(text: str, sources: int) -> None:
    markup = render_alert(_view(text, sources=sources), "uk", "Europe/Kyiv")
    plain, _ = tl_html.parse(markup)
    assert len(plain.encode("utf-16-le")) // 2 <= MAX_MESSAGE


def test_excerpt_cuts_at_a_word_and_marks_the_cut() -> None:
    assert excerpt_of("short text") == "short text"
    cut = excerpt_of("слово " * 400, 100)
    assert cut.endswith("слово…") and len(cut) <= 101
    assert excerpt_of("anything", 0) == ""


def test_summary_is_bounded_and_skips_deleted_alerts() -> None:
    views = [
        _view("t", _c(regions=(region_by_code("RU-KRS"),), drones_destroyed=i))
        for i in range(1, 80)
    ]
    views.append(AlertView(99, _c(), "gone", views[0].sources, status="deleted"))
    plain = _plain(render_summary(views, "en", "UTC"))
    lines = plain.splitlines()
    assert lines[0] == "🌙 Alerts during your quiet hours: 79"
    assert lines[-1] == "…and 49 more" and len(lines) == 32
    assert len(plain) <= MAX_MESSAGE


def test_broadcast_is_escaped_and_introduced() -> None:
    assert _plain(render_broadcast("<b>hi</b>", "uk")) == (
        "📢 Повідомлення від адміністраторів:\n<b>hi</b>"
    )


def test_a_long_broadcast_is_cut_by_telegrams_measure_utf16() -> None:
    """Emoji take two UTF-16 code units each: a broadcast of 3,000 of them (3,000 code
    points, 6,000 units) must be cut to fit 4,096 units, not 4,096 code points."""
    message = render_broadcast("🛩" * 3000, "en")
    assert visible_length(message) <= 4096
    assert visible_length(message) > 4096 - 120 and message.endswith("…")
    surrogate_safe = _plain(message).encode("utf-16-le").decode("utf-16-le")
    assert surrogate_safe.endswith("🛩…")
