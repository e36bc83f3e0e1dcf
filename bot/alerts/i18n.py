"""Every string a subscriber sees, in Russian, Ukrainian and English, and the rules to fill them.

Why a catalogue of plain dicts and not gettext: three languages, a few hundred strings, and
a test can check that every key exists in every language with the same placeholders.

Values are filled HTML-escaped (the bot sends with parse_mode HTML) unless wrapped in `Html`,
which marks text that is already safe markup. So a post's text can never inject a tag.
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping

LANGS = ("ru", "uk", "en")
DEFAULT_LANG = "en"

# Telegram's language_code (IETF tag, e.g. "ru", "uk-UA", "en-GB") -> our language. Belarusian
# and Kazakh users are most often served in Russian by the channels we watch.
_FROM_CODE = {"ru": "ru", "be": "ru", "kk": "ru", "uk": "uk", "en": "en"}

# Default time zone by language until the subscriber sets one with /tz.
DEFAULT_TZ = {"ru": "Europe/Moscow", "uk": "Europe/Kyiv", "en": "UTC"}


class Html(str):
    """Markup that is already safe: inserted into templates as it is."""

    __slots__ = ()


Catalogue = Mapping[str, Mapping[str, str]]

ALERT_TEXTS: dict[str, dict[str, str]] = {
    "region_none": {"ru": "Регион не указан", "uk": "Регіон не вказано", "en": "Region not stated"},
    "regions_more": {"ru": "и ещё {n}", "uk": "та ще {n}", "en": "and {n} more"},
    "incident_destroyed.one": {
        "ru": "уничтожен {n} БПЛА",
        "uk": "знищено {n} БпЛА",
        "en": "{n} drone destroyed",
    },
    "incident_destroyed.few": {
        "ru": "уничтожены {n} БПЛА",
        "uk": "знищено {n} БпЛА",
        "en": "{n} drones destroyed",
    },
    "incident_destroyed.many": {
        "ru": "уничтожено {n} БПЛА",
        "uk": "знищено {n} БпЛА",
        "en": "{n} drones destroyed",
    },
    "incident_destroyed_of": {
        "ru": "уничтожено {d} из {l} БПЛА",
        "uk": "знищено {d} з {l} БпЛА",
        "en": "{d} of {l} drones destroyed",
    },
    "incident_launched": {
        "ru": "атака {n} БПЛА",
        "uk": "атака {n} БпЛА",
        "en": "attack by {n} drones",
    },
    "incident_plain": {"ru": "атака БПЛА", "uk": "атака БпЛА", "en": "drone attack"},
    "threat_start": {
        "ru": "угроза атаки БПЛА",
        "uk": "загроза атаки БпЛА",
        "en": "drone attack threat",
    },
    "threat_end": {
        "ru": "отбой угрозы БПЛА",
        "uk": "відбій загрози БпЛА",
        "en": "drone threat over",
    },
    "other_attack": {
        "ru": "другая атака (не БПЛА)",
        "uk": "інша атака (не БпЛА)",
        "en": "other attack (not a UAV)",
    },
    "casualties_none": {
        "ru": "Пострадавших нет.",
        "uk": "Постраждалих немає.",
        "en": "No casualties.",
    },
    "killed_n": {"ru": "Погибших: {n}.", "uk": "Загиблих: {n}.", "en": "Killed: {n}."},
    "killed_some": {"ru": "Есть погибшие.", "uk": "Є загиблі.", "en": "Deaths reported."},
    "injured_n": {"ru": "Пострадавших: {n}.", "uk": "Постраждалих: {n}.", "en": "Injured: {n}."},
    "injured_some": {
        "ru": "Есть пострадавшие.",
        "uk": "Є постраждалі.",
        "en": "Injuries reported.",
    },
    "damage_none": {"ru": "Разрушений нет.", "uk": "Руйнувань немає.", "en": "No damage."},
    "damage_yes": {"ru": "Есть повреждения.", "uk": "Є пошкодження.", "en": "Damage reported."},
    "source_line": {
        "ru": "Источник: {source}, {time}",
        "uk": "Джерело: {source}, {time}",
        "en": "Source: {source}, {time}",
    },
    "also_line": {
        "ru": "Также сообщили: {sources}",
        "uk": "Також повідомили: {sources}",
        "en": "Also reported by: {sources}",
    },
    "corrected": {
        "ru": "✏️ Исправлено: {time}",
        "uk": "✏️ Виправлено: {time}",
        "en": "✏️ Corrected: {time}",
    },
    "correction_reply": {
        "ru": "✏️ Исправление к оповещению выше:",
        "uk": "✏️ Виправлення до сповіщення вище:",
        "en": "✏️ Correction to the alert above:",
    },
    "retracted": {
        "ru": "❌ Источник больше не сообщает об этом.",
        "uk": "❌ Джерело більше не повідомляє про це.",
        "en": "❌ The source no longer reports this.",
    },
    "deleted": {
        "ru": "🗑 Источник удалил сообщение.",
        "uk": "🗑 Джерело видалило повідомлення.",
        "en": "🗑 The source deleted the post.",
    },
    "summary_head": {
        "ru": "🌙 Оповещения за время тихого режима: {n}",
        "uk": "🌙 Сповіщення під час тихого режиму: {n}",
        "en": "🌙 Alerts during your quiet hours: {n}",
    },
    "summary_more": {"ru": "…и ещё {n}", "uk": "…і ще {n}", "en": "…and {n} more"},
    "broadcast_head": {
        "ru": "📢 Сообщение от администраторов:",
        "uk": "📢 Повідомлення від адміністраторів:",
        "en": "📢 A message from the administrators:",
    },
}


def language_from_code(code: str | None) -> str:
    """Telegram's `lang_code` ("uk-UA", "ru", None) -> "ru" | "uk" | "en" (English if unknown)."""
    if not code:
        return DEFAULT_LANG
    return _FROM_CODE.get(code.strip().lower().replace("_", "-").split("-")[0], DEFAULT_LANG)


