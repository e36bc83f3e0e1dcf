"""The pure rules: matching, dedup, token buckets and FloodWait scopes, quiet hours and mute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.alerts.dedup import (
    Candidate,
    Duplicate,
    Report,
    find_duplicate,
    normalize_text,
    similarity,
)
from bot.alerts.matching import (
    ALL_REGIONS,
    AlertFacts,
    Subscription,
    kinds_column,
    match,
    parse_kinds,
)
from bot.alerts.ratelimit import CommandLimiter, SendLimiter, TokenBucket
from bot.alerts.schedule import (
    backoff,
    in_quiet,
    is_muted,
    parse_duration,
    parse_quiet,
    quiet_ends,
    valid_tz,
)
from bot.models import Label

INC, THR, OTH = Label.UAV_INCIDENT, Label.UAV_THREAT, Label.OTHER_ATTACK
T = datetime(2025, 3, 14, 19, 0, tzinfo=UTC)


# -- matching -------------------------------------------------------------------------
def test_matching_by_region_kind_and_channel() -> None:
    subs = [
        Subscription(1, frozenset({"RU-SMO"})),
        Subscription(2, frozenset({ALL_REGIONS})),
        Subscription(3, frozenset({"RU-SMO"}), frozenset({THR})),
        Subscription(4, frozenset({"RU-SMO", "RU-KRS"}), frozenset({INC}), frozenset({"gov"})),
        Subscription(5, frozenset({"RU-BRY"})),
    ]
    smolensk = AlertFacts(INC, frozenset({"RU-SMO", "RU-BRY"}), frozenset({"mod"}))
    assert match(subs, smolensk) == [1, 2, 5]
    assert match(subs, AlertFacts(INC, frozenset({"RU-KRS"}), frozenset({"mod", "gov"}))) == [2, 4]
    assert match(subs, AlertFacts(THR, frozenset({"RU-SMO"}), frozenset())) == [3]
    assert match(subs, AlertFacts(INC, frozenset(), frozenset())) == [2]  # no region: "all" only


def test_kinds_column_round_trip_ignores_junk() -> None:
    assert parse_kinds("uav_threat, uav_incident,nonsense") == {INC, THR}
    assert kinds_column([OTH, INC]) == "uav_incident,other_attack"
    assert parse_kinds(kinds_column([])) == frozenset()


# -- dedup ----------------------------------------------------------------------------
def _report(
    text: str = "x", channel: str = "gov", regions: tuple[str, ...] = ("RU-SMO",),
    destroyed: int | None = 2, minutes: float = 0, label: Label = INC,
    state: str | None = None,
) -> Report:  # fmt: skip
    return Report(
        label, state, frozenset(regions), destroyed, None, normalize_text(text),
        T + timedelta(minutes=minutes), frozenset({channel}),
    )  # fmt: skip


WINDOW = timedelta(minutes=30)


def _alert_id(new: Report, candidates: list[Candidate]) -> int | None:
    """The alert `new` joins as another source (None: a new alert, or a skipped repost)."""
    found = find_duplicate(new, candidates, WINDOW)
    return None if found is None or found.repost else found.alert_id


def test_same_facts_from_another_channel_within_the_window_is_a_duplicate() -> None:
    old = Candidate(7, _report("Над Смоленской областью сбиты два БПЛА", "gov"))
    assert _alert_id(_report("Two drones downed over Smolensk", "wire", minutes=10), [old]) == 7
    assert _alert_id(_report("later", "wire", minutes=31), [old]) is None
    assert _alert_id(_report("more", "wire", destroyed=3), [old]) is None
    assert _alert_id(_report("other", "wire", regions=("RU-KRS",)), [old]) is None
    assert _alert_id(_report("threat", "wire", label=THR), [old]) is None
    assert (
        find_duplicate(_report("same facts, same channel", "gov", minutes=5), [old], WINDOW) is None
    )


def test_near_identical_text_from_another_channel_joins_when_the_facts_agree() -> None:
    text = "Над Смоленской областью уничтожены два беспилотника. Пострадавших нет. Губернатор"
    old = Candidate(3, _report(text, "gov", regions=(), destroyed=None))
    relayed = _report(
        "Губернатор: " + text + " https://t.me/gov/5", "wire", regions=(), destroyed=None,
        minutes=3,
    )  # fmt: skip
    assert similarity(relayed.norm_text, old.report.norm_text) >= 0.85
    assert _alert_id(relayed, [old]) == 3
    assert _alert_id(relayed, [Candidate(3, old.report, active=False)]) is None
    known = Candidate(4, _report(text, "gov", destroyed=2))
    assert _alert_id(_report(text, "wire", destroyed=None), [known]) == 4  # one side silent
    assert _alert_id(_report(text, "wire", destroyed=3), [known]) is None  # they disagree
    assert _alert_id(_report(text, "wire", regions=("RU-KRS",)), [known]) is None


def test_the_same_channel_never_joins_as_another_source() -> None:
    """A repost soon after is skipped; later, or with other counts, it is a new alert."""
    text = "Над Курской областью уничтожены 3 украинских беспилотника. Пострадавших нет."
    old = Candidate(9, _report(text, "mod", destroyed=3))
    assert find_duplicate(_report(text, "mod", destroyed=3, minutes=2), [old], WINDOW) == (
        Duplicate(9, repost=True)
    )
    later = _report(text, "mod", destroyed=3, minutes=6)
    assert find_duplicate(later, [old], WINDOW) is None
    wave = _report(text.replace("3", "2"), "mod", destroyed=2, minutes=2)
    assert find_duplicate(wave, [old], WINDOW) is None


def test_templates_differing_only_in_a_digit_are_different_texts() -> None:
    a = normalize_text("Уничтожены 3 БПЛА над областью")
    b = normalize_text("Уничтожены 2 БПЛА над областью")
    assert a != b and "3" in a.split()


def test_a_threat_after_its_all_clear_starts_a_new_alert() -> None:
    start = Candidate(1, _report("Внимание! Опасность БПЛА", "gov", label=THR, state="start"))
    end = Candidate(2, _report("Отбой", "gov", label=THR, state="end", minutes=10))
    again = _report("Внимание! Опасность БПЛА", "wire", label=THR, state="start", minutes=20)
    assert _alert_id(again, [start]) == 1  # without the all-clear: the same threat
    assert find_duplicate(again, [start, end], WINDOW) is None
    elsewhere = Candidate(
        2, _report("Отбой", "gov", ("RU-KRS",), label=THR, state="end", minutes=10)
    )
    assert _alert_id(again, [start, elsewhere]) == 1  # an all-clear for another region


def test_the_earliest_of_several_matching_alerts_wins() -> None:
    a = Candidate(5, _report("a", "x", minutes=-20))
    b = Candidate(4, _report("b", "y", minutes=-10))
    assert _alert_id(_report("c", "z"), [b, a]) == 5


def test_text_normalisation() -> None:
    assert normalize_text("Сбиты ДВА БПЛА! Ёлки, https://t.me/x/1 и т.д.") == "сбиты два бпла елки"
    assert normalize_text("сбито 3 из 12") == "сбито 3 из 12"
    assert similarity("", "a b") == 0.0


# -- rate limits ----------------------------------------------------------------------
def test_bucket_refills_evenly_up_to_capacity() -> None:
    bucket = TokenBucket(rate=2.0, capacity=2.0)
    assert bucket.wait(0.0) == 0.0
    bucket.take(0.0)
    bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(0.5)
    assert bucket.wait(10.0) == 0.0
    bucket.take(10.0)
    bucket.take(10.0)
    bucket.take(10.0)  # a reservation: the next caller waits it out
    assert bucket.wait(10.0) == pytest.approx(1.0)


@given(st.lists(st.floats(0, 0.2), min_size=1, max_size=300))
def test_send_limiter_never_exceeds_telegrams_numbers(gaps: list[float]) -> None:
    """Whatever the timing of attempts, admitted messages never exceed 30 in any second
    overall nor 1 per second in one chat (the fake Telegram's rule)."""
    limiter, now, sent = SendLimiter(28), 0.0, []
    for i, gap in enumerate(gaps):
        now += gap
        chat = i % 3
        if limiter.wait(chat, False, now) == 0.0:
            limiter.take(chat, False, now)
            sent.append((now, chat))
    for t, chat in sent:
        window = [c for u, c in sent if t <= u < t + 1.0 - 1e-9]
        assert len(window) <= 30
        assert window.count(chat) <= 1


def test_group_limit_is_twenty_per_minute() -> None:
    limiter, now, sent = SendLimiter(25), 0.0, []
    while now < 600.0:  # a sender that goes as soon as it may
        wait = limiter.wait(-100, True, now)
        if wait == 0.0:
            limiter.take(-100, True, now)
            sent.append(now)
        now += wait
    assert max(sum(1 for u in sent if t <= u < t + 60) for t in sent) <= 20
    assert len(sent) >= 19 * 10


def test_flood_wait_pauses_one_chat_then_everything_when_several_flood() -> None:
    limiter = SendLimiter(25)
    assert not limiter.flood_wait(1, 5, now=0.0)
    assert limiter.wait(1, False, 0.0) == pytest.approx(5.0)
    assert limiter.wait(2, False, 0.0) == 0.0
    assert limiter.flood_wait(2, 7, now=0.5)
    assert limiter.wait(3, False, 0.5) == pytest.approx(7.0)
    limiter.forget_idle(1000.0)
    assert limiter.wait(1, False, 1000.0) == 0.0 and limiter.flood_waits == 2


def test_send_rate_must_stay_under_telegrams_ceiling() -> None:
    with pytest.raises(ValueError, match="send rate"):
        SendLimiter(29)


def test_command_limiter_allows_budget_warns_once_then_drops() -> None:
    limiter = CommandLimiter(3)
    assert [limiter.check(1, 0.0) for _ in range(5)] == ["allow"] * 3 + ["warn", "drop"]
    assert limiter.check(2, 0.0) == "allow"  # per user
    assert limiter.check(1, 20.0) == "allow"  # one command refilled after 20 s


# -- quiet hours, mute, durations, backoff --------------------------------------------------
def test_durations_in_several_spellings() -> None:
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("45 m") == timedelta(minutes=45)
    assert parse_duration("2ч") == parse_duration("2г") == timedelta(hours=2)
    for bad in ("", "soon", "2x", "0m", "h2"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_quiet_range_parsing() -> None:
    assert parse_quiet("23:00-07:00") == ("23:00", "07:00")
    assert parse_quiet(" 9.30 – 12.00 ") == ("09:30", "12:00")
    for bad in ("23:00", "24:00-07:00", "10:00-10:00", "ab-cd"):
        with pytest.raises(ValueError):
            parse_quiet(bad)


@pytest.mark.parametrize(
    ("utc_hour", "quiet"),
    [(19, False), (20, True), (23, True), (3, True), (4, False)],  # Moscow = UTC+3
)
def test_quiet_hours_across_midnight_in_the_subscribers_zone(utc_hour: int, quiet: bool) -> None:
    now = T.replace(hour=utc_hour)
    assert in_quiet(now, "Europe/Moscow", "23:00", "07:00") is quiet


def test_quiet_hours_end_follows_daylight_saving() -> None:
    # Kyiv moves to summer time on 2025-03-30 at 03:00 local: 07:00 local is then 04:00 UTC.
    night = datetime(2025, 3, 29, 23, 30, tzinfo=UTC)  # 01:30 EET on the 30th
    assert quiet_ends(night, "Europe/Kyiv", "23:00", "07:00") == datetime(
        2025, 3, 30, 4, 0, tzinfo=UTC
    )
    day = datetime(2025, 3, 30, 12, 0, tzinfo=UTC)
    assert quiet_ends(day, "Europe/Kyiv", "23:00", "07:00") == day
    assert not in_quiet(day, "UTC", None, None)


def test_time_zone_names_and_mute() -> None:
    assert valid_tz("Europe/Kyiv") == "Europe/Kyiv" and valid_tz("utc") == "UTC"
    with pytest.raises(ValueError):
        valid_tz("Mars/Olympus")
    assert is_muted(T, T + timedelta(seconds=1)) and not is_muted(T, T) and not is_muted(T, None)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 10)] == [10, 20, 40, 80, 600]
