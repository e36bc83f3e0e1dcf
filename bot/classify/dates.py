"""Sentences that open on an earlier day's date: "Справка. В ночь на 4 сентября над
Смоленщиной были сбиты двенадцать дронов", in a post of 18 September, is background.

Only a day and a month at the opening of a sentence are read ("В ночь на 4 сентября",
"4 сентября", "On 4 September", "14 березня"), and only against the post's own date: two
days or more before it is an earlier day (a night's report may come out the next day). The
year is the post's, or the one before when the date would fall after the post. Without a
`posted_at` nothing is read.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.classify.text import Sentences

_MONTHS = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("січ", 1),
    ("лют", 2),
    ("берез", 3),
    ("квіт", 4),
    ("трав", 5),
    ("черв", 6),
    ("лип", 7),
    ("серп", 8),
    ("верес", 9),
    ("жовт", 10),
    ("листопад", 11),
    ("груд", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
)
_MONTH_WORD = (
    r"(?P<month>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
    r"декабря|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|"
    r"грудня|january|february|march|april|may|june|july|august|september|october|november|"
    r"december)"
)
_OPENING_DATE = re.compile(
    r"[\W_]*(?:(?:в|у)\s+ночь\s+(?:с\s+\d{1,2}\s+)?на\s+|(?:в|у)\s+ніч\s+(?:з\s+\d{1,2}\s+)?на\s+|"
    r"(?:on\s+)?(?:the\s+night\s+of\s+)?)"
    rf"(?P<day>\d{{1,2}})(?:-?(?:го|е|th|st|nd|rd))?\s+{_MONTH_WORD}\b"
)
_HINT = re.compile(_MONTH_WORD)


def _month(word: str) -> int:
    return next(n for stem, n in _MONTHS if word.startswith(stem))


def earlier_day_sentences(
    low: str, sentences: Sentences, posted_at: datetime | None
) -> frozenset[int]:
    if posted_at is None or _HINT.search(low) is None:
        return frozenset()
    posted = posted_at.date()
    found = set()
    for i, start in enumerate(sentences.starts):
        m = _OPENING_DATE.match(low, start)
        if m is None:
            continue
        day, month = int(m["day"]), _month(m["month"])
        try:
            when = date(posted.year, month, day)
            if when > posted:
                when = date(posted.year - 1, month, day)
        except ValueError:  # "31 февраля": no such day
            continue
        if (posted - when).days >= 2:
            found.add(i)
    return frozenset(found)
