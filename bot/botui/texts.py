"""The bot's own words in Russian, Ukrainian and English (alert texts are in alerts/i18n).

Templates are Telegram HTML; values are escaped when filled (see `bot.alerts.i18n.fill`).
"""

from __future__ import annotations

from bot.alerts.i18n import Html, text

_HELP_RU = (
    "<b>Команды</b>\n"
    "/subscribe [регион|all] [что] [@канал] — подписаться (без названия — выбор кнопками)\n"
    "  что: инциденты (или атаки; по умолчанию), угрозы, другие атаки\n"
    "  @канал: только оповещения этого канала (для всех ваших регионов)\n"
    "  например: /subscribe Курск угрозы, /subscribe all другие атаки @kursk_gov\n"
    "/unsubscribe [регион|all] — отписаться\n"
    "/mysubs — мои подписки\n"
    "/latest [регион|all] [N] — последние инциденты\n"
    "/stats [дней] — инциденты по регионам\n"
    "/mute 2h|off — пауза оповещений\n"
    "/quiet 23:00-07:00|off — тихий режим (сводка утром)\n"
    "/tz Europe/Moscow — часовой пояс\n"
    "/digest on|off|08:30 — ежедневная сводка с графиком\n"
    "/language ru|uk|en — язык"
)
_HELP_UK = (
    "<b>Команди</b>\n"
    "/subscribe [регіон|all] [що] [@канал] — підписатися (без назви — вибір кнопками)\n"
    "  що: інциденти (або атаки; типово), загрози, інші атаки\n"
    "  @канал: лише сповіщення цього каналу (для всіх ваших регіонів)\n"
    "  наприклад: /subscribe Курськ загрози, /subscribe all інші атаки @kursk_gov\n"
    "/unsubscribe [регіон|all] — відписатися\n"
    "/mysubs — мої підписки\n"
    "/latest [регіон|all] [N] — останні інциденти\n"
    "/stats [днів] — інциденти за регіонами\n"
    "/mute 2h|off — пауза сповіщень\n"
    "/quiet 23:00-07:00|off — тихий режим (зведення вранці)\n"
    "/tz Europe/Kyiv — часовий пояс\n"
    "/digest on|off|08:30 — щоденне зведення з графіком\n"
    "/language ru|uk|en — мова"
)
_HELP_EN = (
    "<b>Commands</b>\n"
    "/subscribe [region|all] [what] [@channel] — subscribe (no name: choose with buttons)\n"
    "  what: incidents (or attacks; the default), threats, other attacks\n"
    "  @channel: only that channel's alerts (for all your regions)\n"
    "  e.g. /subscribe Kursk threats, /subscribe all other attacks @kursk_gov\n"
    "/unsubscribe [region|all] — unsubscribe\n"
    "/mysubs — my subscriptions\n"
    "/latest [region|all] [N] — the latest incidents\n"
    "/stats [days] — incidents per region\n"
    "/mute 2h|off — pause alerts\n"
    "/quiet 23:00-07:00|off — quiet hours (one summary afterwards)\n"
    "/tz Europe/London — time zone\n"
    "/digest on|off|08:30 — a daily digest with a chart\n"
    "/language ru|uk|en — language"
)

