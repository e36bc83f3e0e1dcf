"""The daily digest: figures from posts with known dates and regions, a real PNG, delivery as
a photo through the real sender and Telethon to the offline fake, one per local day, each
subscriber in their own time zone."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, time, timedelta

from conftest import T0, BotStack, Clock, add_posts, add_subscriber
from telethon.tl import functions, types

from bot.alerts.i18n import check_catalogue
from bot.botui.context import Request
from bot.botui.dispatch import BotCommands
from bot.jobs import digest as logic
from bot.jobs.digest_job import DigestJob, read_reports
from bot.jobs.store import DEFAULT_DIGEST, set_digest_time
from bot.jobs.texts import JOB_TEXTS
from bot.storage import Database

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KURSK = "Над Курской областью сбиты три беспилотника."
BRYANSK = "Над Брянской областью уничтожен БПЛА. Пострадавших нет."
HOLIDAY = "Поздравляю жителей с праздником!"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


async def seed_posts(db: Database) -> None:
    """Kursk: 3 reports in the last 24 h and 4 more in the week (7 in 7 days: 1.0 a day);
    Bryansk: 1 in the last 24 h and 2 twelve days ago (in the chart, not in the week);
    a holiday greeting that is no incident."""
    now = T0
    await add_posts(db, "kursk_gov", [
        (now - timedelta(hours=1), KURSK), (now - timedelta(hours=5), KURSK),
        (now - timedelta(hours=23), KURSK), (now - timedelta(days=2), KURSK),
        (now - timedelta(days=3), KURSK), (now - timedelta(days=4), KURSK),
        (now - timedelta(days=6), KURSK), (now - timedelta(hours=2), HOLIDAY),
    ])  # fmt: skip
    await add_posts(db, "bryansk_gov", [
        (now - timedelta(hours=3), BRYANSK), (now - timedelta(days=12), BRYANSK),
        (now - timedelta(days=12, hours=1), BRYANSK),
    ])  # fmt: skip


async def test_figures_count_the_last_24_hours_against_the_7_day_average(db: Database) -> None:
    await seed_posts(db)
    reports = read_reports(db.path, T0 - timedelta(days=14), T0)

    mine = logic.figures(reports, {"RU-KRS", "RU-BRY"}, T0)
    assert [(f.code, f.last_day, f.week_average) for f in mine.regions] == [
        ("RU-KRS", 3, 1.0),
        ("RU-BRY", 1, 1 / 7),
    ]
    assert (mine.total_day, mine.total_average) == (4, 8 / 7)
    every = logic.figures(reports, {"*"}, T0)
    assert [f.code for f in every.regions] == ["RU-KRS", "RU-BRY"]

    series = logic.daily_series(reports, logic.chart_regions(reports, {"*"}, T0), T0)
    assert len(series.days) == 14 and series.days[-1] == T0.date()
    assert sum(series.counts["RU-KRS"]) == 7 and sum(series.counts["RU-BRY"]) == 3
    assert series.counts["RU-BRY"][1] == 2  # twelve days before the last day


def test_due_once_per_local_day_after_the_local_time() -> None:
    nine = time(9, 0)
    moscow_morning = datetime(2025, 3, 14, 6, 5, tzinfo=UTC)  # 09:05 in Moscow
    assert logic.local_due_date(moscow_morning, "Europe/Moscow", nine, None) == "2025-03-14"
    assert logic.local_due_date(moscow_morning, "Europe/Moscow", nine, "2025-03-14") is None
    assert logic.local_due_date(moscow_morning, "America/New_York", nine, None) is None
    # 23:30 UTC on the 14th is 08:30 on the 15th in Tokyo: the local date counts
    late = datetime(2025, 3, 14, 23, 30, tzinfo=UTC)
    assert logic.local_due_date(late, "Asia/Tokyo", time(8), "2025-03-14") == "2025-03-15"
    assert logic.local_due_date(late, "Asia/Tokyo", nine, "2025-03-14") is None


def test_caption_stays_under_telegrams_limit_with_many_regions() -> None:
    many = logic.Figures(
        tuple(logic.RegionFigures("RU-KRS", 100 + i, 99.5) for i in range(200)), 50, 9999, 99.0
    )
    caption = logic.render_caption(many, "uk", T0.date(), subscribed=True, chart=True)
    assert logic.visible_length(caption) < logic.CAPTION_LIMIT
    assert "/digest off" in caption


async def test_digest_reaches_each_subscriber_as_a_photo_once_per_local_day(
    botstack: BotStack, clock: Clock, db: Database
) -> None:
    """1. a Moscow subscriber (Kursk, default time) and a New York one (all regions, 09:00)
    opt in through the bot  2. at 09:05 Moscow time the job runs twice  3. later that day
    in New York, and the next morning in Moscow.
    Result: each digest arrives once as a photo with its caption, in the chat's language."""
    await seed_posts(db)
    world = botstack.world
    ivan, mary = world.add_user("Ivan"), world.add_user("Mary")
    await botstack.say(ivan, "/start")
    await botstack.say(ivan, "/language ru")
    await botstack.say(ivan, "/subscribe Курская область")
    assert "обычное время" in await botstack.say(ivan, "/digest on")
    await botstack.say(mary, "/start")
    await botstack.say(mary, "/subscribe all")
    await botstack.say(mary, "/tz America/New_York")
    assert "09:00" in await botstack.say(mary, "/digest 9:00")

    job = DigestJob(db, default_time="09:00", now=clock.now)
    clock.set(T0 + timedelta(minutes=5))
    first = await job()
    assert (first.enqueued, first.charts) == (1, 1)
    assert (await job()).enqueued == 0  # the same local day: nothing more
    await botstack.drain()

    photo = botstack.received(ivan)[-1]
    assert isinstance(photo.media, types.MessageMediaPhoto)
    assert "Курская область: 3 (1.0)" in photo.message
    assert "Сводка за сутки" in photo.message
    png = world.files[photo.media.photo.id]
    assert png_size(png) == (800, 450)
    assert not any(isinstance(m.media, types.MessageMediaPhoto) for m in botstack.received(mary))

    clock.set(datetime(2025, 3, 14, 13, 5, tzinfo=UTC))  # 09:05 in New York (EDT)
    evening = await job()
    assert evening.enqueued == 1
    await botstack.drain()
    to_mary = botstack.received(mary)[-1]
    assert isinstance(to_mary.media, types.MessageMediaPhoto)
    assert "Kursk Oblast: 2 (1.0)" in to_mary.message  # one report fell out of the 24 h
    assert "Bryansk Oblast: 1 (0.1)" in to_mary.message

    clock.set(datetime(2025, 3, 15, 6, 5, tzinfo=UTC))
    assert (await job()).enqueued == 1  # a new day in Moscow only
    rows = await db.read("SELECT count(*) FROM outbox WHERE purpose = 'digest'")
    assert rows[0][0] == 3


