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
    "channel_bad_name": {
        "ru": "«{name}» — не имя канала Telegram (4–32 буквы, цифры или _, начинается с буквы;"
        " например mod_russia).",
        "uk": "«{name}» — не ім'я каналу Telegram (4–32 літери, цифри або _, починається з"
        " літери; наприклад mod_russia).",
        "en": "«{name}» is not a Telegram channel username (4-32 letters, digits or _, starting"
        " with a letter; e.g. mod_russia).",
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
            "Подписчики: {active} активных, {inactive} неактивных\nЗа 24 ч: {posts} постов, "
            "{incidents} инцидентов"
        ),
        "uk": (
            "<b>Стан</b>\nРозсилка: {state}\nЧерга: {pending} чекають, {held} відкладені "
            "(тихий режим), {parked} зупинені після помилок\nНайстаріше в черзі: {oldest}\n"
            "Надіслано за годину: {hour}\nFloodWait від запуску: {floods}\nПідписники: "
            "{active} активних, {inactive} неактивних\nЗа 24 год: {posts} дописів, "
            "{incidents} інцидентів"
        ),
        "en": (
            "<b>Health</b>\nSending: {state}\nQueue: {pending} waiting, {held} held (quiet "
            "hours), {parked} parked after errors\nOldest waiting: {oldest}\nSent in the "
            "last hour: {hour}\nFloodWaits since start: {floods}\nSubscribers: {active} "
            "active, {inactive} inactive\nLast 24 h: {posts} posts, {incidents} incidents"
        ),
    },
    "health_channels": {
        "ru": "<b>Каналы</b> (последний пост · постов в день · курсор)",
        "uk": "<b>Канали</b> (останній допис · дописів на день · курсор)",
        "en": "<b>Channels</b> (last post · posts per day · cursor)",
    },
    "health_parts": {
        "ru": "<b>Части сервиса</b> (последний сигнал)",
        "uk": "<b>Частини сервісу</b> (останній сигнал)",
        "en": "<b>Parts</b> (last heartbeat)",
    },
    "health_jobs": {
        "ru": "<b>Задачи по расписанию</b>",
        "uk": "<b>Завдання за розкладом</b>",
        "en": "<b>Scheduled jobs</b>",
    },
    "health_parked": {
        "ru": "<b>Остановлены после ошибок</b> (последние {n} из {total})",
        "uk": "<b>Зупинені після помилок</b> (останні {n} з {total})",
        "en": "<b>Parked</b> (newest {n} of {total})",
    },
    "health_none": {
        "ru": "— пока нет",
        "uk": "— ще немає",
        "en": "— none yet",
    },
    "health_more": {
        "ru": "… и ещё {n}",
        "uk": "… і ще {n}",
        "en": "… and {n} more",
    },
    "health_silent": {
        "ru": "🔇 молчит с {since}",
        "uk": "🔇 мовчить з {since}",
        "en": "🔇 silent since {since}",
    },
    "health_no_posts": {
        "ru": "постов ещё нет",
        "uk": "дописів ще немає",
        "en": "no posts yet",
    },
    "health_part": {
        "ru": "{icon} {part}: {status}, {age} назад, перезапусков: {restarts}",
        "uk": "{icon} {part}: {status}, {age} тому, перезапусків: {restarts}",
        "en": "{icon} {part}: {status}, {age} ago, restarts: {restarts}",
    },
    "health_job": {
        "ru": "{icon} {job}: {age} назад, запусков: {runs}",
        "uk": "{icon} {job}: {age} тому, запусків: {runs}",
        "en": "{icon} {job}: {age} ago, runs: {runs}",
    },
    "health_job_never": {
        "ru": "{icon} {job}: ещё не запускалась",
        "uk": "{icon} {job}: ще не запускалося",
        "en": "{icon} {job}: not run yet",
    },
    "age_s": {"ru": "{n} с", "uk": "{n} с", "en": "{n}s"},
    "age_m": {"ru": "{n} мин", "uk": "{n} хв", "en": "{n}m"},
    "age_h": {"ru": "{n} ч", "uk": "{n} год", "en": "{n}h"},
    "age_d": {"ru": "{n} дн", "uk": "{n} дн", "en": "{n}d"},
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
    "health_requeue": {
        "ru": "Отправить снова: /requeue all (или /requeue НОМЕР), в консоли: "
        "<code>uavwatch alerts requeue --all</code>",
        "uk": "Надіслати знову: /requeue all (або /requeue НОМЕР), у консолі: "
        "<code>uavwatch alerts requeue --all</code>",
        "en": "Send again: /requeue all (or /requeue ID), from a shell: "
        "<code>uavwatch alerts requeue --all</code>",
    },
    "requeue_usage": {
        "ru": "/requeue all — все остановленные снова в очередь; /requeue НОМЕР [НОМЕР…]",
        "uk": "/requeue all — усі зупинені знову в чергу; /requeue НОМЕР [НОМЕР…]",
        "en": "/requeue all — every parked delivery back in the queue; /requeue ID [ID…]",
    },
    "requeued": {
        "ru": "Снова в очереди: {n}.",
        "uk": "Знову в черзі: {n}.",
        "en": "Back in the queue: {n}.",
    },
    "parked_line": {
        "ru": "• #{id} → {chat}: {error}",
        "uk": "• #{id} → {chat}: {error}",
        "en": "• #{id} → {chat}: {error}",
    },
}