UI_TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "ru": "👋 Здравствуйте! Я сообщаю о беспилотниках над выбранными вами регионами — по "
        "официальным Telegram-каналам (губернаторы, Минобороны, Воздушные силы, областные "
        "администрации).\n\nВыберите регионы: /subscribe. Оповещение — одна строка с фактами, "
        "ссылка на источник и отрывок. Если источник исправит цифры, исправится и оповещение.\n"
        "Все команды: /help",
        "uk": "👋 Вітаю! Я повідомляю про безпілотники над обраними вами регіонами — за "
        "офіційними Telegram-каналами (губернатори, Міноборони РФ, Повітряні сили, обласні "
        "адміністрації).\n\nОберіть регіони: /subscribe. Сповіщення — один рядок із фактами, "
        "посилання на джерело та уривок. Якщо джерело виправить цифри, виправиться і "
        "сповіщення.\nУсі команди: /help",
        "en": "👋 Hello! I report drones over the regions you choose, from official Telegram "
        "channels (governors, the Russian MoD, Ukraine's Air Force, regional administrations)."
        "\n\nChoose regions: /subscribe. An alert is one line of facts, a link to the source "
        "and an excerpt. When the source corrects its numbers, the alert is corrected too.\n"
        "All commands: /help",
    },
    "help": {"ru": _HELP_RU, "uk": _HELP_UK, "en": _HELP_EN},
    "help_short": {
        "ru": "Я понимаю команды: /subscribe, /mysubs, /latest, /help.",
        "uk": "Я розумію команди: /subscribe, /mysubs, /latest, /help.",
        "en": "I understand commands: /subscribe, /mysubs, /latest, /help.",
    },
    "too_many": {
        "ru": "Слишком много команд. Подождите минуту.",
        "uk": "Забагато команд. Зачекайте хвилину.",
        "en": "Too many commands. Please wait a minute.",
    },
    "only_admins": {
        "ru": "Менять подписки группы могут только её администраторы.",
        "uk": "Змінювати підписки групи можуть лише її адміністратори.",
        "en": "Only the group's administrators can change its subscriptions.",
    },
    "subscribed": {
        "ru": "✅ Подписка: {region} ({kinds}).",
        "uk": "✅ Підписка: {region} ({kinds}).",
        "en": "✅ Subscribed: {region} ({kinds}).",
    },
    "subscribed_from": {
        "ru": "✅ Подписка: {region} ({kinds}).\nКаналы (для всех регионов): {channels}.",
        "uk": "✅ Підписка: {region} ({kinds}).\nКанали (для всіх регіонів): {channels}.",
        "en": "✅ Subscribed: {region} ({kinds}).\nChannels (for all regions): {channels}.",
    },
    "channels_now": {
        "ru": "Каналы (для всех регионов): {channels}.",
        "uk": "Канали (для всіх регіонів): {channels}.",
        "en": "Channels (for all regions): {channels}.",
    },
    "channel_bad": {
        "ru": "«{name}» — не имя канала. Например: /subscribe Курск @kursk_gov",
        "uk": "«{name}» — не ім'я каналу. Наприклад: /subscribe Курськ @kursk_gov",
        "en": "«{name}» is not a channel name. For example: /subscribe Kursk @kursk_gov",
    },
    "channel_not_followed": {
        "ru": "За @{name} я не слежу. Каналы, которые можно выбрать: /subscribe → 📡 Каналы",
        "uk": "За @{name} я не стежу. Канали, які можна обрати: /subscribe → 📡 Канали",
        "en": "I do not follow @{name}. The channels to choose from: /subscribe → 📡 Channels",
    },
    "region_not_found": {
        "ru": "Регион «{query}» не найден. Например: /subscribe Смоленск, /subscribe all",
        "uk": "Регіон «{query}» не знайдено. Наприклад: /subscribe Харків, /subscribe all",
        "en": "No region «{query}». For example: /subscribe Kursk, /subscribe all",
    },
    "which_region": {
        "ru": "Несколько регионов подходят к «{query}». Выберите:",
        "uk": "Кілька регіонів підходять до «{query}». Оберіть:",
        "en": "Several regions match «{query}». Choose one:",
    },
    "menu_regions": {
        "ru": "<b>Регионы</b>: нажмите, чтобы включить или выключить, или напишите "
        "/subscribe НАЗВАНИЕ.\nСейчас: {regions}",
        "uk": "<b>Регіони</b>: натисніть, щоб увімкнути чи вимкнути, або напишіть "
        "/subscribe НАЗВА.\nЗараз: {regions}",
        "en": "<b>Regions</b>: tap to switch on or off, or type /subscribe NAME.\nNow: {regions}",
    },
    "menu_kinds": {
        "ru": "<b>Что присылать</b>\nСейчас: {kinds}",
        "uk": "<b>Що надсилати</b>\nЗараз: {kinds}",
        "en": "<b>What to send</b>\nNow: {kinds}",
    },
    "menu_channels": {
        "ru": "<b>Каналы</b>: если ни один не выбран, присылаю сообщения всех.\nСейчас: {channels}",
        "uk": "<b>Канали</b>: якщо жоден не обрано, надсилаю повідомлення всіх.\nЗараз: {channels}",
        "en": "<b>Channels</b>: with none chosen, alerts come from all.\nNow: {channels}",
    },
    "btn_all_regions": {"ru": "🌍 Все регионы", "uk": "🌍 Усі регіони", "en": "🌍 All regions"},
    "btn_regions": {"ru": "🗺 Регионы", "uk": "🗺 Регіони", "en": "🗺 Regions"},
    "btn_kinds": {"ru": "⚙️ Что присылать", "uk": "⚙️ Що надсилати", "en": "⚙️ What to send"},
    "btn_channels": {"ru": "📡 Каналы", "uk": "📡 Канали", "en": "📡 Channels"},
    "btn_any_channel": {"ru": "Все каналы", "uk": "Усі канали", "en": "All channels"},
    "btn_page_back": {"ru": "◀ {page}/{pages}", "uk": "◀ {page}/{pages}", "en": "◀ {page}/{pages}"},
    "btn_page_more": {
        "ru": "Ещё ▶ {page}/{pages}",
        "uk": "Ще ▶ {page}/{pages}",
        "en": "More ▶ {page}/{pages}",
    },
    "btn_done": {"ru": "✅ Готово", "uk": "✅ Готово", "en": "✅ Done"},
    "btn_unsubscribe_all": {
        "ru": "❌ Отписаться от всего",
        "uk": "❌ Відписатися від усього",
        "en": "❌ Unsubscribe from everything",
    },
    "kind_uav_incident": {"ru": "инциденты", "uk": "інциденти", "en": "incidents"},
    "kind_uav_threat": {"ru": "угрозы", "uk": "загрози", "en": "threats"},
    "kind_other_attack": {"ru": "другие атаки", "uk": "інші атаки", "en": "other attacks"},
    "all_regions": {"ru": "все регионы", "uk": "усі регіони", "en": "all regions"},
    "nothing": {"ru": "ничего", "uk": "нічого", "en": "nothing"},
    "any_channel": {"ru": "все каналы", "uk": "усі канали", "en": "all channels"},
    "unsubscribed": {
        "ru": "❌ Отписка: {region}.",
        "uk": "❌ Відписка: {region}.",
        "en": "❌ Unsubscribed: {region}.",
    },
    "unsubscribed_all": {
        "ru": "❌ Подписок больше нет. Вернуться: /subscribe",
        "uk": "❌ Підписок більше немає. Повернутися: /subscribe",
        "en": "❌ No subscriptions left. Come back with /subscribe",
    },
    "not_subscribed": {
        "ru": "Подписки на {region} нет. Ваши подписки: /mysubs",
        "uk": "Підписки на {region} немає. Ваші підписки: /mysubs",
        "en": "You are not subscribed to {region}. Yours: /mysubs",
    },
    "choose_unsubscribe": {
        "ru": "От чего отписаться?",
        "uk": "Від чого відписатися?",
        "en": "Unsubscribe from what?",
    },
    "no_subscriptions": {
        "ru": "Подписок нет. Подписаться: /subscribe",
        "uk": "Підписок немає. Підписатися: /subscribe",
        "en": "No subscriptions. Subscribe: /subscribe",
    },
    "mysubs": {
        "ru": "<b>Ваши подписки</b>\nРегионы: {regions}\nЧто присылать: {kinds}\nКаналы: "
        "{channels}\nЯзык: {lang}, часовой пояс: {tz}\nТихий режим: {quiet}\nПауза: {mute}\n"
        "Ежедневная сводка: {digest}",
        "uk": "<b>Ваші підписки</b>\nРегіони: {regions}\nЩо надсилати: {kinds}\nКанали: "
        "{channels}\nМова: {lang}, часовий пояс: {tz}\nТихий режим: {quiet}\nПауза: {mute}\n"
        "Щоденне зведення: {digest}",
        "en": "<b>Your subscriptions</b>\nRegions: {regions}\nWhat to send: {kinds}\nChannels: "
        "{channels}\nLanguage: {lang}, time zone: {tz}\nQuiet hours: {quiet}\nPaused: {mute}\n"
        "Daily digest: {digest}",
    },
    "off": {"ru": "нет", "uk": "ні", "en": "no"},
    "until": {"ru": "до {time}", "uk": "до {time}", "en": "until {time}"},
    "latest_head": {
        "ru": "<b>Последние инциденты</b>{where}",
        "uk": "<b>Останні інциденти</b>{where}",
        "en": "<b>Latest incidents</b>{where}",
    },
    "latest_none": {
        "ru": "Инцидентов в архиве нет.",
        "uk": "Інцидентів в архіві немає.",
        "en": "No incidents in the archive.",
    },
    "stats_head": {
        "ru": "<b>Инциденты за {days} дн.</b>, всего {total}:",
        "uk": "<b>Інциденти за {days} дн.</b>, усього {total}:",
        "en": "<b>Incidents in {days} days</b>, {total} in all:",
    },
    "stats_none": {
        "ru": "За {days} дн. инцидентов нет.",
        "uk": "За {days} дн. інцидентів немає.",
        "en": "No incidents in {days} days.",
    },
    "muted": {
        "ru": "🔕 Оповещения на паузе до {time}. Снять: /mute off",
        "uk": "🔕 Сповіщення на паузі до {time}. Зняти: /mute off",
        "en": "🔕 Alerts paused until {time}. Resume: /mute off",
    },
    "unmuted": {
        "ru": "🔔 Оповещения снова включены.",
        "uk": "🔔 Сповіщення знову увімкнено.",
        "en": "🔔 Alerts are on again.",
    },
    "mute_usage": {
        "ru": "Укажите срок: /mute 2h, /mute 30m, /mute 1d или /mute off (до 7 дней).",
        "uk": "Вкажіть строк: /mute 2h, /mute 30m, /mute 1d або /mute off (до 7 днів).",
        "en": "Give a duration: /mute 2h, /mute 30m, /mute 1d or /mute off (up to 7 days).",
    },
    "quiet_set": {
        "ru": "🌙 Тихий режим {start}–{end} ({tz}). Что придёт за это время, пришлю одной "
        "сводкой после.",
        "uk": "🌙 Тихий режим {start}–{end} ({tz}). Що надійде за цей час, надішлю одним "
        "зведенням після.",
        "en": "🌙 Quiet hours {start}–{end} ({tz}). Alerts in that time come as one summary "
        "afterwards.",
    },
    "quiet_off": {
        "ru": "Тихий режим выключен.",
        "uk": "Тихий режим вимкнено.",
        "en": "Quiet hours are off.",
    },
    "quiet_usage": {
        "ru": "Например: /quiet 23:00-07:00 или /quiet off",
        "uk": "Наприклад: /quiet 23:00-07:00 або /quiet off",
        "en": "For example: /quiet 23:00-07:00 or /quiet off",
    },
    "tz_set": {
        "ru": "Часовой пояс: {tz} (сейчас {time}).",
        "uk": "Часовий пояс: {tz} (зараз {time}).",
        "en": "Time zone: {tz} (now {time}).",
    },
    "tz_usage": {
        "ru": "Например: /tz Europe/Moscow, /tz Europe/Kyiv, /tz UTC",
        "uk": "Наприклад: /tz Europe/Kyiv, /tz Europe/Moscow, /tz UTC",
        "en": "For example: /tz Europe/London, /tz Europe/Kyiv, /tz UTC",
    },
    "digest_on": {
        "ru": "📊 Ежедневная сводка включена: каждый день в обычное время ({tz}). Своё время: "
        "/digest 08:30, выключить: /digest off",
        "uk": "📊 Щоденне зведення увімкнено: щодня у звичайний час ({tz}). Свій час: "
        "/digest 08:30, вимкнути: /digest off",
        "en": "📊 Daily digest on: every day at the usual time ({tz}). Your own time: "
        "/digest 08:30; off: /digest off",
    },
    "digest_at": {
        "ru": "📊 Ежедневная сводка включена: каждый день в {time} ({tz}). Выключить: /digest off",
        "uk": "📊 Щоденне зведення увімкнено: щодня о {time} ({tz}). Вимкнути: /digest off",
        "en": "📊 Daily digest on: every day at {time} ({tz}). Off: /digest off",
    },
    "digest_off": {
        "ru": "Ежедневная сводка выключена.",
        "uk": "Щоденне зведення вимкнено.",
        "en": "Daily digest is off.",
    },
    "digest_usage": {
        "ru": "Сводка за сутки по вашим регионам с графиком за 14 дней: /digest on, /digest "
        "08:30 (своё время) или /digest off. Сейчас: {state}.",
        "uk": "Зведення за добу по ваших регіонах із графіком за 14 днів: /digest on, /digest "
        "08:30 (свій час) або /digest off. Зараз: {state}.",
        "en": "A daily digest of your regions with a 14-day chart: /digest on, /digest 08:30 "
        "(your own time) or /digest off. Now: {state}.",
    },
    "digest_state_default": {"ru": "включена", "uk": "увімкнено", "en": "on"},
    "digest_state_at": {"ru": "в {time}", "uk": "о {time}", "en": "at {time}"},
    "lang_set": {"ru": "Язык: русский.", "uk": "Мова: українська.", "en": "Language: English."},
    "lang_choose": {"ru": "Выберите язык:", "uk": "Оберіть мову:", "en": "Choose a language:"},
}


def ui(lang: str, key: str, /, **values: object) -> Html:
    """A bot text in `lang`, filled with escaped values."""
    return text(UI_TEXTS, lang, key, **values)