async def test_one_chart_per_region_set_and_language(db: Database, clock: Clock) -> None:
    await seed_posts(db)
    ids = [await add_subscriber(db, 100 + i, lang="en", regions=("RU-KRS",)) for i in range(3)] + [
        await add_subscriber(db, 200, lang="en", regions=("*",))
    ]
    async with db.transaction() as conn:
        for sid in ids:
            await set_digest_time(conn, sid, DEFAULT_DIGEST, T0)
    run = await DigestJob(db, default_time="06:00", now=clock.now)()
    assert (run.enqueued, run.charts) == (4, 2)
    pngs = await db.read(
        "SELECT c.png FROM outbox AS o JOIN outbox_charts AS c ON c.sha256 = o.chart"
        " WHERE o.purpose = 'digest'"
    )
    assert len(pngs) == 4 and all(bytes(p[0]).startswith(PNG_SIGNATURE) for p in pngs)
    assert await db.read("SELECT count(*) FROM outbox_charts") == [(2,)]


async def test_a_region_set_without_incidents_gets_text_only(db: Database, clock: Clock) -> None:
    await seed_posts(db)
    sid = await add_subscriber(db, 300, lang="en", regions=("RU-SMO",))
    async with db.transaction() as conn:
        await set_digest_time(conn, sid, "06:00", T0)
    clock.set(T0 + timedelta(minutes=1))
    run = await DigestJob(db, default_time="09:00", now=clock.now)()
    assert (run.enqueued, run.charts) == (1, 0)
    payload, png = (await db.read("SELECT payload, chart FROM outbox"))[0]
    assert png is None and "No incident reports in your regions" in str(payload)


def test_job_texts_exist_in_every_language_with_the_same_placeholders() -> None:
    assert check_catalogue(JOB_TEXTS) == []


