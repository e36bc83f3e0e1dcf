"""The administrators' texts (ADMIN_IDS), in the three languages like every other reply."""

from __future__ import annotations

ADMIN_TEXTS: dict[str, dict[str, str]] = {
    "channels_none": {
        "ru": "Каналов нет.",
        "uk": "Каналів немає.",
        "en": "No channels.",
    },
    "channels_head": {
        "ru": "<b>Каналы</b> (👁 — наблюдается)",
        "uk": "<b>Канали</b> (👁 — стежу)",
        "en": "<b>Channels</b> (👁 watched)",
    },
    "channel_added": {
        "ru": "👁 @{name} наблюдается.",
        "uk": "👁 За @{name} стежу.",
        "en": "👁 @{name} is watched.",
    },
    "channel_removed": {
        "ru": "@{name} больше не наблюдается.",
        "uk": "За @{name} більше не стежу.",
        "en": "@{name} is no longer watched.",
    },
    "channel_unknown": {
        "ru": "Канала @{name} нет в архиве.",
        "uk": "Каналу @{name} немає в архіві.",
        "en": "No channel @{name} in the archive.",
    },
    "channels_usage": {
        "ru": "/channels, /channels add ИМЯ, /channels remove ИМЯ",
        "uk": "/channels, /channels add ІМ'Я, /channels remove ІМ'Я",
        "en": "/channels, /channels add NAME, /channels remove NAME",
    },
    "subscribers": {
        "ru": (
            "<b>Подписчики</b>: {active} активных из {total}\nЯзыки: {langs}\nНеактивны: "
            "{reasons}\nРегионы: {regions}"
        ),
        "uk": (
            "<b>Підписники</b>: {active} активних із {total}\nМови: {langs}\nНеактивні: "
            "{reasons}\nРегіони: {regions}"
        ),
        "en": (
            "<b>Subscribers</b>: {active} active of {total}\nLanguages: {langs}\nInactive: "
            "{reasons}\nRegions: {regions}"
        ),
    },
    "paused": {
        "ru": "⏸ Рассылка остановлена. Продолжить: /resume",
        "uk": "⏸ Розсилку зупинено. Продовжити: /resume",
        "en": "⏸ Sending paused. Continue: /resume",
    },
    "resumed": {
        "ru": "▶️ Рассылка продолжается.",
        "uk": "▶️ Розсилка триває.",
        "en": "▶️ Sending resumed.",
    },
    "broadcast_usage": {
        "ru": "/broadcast ТЕКСТ",
        "uk": "/broadcast ТЕКСТ",
        "en": "/broadcast TEXT",
    },
    "broadcast_confirm": {
        "ru": "Отправить {n} подписчикам?\n\n{message}",
        "uk": "Надіслати {n} підписникам?\n\n{message}",
        "en": "Send to {n} subscribers?\n\n{message}",
    },
    "btn_send": {
        "ru": "📢 Отправить",
        "uk": "📢 Надіслати",
        "en": "📢 Send",
    },
    "btn_cancel": {
        "ru": "Отмена",
        "uk": "Скасувати",
        "en": "Cancel",
    },
    "broadcast_queued": {
        "ru": "📢 В очереди для {n} подписчиков.",
        "uk": "📢 У черзі для {n} підписників.",
        "en": "📢 Queued for {n} subscribers.",
    },
    "broadcast_cancelled": {
        "ru": "Рассылка отменена.",
        "uk": "Розсилку скасовано.",
        "en": "Broadcast cancelled.",
    },
    "broadcast_expired": {
        "ru": "Эта рассылка устарела; повторите /broadcast.",
        "uk": "Ця розсилка застаріла; повторіть /broadcast.",
        "en": "This broadcast expired; send /broadcast again.",
    },
    "health": {
        "ru": (
            "<b>Состояние</b>\nРассылка: {state}\nОчередь: {pending} ждут, {held} отложены "
            "(тихий режим), {parked} остановлены после ошибок\nСамое старое в очереди: "
            "{oldest}\nОтправлено за час: {hour}\nFloodWait с запуска: {floods}\n"
            "Подписчики: {active} активных"
        ),
        "uk": (
            "<b>Стан</b>\nРозсилка: {state}\nЧерга: {pending} чекають, {held} відкладені "
            "(тихий режим), {parked} зупинені після помилок\nНайстаріше в черзі: {oldest}\n"
            "Надіслано за годину: {hour}\nFloodWait від запуску: {floods}\nПідписники: "
            "{active} активних"
        ),
        "en": (
            "<b>Health</b>\nSending: {state}\nQueue: {pending} waiting, {held} held (quiet "
            "hours), {parked} parked after errors\nOldest waiting: {oldest}\nSent in the "
            "last hour: {hour}\nFloodWaits since start: {floods}\nSubscribers: {active} "
            "active"
        ),
    },
    "state_running": {
        "ru": "работает",
        "uk": "працює",
        "en": "running",
    },
    "state_paused": {
        "ru": "на паузе",
        "uk": "на паузі",
        "en": "paused",
    },
    "parked_line": {
        "ru": "• #{id} → {chat}: {error}",
        "uk": "• #{id} → {chat}: {error}",
        "en": "• #{id} → {chat}: {error}",
    },
}