def plural_category(lang: str, n: int) -> str:
    """CLDR plural category: "one" | "few" | "many" (ru, uk) or "one" | "many" (en)."""
    n = abs(n)
    if lang == "en":
        return "one" if n == 1 else "many"
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def escape(text: str) -> str:
    """HTML-escape text for Telegram's HTML parse mode (quotes too: safe inside attributes)."""
    return html.escape(text, quote=True)


def fill(template: str, values: Mapping[str, object]) -> Html:
    """`template` with `{name}` replaced; values escaped unless they are `Html`."""
    safe = {k: v if isinstance(v, Html) else escape(str(v)) for k, v in values.items()}
    return Html(template.format_map(safe))


def text(catalogue: Catalogue, lang: str, key: str, /, **values: object) -> Html:
    """The string `key` in `lang` (English if missing), filled with escaped `values`."""
    entry = catalogue[key]
    return fill(entry.get(lang) or entry[DEFAULT_LANG], values)


def plural_text(catalogue: Catalogue, lang: str, key: str, n: int, /, **values: object) -> Html:
    """`key.one|few|many` chosen by `n` (falls back to `.many`), filled with n and values."""
    category = plural_category(lang, n)
    chosen = f"{key}.{category}" if f"{key}.{category}" in catalogue else f"{key}.many"
    return text(catalogue, lang, chosen, n=n, **values)


def placeholders(template: str) -> set[str]:
    """The `{names}` a template uses (for the catalogue's consistency test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_catalogue(catalogue: Catalogue) -> list[str]:
    """Problems: a key missing a language, or languages disagreeing on placeholders."""
    problems = []
    for key, entry in catalogue.items():
        missing = [lang for lang in LANGS if not entry.get(lang)]
        if missing:
            problems.append(f"{key}: no text for {', '.join(missing)}")
            continue
        names = {lang: placeholders(entry[lang]) for lang in LANGS}
        if len({frozenset(v) for v in names.values()}) != 1:
            problems.append(f"{key}: placeholders differ between languages: {names}")
    return problems
