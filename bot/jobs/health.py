"""The health checks' decisions, pure: a channel's rhythm and silence, a stalled part, an
outbox that keeps growing. The job (`health_job.py`) reads the figures and remembers the
verdicts, so admins hear once when something goes wrong and once when it is right again.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.service.parts import PartState

RHYTHM_DAYS = 14  # posts per day are counted over this window
RHYTHM_POSTS = 50  # the usual gap is read from this many of the newest posts
# Fewer gaps than this is no rhythm: a channel that posted 3 times is never "silent".
MIN_GAPS = 7
# The 90th percentile of the gaps, not the median: official channels pause every night,
# and a median-based rhythm would call each night a silence.
GAP_PERCENTILE = 0.9
# Three growths in a row = four checks with a rising depth.
GROWTH_CHECKS = 3
# Parts that should be making progress (disabled/stopped/failed are reported elsewhere).
_LIVE_STATUSES = frozenset({"starting", "running", "restarting"})


@dataclass(frozen=True, slots=True)
class Rhythm:
    posts_per_day: float
    usual_gap: float | None  # seconds; None: too few posts to have a rhythm
    last_post: datetime | None


def usual_gap(dates_newest_first: Sequence[datetime]) -> float | None:
    """The GAP_PERCENTILE of the gaps between consecutive posts (seconds), or None."""
    dates = list(dates_newest_first[: RHYTHM_POSTS + 1])
    gaps = sorted((newer - older).total_seconds() for newer, older in itertools.pairwise(dates))
    if len(gaps) < MIN_GAPS:
        return None
    index = min(len(gaps) - 1, int(GAP_PERCENTILE * (len(gaps) - 1) + 0.5))
    return gaps[index]


def rhythm(dates_newest_first: Sequence[datetime], posts_in_window: int) -> Rhythm:
    return Rhythm(
        posts_per_day=posts_in_window / RHYTHM_DAYS,
        usual_gap=usual_gap(dates_newest_first),
        last_post=dates_newest_first[0] if dates_newest_first else None,
    )


def silence_threshold(usual: float, factor: float, minimum: timedelta) -> float:
    """The gap (seconds) beyond which a channel with this rhythm counts as silent."""
    return max(factor * usual, minimum.total_seconds())


def is_silent(r: Rhythm, now: datetime, factor: float, minimum: timedelta) -> bool:
    if r.usual_gap is None or r.last_post is None:
        return False
    return (now - r.last_post).total_seconds() > silence_threshold(r.usual_gap, factor, minimum)


def stall_limit(stall: timedelta, interval_seconds: float | None) -> timedelta:
    """A part that makes progress once per poll interval is stalled only after two missed
    polls: with WEBPREVIEW_POLL_SECONDS above STALL_MINUTES, a fixed limit would report a
    stall (and a recovery) on every cycle."""
    if interval_seconds is None:
        return stall
    return max(stall, timedelta(seconds=2 * interval_seconds + 60))


def stalled_since(state: PartState, now: datetime, stall: timedelta) -> datetime | None:
    """When the part last made progress, if that is longer ago than `stall`; else None."""
    if state.status not in _LIVE_STATUSES:
        return None
    last = state.last_progress_at or state.started_at
    if last is None or now - last <= stall:
        return None
    return last


def outbox_growing(depths: Sequence[int], threshold: int) -> bool:
    """Above `threshold` and grown at each of the last GROWTH_CHECKS checks."""
    recent = list(depths[-(GROWTH_CHECKS + 1) :])
    if len(recent) < GROWTH_CHECKS + 1 or recent[-1] <= threshold:
        return False
    return all(a < b for a, b in itertools.pairwise(recent))
