"""What the scheduled jobs say, in Russian, Ukrainian and English: the daily digest's
caption and the notices to administrators. Filled HTML-escaped (see `bot.alerts.i18n`)."""

from __future__ import annotations

from bot.alerts.i18n import Html, text

JOB_TEXTS: dict[str, dict[str, str]] = {
    "digest_head": {
        "ru": "📊 <b>Сводка за сутки</b> — {date}",
        "uk": "📊 <b>Зведення за добу</b> — {date}",
        "en": "📊 <b>Daily digest</b> — {date}",
    },
    "digest_intro": {
        "ru": "Сообщения об инцидентах с БПЛА за 24 ч (в скобках — среднее за 7 дней):",
        "uk": "Повідомлення про інциденти з БпЛА за 24 год (у дужках — середнє за 7 днів):",
        "en": "Drone incident reports in the last 24 h (in brackets: the 7-day daily average):",
    },
    "digest_line": {
        "ru": "{mark} {region}: {n} ({avg})",
        "uk": "{mark} {region}: {n} ({avg})",
        "en": "{mark} {region}: {n} ({avg})",
    },
    "digest_total": {
        "ru": "Всего сообщений: {n} ({avg})",
        "uk": "Усього повідомлень: {n} ({avg})",
        "en": "Reports in all: {n} ({avg})",
    },
    "digest_more": {
        "ru": "…и ещё регионов: {n}",
        "uk": "…і ще регіонів: {n}",
        "en": "…and {n} more regions",
    },
    "digest_none": {
        "ru": "За 7 дней сообщений об инцидентах в ваших регионах не было.",
        "uk": "За 7 днів повідомлень про інциденти у ваших регіонах не було.",
        "en": "No incident reports in your regions in the last 7 days.",
    },
    "digest_no_regions": {
        "ru": "Вы не подписаны ни на один регион: /subscribe",
        "uk": "Ви не підписані на жоден регіон: /subscribe",
        "en": "You follow no region yet: /subscribe",
    },
    "digest_chart": {
        "ru": "График: сообщения по дням за 14 дней (UTC).",
        "uk": "Графік: повідомлення по днях за 14 днів (UTC).",
        "en": "Chart: reports per day over 14 days (UTC).",
    },
    "digest_foot": {
        "ru": "/digest off — отключить сводку",
        "uk": "/digest off — вимкнути зведення",
        "en": "/digest off — stop the digest",
    },
    "chart_title": {
        "ru": "Инциденты с БПЛА по дням",
        "uk": "Інциденти з БпЛА по днях",
        "en": "Drone incident reports per day",
    },
    "chart_ylabel": {
        "ru": "сообщений в день (UTC)",
        "uk": "повідомлень на день (UTC)",
        "en": "reports per day (UTC)",
    },
    # Notices to administrators.
    "notice_silent": {
        "ru": "🔕 Канал {channel} молчит {gap} (обычный промежуток — {usual}).\n"
        "Последний пост: {last}.",
        "uk": "🔕 Канал {channel} мовчить {gap} (звичайний проміжок — {usual}).\n"
        "Останній допис: {last}.",
        "en": "🔕 Channel {channel} has been silent for {gap} (its usual gap: {usual}).\n"
        "Last post: {last}.",
    },
    "notice_back": {
        "ru": "🔔 Канал {channel} снова публикует (молчал {gap}).",
        "uk": "🔔 Канал {channel} знову публікує (мовчав {gap}).",
        "en": "🔔 Channel {channel} is posting again (it was silent for {gap}).",
    },
    "notice_stalled": {
        "ru": "⚠️ Часть «{part}» не продвигается {gap} (статус: {status}).",
        "uk": "⚠️ Частина «{part}» не просувається {gap} (статус: {status}).",
        "en": "⚠️ Part “{part}” has made no progress for {gap} (status: {status}).",
    },
    "notice_recovered": {
        "ru": "✅ Часть «{part}» снова работает.",
        "uk": "✅ Частина «{part}» знову працює.",
        "en": "✅ Part “{part}” is making progress again.",
    },
    "notice_outbox": {
        "ru": "📬 Очередь отправки растёт: ждут {depth} сообщений (было {before}). См. /health.",
        "uk": "📬 Черга надсилання зростає: чекають {depth} повідомлень (було {before}).\n"
        "Див. /health.",
        "en": "📬 The outbox keeps growing: {depth} messages waiting (was {before}). See /health.",
    },
    "notice_part_failed": {
        "ru": "⛔ Часть «{part}» остановлена и не будет перезапущена: {error}\n"
        "Остальные части работают. После исправления перезапустите службу.",
        "uk": "⛔ Частину «{part}» зупинено, її не буде перезапущено: {error}\n"
        "Решта частин працює. Після виправлення перезапустіть службу.",
        "en": "⛔ Part “{part}” has stopped and will not be restarted: {error}\n"
        "The other parts keep running. Restart the service once it is fixed.",
    },
    "notice_job_failed": {
        "ru": "⚠️ Задача «{job}» завершилась ошибкой: {error}",
        "uk": "⚠️ Завдання «{job}» завершилося помилкою: {error}",
        "en": "⚠️ Scheduled job “{job}” failed: {error}",
    },
    "notice_job_ok": {
        "ru": "✅ Задача «{job}» снова выполняется успешно.",
        "uk": "✅ Завдання «{job}» знову виконується успішно.",
        "en": "✅ Scheduled job “{job}” succeeds again.",
    },
    "span_days": {"ru": "{n} д {h} ч", "uk": "{n} д {h} год", "en": "{n} d {h} h"},
    "span_hours": {"ru": "{n} ч {m} мин", "uk": "{n} год {m} хв", "en": "{n} h {m} min"},
    "span_minutes": {"ru": "{n} мин", "uk": "{n} хв", "en": "{n} min"},
}


def jt(lang: str, key: str, /, **values: object) -> Html:
    """A job text in `lang`, filled with escaped values."""
    return text(JOB_TEXTS, lang, key, **values)


def span(lang: str, seconds: float) -> str:
    """A duration as people say it: "2 d 5 h", "3 h 10 min", "45 min"."""
    minutes = int(seconds // 60)
    if minutes >= 24 * 60:
        return str(jt(lang, "span_days", n=minutes // 1440, h=minutes % 1440 // 60))
    if minutes >= 60:
        return str(jt(lang, "span_hours", n=minutes // 60, m=minutes % 60))
    return str(jt(lang, "span_minutes", n=minutes))
