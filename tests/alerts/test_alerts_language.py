"""A new subscriber's language comes from Telegram's `User.lang_code` (which Telegram shows
to bots), through the real Telethon event path; `/language` overrides it.

Decisions: a region suffix does not matter ("uk-UA" is Ukrainian); Belarusian and Kazakh
speakers get Russian (the bot's other languages are further from theirs); anything else,
or no code at all, gets English.
"""

from __future__ import annotations

import pytest
from conftest import Stack
from fakes.testing import connected
from telethon import functions, types

from bot.alerts import subscribers as subs

WELCOME = {"ru": "👋 Здравствуйте!", "uk": "👋 Вітаю!", "en": "👋 Hello!"}


async def _lang(stack: Stack, user: int) -> str:
    async with stack.db.transaction() as conn:
        sub = await subs.by_chat(conn, user)
    assert sub is not None
    return sub.lang


@pytest.mark.parametrize(
    ("code", "lang"),
    [("uk", "uk"), ("uk-UA", "uk"), ("ru", "ru"), ("be", "ru"), ("de", "en"), (None, "en")],
)
async def test_start_answers_in_the_language_telegram_reports(
    stack: Stack, code: str | None, lang: str
) -> None:
    user = stack.world.add_user("Reader", lang_code=code)
    (reply,) = await stack.say(user, "/start")
    assert reply.message.startswith(WELCOME[lang])
    assert await _lang(stack, user) == lang


async def test_language_command_overrides_and_the_choice_sticks(stack: Stack) -> None:
    user = stack.world.add_user("Reader", lang_code="uk-UA")
    (reply,) = await stack.say(user, "/start")
    assert reply.message.startswith("👋 Вітаю!")
    (reply,) = await stack.say(user, "/language en")
    assert reply.message == "Language: English."
    (reply,) = await stack.say(user, "/start")  # lang_code still says uk: the choice wins
    assert reply.message.startswith("👋 Hello!")
    assert await _lang(stack, user) == "en"


async def test_only_bots_see_the_language_code(stack: Stack) -> None:
    """Telegram shows `lang_code` to bots only; the fake does the same, so the default above
    really comes from what the bot was told."""
    reader = stack.world.add_user("Reader", lang_code="uk")
    other = stack.world.add_user("Other")
    wanted = [types.InputUser(reader, stack.world.users[reader].access_hash)]
    async with connected(stack.world, other) as client:
        (seen,) = await client(functions.users.GetUsersRequest(wanted))
    assert seen.lang_code is None
    (bot_view,) = await stack.client(functions.users.GetUsersRequest(wanted))
    assert bot_view.lang_code == "uk"