async def test_digest_command_turns_the_digest_on_off_and_at_a_time(db: Database) -> None:
    commands = BotCommands(db, now=lambda: T0)

    async def say(text: str) -> str:
        reply = await commands.on_message(Request(chat_id=55, user_id=55, text=text))
        assert reply is not None
        return str(reply.text)

    assert "Now: no" in await say("/digest")
    assert "every day at the usual time (UTC)" in await say("/digest on")
    assert "Now: on" in await say("/digest")
    assert "every day at 07:45 (UTC)" in await say("/digest 7.45")
    assert await db.read("SELECT digest_time FROM subscribers") == [("07:45",)]
    assert "Now: at 07:45" in await say("/digest")
    assert "off" in await say("/digest off")
    assert await db.read("SELECT digest_time FROM subscribers") == [(None,)]
    assert "Now: no" in await say("/digest 25:00")  # not a time: the usage, nothing changed
    assert "/digest on|off|08:30" in await say("/help")


async def test_a_chart_is_stored_once_uploaded_once_and_dropped_when_sent(
    botstack: BotStack, clock: Clock, db: Database
) -> None:
    """Three subscribers follow the same regions: one chart row however many digests send
    it, one upload to Telegram (the first send's photo is sent again to the others), each
    chat shows the same picture; once every digest went, the chart is deleted."""
    await seed_posts(db)
    world = botstack.world
    users = [world.add_user(f"Reader{i}") for i in range(3)]
    for user in users:
        await botstack.say(user, "/subscribe Kursk")
        await botstack.say(user, "/tz Europe/Moscow")
        await botstack.say(user, "/digest on")
    job = DigestJob(db, default_time="09:00", now=clock.now)
    clock.set(T0 + timedelta(minutes=5))
    assert (await job()).enqueued == 3
    assert await db.read("SELECT count(*) FROM outbox_charts") == [(1,)]
    rows = await db.read("SELECT attachment, chart FROM outbox WHERE purpose = 'digest'")
    assert {(a, c) for a, c in rows} == {(None, rows[0][1])} and rows[0][1] is not None
    await botstack.drain()
    photos = [botstack.received(u)[-1].media.photo.id for u in users]
    assert len(set(photos)) == 1 and world.files[photos[0]].startswith(PNG_SIGNATURE)
    uploads = {r.file_id for r in world.sent(functions.upload.SaveFilePartRequest)}
    assert len(uploads) == 1
    media = [type(r.media).__name__ for r in world.sent(functions.messages.SendMediaRequest)]
    assert media == ["InputMediaUploadedPhoto", "InputMediaPhoto", "InputMediaPhoto"]
    clock.set(T0 + timedelta(days=1, minutes=5))
    await job()  # the next run clears the charts no pending digest needs
    assert await db.read("SELECT count(*) FROM outbox_charts") == [(1,)]  # today's
    await botstack.drain()
    await job()
    assert await db.read("SELECT count(*) FROM outbox_charts") == [(0,)]


async def test_figures_are_computed_once_per_region_set(db: Database, clock: Clock) -> None:
    """A thousand digest subscribers over two region sets: the figures are read twice,
    not a thousand times (each took ~0.7 ms on the event loop)."""
    await seed_posts(db)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, digest_time, created_at, updated_at)"
            " VALUES (?, 'default', 'now', 'now')",
            [(10_000 + i,) for i in range(1000)],
        )
        await conn.execute(
            "INSERT INTO subscriptions (subscriber_id, region_code, created_at)"
            " SELECT id, CASE id % 2 WHEN 0 THEN 'RU-KRS' ELSE '*' END, 'now' FROM subscribers"
        )
    calls: list[frozenset[str]] = []

    def counted(reports: object, regions: frozenset[str], now: datetime) -> logic.Figures:
        calls.append(frozenset(regions))
        return logic.figures(reports, regions, now)  # type: ignore[arg-type]

    run = await DigestJob(db, default_time="06:00", now=clock.now, figures=counted)()
    assert run.enqueued == 1000 and sorted(calls, key=sorted) == [{"*"}, {"RU-KRS"}]


async def test_a_digest_queued_before_version_6_still_goes_with_its_own_chart_copy(
    botstack: BotStack, db: Database
) -> None:
    """A digest row that carries its PNG in `attachment` (queued by an older uavwatch)
    is sent as a photo from that copy."""
    reader = botstack.world.add_user("Reader")
    await botstack.say(reader, "/start")
    png = PNG_SIGNATURE + b"old chart"
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO outbox (subscriber_id, purpose, priority, payload, attachment,"
            " created_at, updated_at) VALUES (1, 'digest', 5, 'Yesterday', ?, 'now', 'now')",
            (png,),
        )
    await botstack.drain()
    photo = botstack.received(reader)[-1]
    assert photo.message == "Yesterday" and botstack.world.files[photo.media.photo.id] == png
