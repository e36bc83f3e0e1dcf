"""Calendar dates in a post, set against the day it was posted.

A press item's background paragraph often gives an earlier night by its date ("Справка. В ночь
на 4 сентября над Смоленщиной были сбиты двенадцать дронов"); with the post's own date known,
such a sentence is plainly the past, and its figures are no part of tonight's count.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.classify.text import Sentences

_MONTHS = {  # the genitive of "4 сентября", "4 вересня"; English names and abbreviations
    1: r"января|січня|january|jan",
    2: r"февраля|лютого|february|feb",
    3: r"марта|березня|march|mar",
    4: r"апреля|квітня|april|apr",
    5: r"мая|травня|may",
    6: r"июня|червня|june|jun",
    7: r"июля|липня|july|jul",
    8: r"августа|серпня|august|aug",
    9: r"сентября|вересня|september|sept|sep",
    10: r"октября|жовтня|october|oct",
    11: r"ноября|листопада|november|nov",
    12: r"декабря|грудня|december|dec",
}
_STEMS = "|".join(stems for stems in _MONTHS.values())
_MONTH_OF = {stem: n for n, stems in _MONTHS.items() for stem in stems.split("|")}
# "4 сентября", "на 4 вересня", "September 4", "4 Sept. 2025"; a clock ("в 04:30") or a count
# ("4 дрона") is no date
_DATE = re.compile(
    rf"(?<![\d.:])(?P<d>[0-3]?\d)\s+(?P<m>{_STEMS})\b\.?(?:\s+(?P<y>20\d\d))?"
    rf"|\b(?P<m2>{_STEMS})\b\.?\s+(?P<d2>[0-3]?\d)(?![\d:])(?:,?\s+(?P<y2>20\d\d))?"
)
_WEEKDAYS = (  # Monday first, as date.weekday(): accusative, Ukrainian genitive ("проти неділі")
    r"понедельник|понеділок|понеділка|monday",
    r"вторник|вівторок|вівторка|tuesday",
    r"среду|середу|середи|wednesday",
    r"четверг|четвер|четверга|thursday",
    r"пятницу|п'ятницю|п'ятниці|friday",
    r"субботу|суботу|суботи|saturday",
    r"воскресенье|неділю|неділі|sunday",
)
_WEEKDAY_OF = {name: n for n, names in enumerate(_WEEKDAYS) for name in names.split("|")}
# "У ніч на неділю над областю збили п'ятнадцять" in a Monday's post: the night before last
_WEEKDAY_NIGHT = re.compile(
    # ("the night of Sunday" is the night after Sunday: not read)
    r"(?:ночь\s+на|ніч\s+на|ніч\s+проти|night\s+(?:into|to)|overnight\s+into)\s+"
    rf"(?P<w>{'|'.join(_WEEKDAYS)})\b"
)
_HINT = re.compile(r"\d\s+[^\W\d]|[^\W\d]\.?\s+\d")
_GRACE = timedelta(days=1)
_AHEAD = timedelta(days=183)  # a post at 00:10 still tells of "the night of" yesterday's date


def _resolve(day: int, month: int, year: int | None, posted: date) -> date | None:
    """The date meant: the stated year, else the latest such date not after the post."""
    try:
        if year is not None:
            return date(year, month, day)
        meant = date(posted.year, month, day)
        if meant - posted > _AHEAD:  # "20 декабря" in a January post: last year's
            meant = date(posted.year - 1, month, day)
        return meant  # (a date weeks ahead is a deadline: "на дистанте до 20 сентября")
    except ValueError:  # "31 февраля"
        return None


def past_date_sentences(low: str, sentences: Sentences, posted_at: datetime | None) -> set[int]:
    """Sentences that name a date, or the night into a weekday, at least two days before the
    post was published."""
    if posted_at is None:
        return set()
    posted = posted_at.date()
    nights: set[int] = set()
    if "ніч" in low or "ночь" in low or "night" in low:
        for m in _WEEKDAY_NIGHT.finditer(low):
            # the night into the post's own weekday is tonight's; 6 days "ago" is tomorrow's
            if 0 < (posted.weekday() - _WEEKDAY_OF[m["w"]]) % 7 < 6:
                nights.add(sentences.index(m.start()))
    if not _HINT.search(low):
        return nights
    latest: dict[int, date] = {}  # the latest date of each sentence: "с 9 мая по 12 мая"
    for m in _DATE.finditer(low):
        month = _MONTH_OF[m["m"] or m["m2"]]
        year = m["y"] or m["y2"]
        meant = _resolve(int(m["d"] or m["d2"]), month, int(year) if year else None, posted)
        if meant is not None:
            i = sentences.index(m.start())
            latest[i] = max(meant, latest.get(i, meant))
    return nights | {i for i, meant in latest.items() if meant < posted - _GRACE}
