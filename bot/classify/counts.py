"""How many drones were destroyed, and how many were launched, as the post states them.

figures.py finds the figures and their roles; this module adds them up. Destroyed =
destroyed + intercepted + suppressed (EW) + repelled; "locationally lost", crashed and hit
are not. A breakdown after a total ("уничтожены 21 БПЛА: 7 — над ...", "including 42")
is not added again; an approximate figure ("более 60", "понад 40") makes the total unknown.
Without a figure: a list of items, "беспилотник сбит" (one), "все они уничтожены" (all that
were counted), and "ещё"/"второй" add to what was stated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.classify.count_phrases import (
    ABBREV,
    ALL_DESTROYED,
    ATTRIBUTE,
    ATTRIBUTE_BEFORE,
    ORDINAL_BEFORE,
    PRONOUN_OBJECT,
    PRONOUN_START,
    SECOND,
    SECOND_WORDS,
    SHOOTING_VERB,
    SINGULAR_NOUN,
    SINGULAR_VERB,
    TARGET_NOUN,
    VAGUE,
)
from bot.classify.figures import (
    BARE_VERBS,
    DESTROYED_ROLES,
    MISSILE_FAMILIES,
    OUTCOME_CUES,
    ROLE_BY_FAMILY,
    Count,
    Hit,
    collect_counts,
    places_each,
)
from bot.classify.numbers import find_numbers
from bot.classify.text import Sentences, span_within
from bot.models import Evidence

__all__ = ["Counts", "Hit", "extract_counts"]


@dataclass(frozen=True, slots=True)
class Counts:
    destroyed: int | None
    launched: int | None
    outcomes: frozenset[str]
    evidence: tuple[Evidence, ...]


# "В Ливенском районе уничтожены три беспилотника, в Мценском — два" (also after "повідомив,
# що цієї ночі"): a head with a place of its own, and items that go on with other places, add
# up (not "над регионом ... три, в X — два")
_OWN_PLACE_HEAD = re.compile(
    r"(?:^|[.!?:\n]\s*|,\s*(?:що|что)\s+)(?:(?:цієї\s+ночі|этой\s+ночью|ночью|вночі|уночі)\s+)?"
    r"(?:в|у|над|под|під)\s+(?!регион|област|территор|кра[еюя]|республик|город|"
    r"міст|столиц)[^\W\d][\w-]*(?:\s+[\w-]+)?\s+[^\W\d]+\s+$"
)
_PARALLEL_ITEM = re.compile(
    r"[^\S\n]*,\s*(?:(?:а|и|і|та|and)\s+)?(?:в|у|над|под|під|over|in)\s+[^,:;—–\d\n]{2,40}?\s*[—–]\s*"
)
# "уничтожила семь аппаратов над Ростовской областью, пять — над Краснодарским краем", "Nine
# drones were destroyed over the Rostov region, six over the Voronezh region": the head's place
# after its figure, and items that name places of their own the same way
_PLACE_AFTER_HEAD = re.compile(
    r"(?:[^\S\n]+[^\W\d][\w-]*){0,4}?[^\S\n]+(?:над|в|у|over|in)\s+[^,:;—–\d\n]{2,40}?,"
    r"\s*(?:(?:а|и|і|та|and)\s+)?"
)
_PLACE_AFTER_ITEM = re.compile(r"(?:\s*[—–])?\s+(?:над|в|у|over|in)\s")
# "Брянская область — сбиты шесть БПЛА\nКурская область — четыре ...": lines that each open
# with a place and a dash are a digest's parallel items, whatever their figures add up to
_PLACE_LINE = re.compile(
    r"[^\S\n]*[^\W\d][^\n—–:.!?]{0,40}?(?:(?P<district>район\w*|округ\w*|district)|област\w*|"
    r"кра[йяю]|республик\w*|oblast|region|territory|щина|щини|ччина|ская|ський|ська|ский)"
    r"[^\S\n]*[—–:][^\S\n]"
)


def _bullet(low: str, pos: int) -> str:
    """The mark that opens pos's line ("—", "•", "▪"), or "" for a line of words."""
    line = low[low.rfind("\n", 0, pos) + 1 : pos].lstrip()
    return line[0] if line and not line[0].isalnum() else ""


def _place_line(low: str, pos: int) -> str:
    """ "region" or "district" for a line that opens with such a place and a dash, else ""."""
    m = _PLACE_LINE.match(low, low.rfind("\n", 0, pos) + 1, pos)
    return "" if m is None else "district" if m["district"] else "region"


def _parallel_items(low: str, head: Count, items: list[Count]) -> bool:
    first = min(items, key=lambda c: c.start)
    if (mark := _bullet(low, head.start)) and mark == _bullet(low, first.start):
        return True  # "— Мценский район: 3 сбитых БПЛА;\n— Ливенский район: 2": lines of one list
    if (
        not head.total
        and low.rfind("\n", 0, head.start) != low.rfind("\n", 0, first.start)
        and (kind := _place_line(low, head.start))
        and kind == _place_line(low, first.start)  # not a region's line, then its districts'
    ):
        return True
    if first.sentence != head.sentence:
        return False
    if _PARALLEL_ITEM.fullmatch(low, head.end, first.start):
        return bool(_OWN_PLACE_HEAD.search(low, max(0, head.start - 60), head.start))
    return bool(
        _PLACE_AFTER_HEAD.fullmatch(low, head.end, first.start)
        and _PLACE_AFTER_ITEM.match(low, first.end)
    )


_SPEAKER = re.compile(
    r"(?:мэр|губернатор|глав[аеуы]|голов[аиі]|mayor|governor)\w*\b[^.!?]{0,60}?"
    r"(?:сообщил|написал|заявил|рассказал|повідомив|написав|заявив|said|wrote)|"
    r"по\s+словам|за\s+словами|according\s+to"
)


def _said_by_others(low: str, head: Count, parts: list[Count]) -> bool:
    """ "Мэр Москвы сообщил о трёх. Губернатор Тульской области написал о двух, ... ещё
    один": each figure from its own official, side by side; no breakdown of the first."""
    first = min(parts, key=lambda c: c.start)
    return bool(
        _SPEAKER.search(low, max(0, head.start - 80), head.start)
        and _SPEAKER.search(low, max(head.end, first.start - 80), first.start)
    )


# "Минобороны: ... над регионами России сбиты 84 БПЛА", "over 11 regions", "по всій країні"
_NATIONAL = re.compile(
    r"над\s+(?:\d+|[а-яё]+(?:ью|мя))\s+регионами|над\s+(?:регионами|территорией)\s+(?:россии|рф)|"
    r"над\s+российскими\s+регионами|over\s+(?:\d+|[a-z]+)\s+(?:russian\s+)?regions|"
    r"over\s+russian\s+(?:regions|territory)|по\s+україні|над\s+україною|по\s+украине|"
    r"над\s+украиной"
)
# "наші захисники збили над областю 14": the channel's own region, unnamed
_OVER_HOME = re.compile(
    r"(?<!\w)(?:над|в|у|по)\s+(?:областю|області|регіоном|регіоні|областью|области|регионом|"
    r"регионе)(?!\w)|(?:over|in)\s+the\s+(?:region|oblast)\b"
)
_LATER_IN_DAY = re.compile(  # "In the afternoon, 7 more drones ...", "Днём ... уничтожены 7"
    r"\bmore\b|\blater\b|afternoon|evening|дн[её]м\b|вечером|позже|позднее|вдень|удень|ввечері|"
    r"згодом|пізніше"
)
_SEA = re.compile(r"акватори|\bмор[еяю]\b|\bморем\b|\bsea\b|кримськ|крым")


_NATIONAL_HINTS = ("регион", "over ", "украин", "україн")  # one is in every _NATIONAL phrase


def _national_heads(low: str, counts: list[Count]) -> Iterator[Count]:
    """The figures told for the whole country ("над регионами России сбиты 84", "по Україні
    знешкоджено 98"); most posts have none and return at once."""
    if not any(w in low for w in _NATIONAL_HINTS):
        return
    for head in counts:
        if not head.item and _NATIONAL.search(
            low, *span_within(low, head.start, head.end, ".!?\n")
        ):
            yield head


def _without_parts_of_national(low: str, kept: list[Count]) -> list[Count]:
    """ "Минобороны: над регионами России сбиты 84 БПЛА. Что пишут губернаторы: Ростовская —
    19, ... 11": the regions' figures, in later sentences and smaller together, are a part of
    the country's figure, not more drones (an "ещё" still adds)."""
    for head in _national_heads(low, kept):
        parts = [  # the sea and Crimea may be outside the regions' figure: they add
            c
            for c in kept
            if c.sentence > head.sentence
            and not c.also
            and not c.total
            and c is not head
            and not _SEA.search(low, max(0, c.start - 60), c.end + 40)
            and not _LATER_IN_DAY.search(low, max(0, c.start - 40), c.end + 12)
        ]
        if parts and sum(c.value for c in parts) < head.value:
            return [c for c in kept if c not in parts]
    return kept


def _home_share(
    low: str, destroyed: list[Count], home_spans: Sequence[tuple[int, int]]
) -> list[Count] | None:
    """A regional channel that gives the country's figure and then its own share ("по Україні
    знешкоджено 98. З цієї кількості 16 — над Одещиною", "наші захисники збили над областю
    14") reports the share: a later figure whose clause names the home region (not a split
    by type, "з них 60 — шахеди", nor another region's share)."""
    for head in _national_heads(low, destroyed):
        shares: list[Count] = []
        clauses: set[int] = set()
        for c in destroyed:
            if c.sentence <= head.sentence:
                continue
            start, end = span_within(low, c.start, c.end, ",;.!?\n")
            home_here = any(start <= a < end for a, _ in home_spans) or _OVER_HOME.search(
                low, start, end
            )
            if c.total and (home_here or shares):
                shares = [c]  # "всего над областю за добу — 14"
            elif home_here and not c.also and start not in clauses:
                shares.append(c)  # the first figure of the clause: "14 дронів: 10 шахедів ..."
                clauses.add(start)
            elif shares and c.also:
                shares.append(c)  # "у регіоні збито 8 шахедів, ще 4 знешкоджено засобами РЕБ"
        if shares and sum(c.value for c in shares) < head.value:
            return shares
    return None


def _sum_destroyed(
    low: str, counts: list[Count], home_spans: Sequence[tuple[int, int]] | None
) -> tuple[int | None, list[Count]]:
    destroyed = [c for c in counts if c.role in DESTROYED_ROLES]
    if home_spans is not None and (shares := _home_share(low, destroyed, home_spans)) is not None:
        return sum(c.value for c in shares), shares
    kept: list[Count] = []
    for c in destroyed:
        if c.breakdown and kept:
            continue
        same = next((k for k in kept if k.value == c.value and k.sentence != c.sentence), None)
        if not c.also and same is not None and not (c.item and same.item):  # (two lines of a
            # list may hold one figure: "Острогожский — один; ...; городской округ — один")
            if c.total and not same.total:  # "... then another three. He put the total at 11"
                kept[kept.index(same)] = c
            continue  # the headline and the body repeat one figure
        kept.append(c)
    items = [c for c in kept if c.item]
    if items:  # "уничтожены 7 БПЛА. 4 — над Брянской, 3 — над Курской": a breakdown again
        for head in kept:
            after = [c for c in items if c.start > head.end]
            if (
                not head.item
                and head.value == sum(c.value for c in after)
                and not _parallel_items(low, head, after)
            ):
                kept = [c for c in kept if not (c.item and c.start > head.end)]
                break
    for head in kept:  # "64 drones destroyed. 21 were downed over Bryansk, 18 over Kursk, ..."
        if head.item:
            continue  # "— 3", "— 2", "— 1": an item is no total of the ones after it
        later = [c for c in kept if c.sentence > head.sentence]
        # "Больше всего — 11 — над Брянской, ещё 9 над Курской": "ещё" after a first item
        # goes on with the breakdown; opening the later figures, it adds to the total
        tries = [[c for c in later if not c.also]]
        if later and not later[0].also:
            tries.append(later)
        for parts in tries:
            if (
                len(parts) >= 2
                and head.value == sum(c.value for c in parts)
                and not _said_by_others(low, head, parts)
                and not _parallel_items(low, head, parts)
            ):
                kept = [c for c in kept if c not in parts]
                break
        else:
            continue
        break
    kept = _without_parts_of_national(low, kept)
    if not kept:
        return None, []
    totals = [c for c in kept if c.total]
    if any(c.approx for c in kept) and all(c.approx for c in totals):
        return None, kept  # "до двох збитих ... — разом три": a stated total outweighs an "до"
    if totals:
        top = max(totals, key=lambda c: c.value)
        # "Всего сбито 26. Ещё восемь уничтожены над Курской": more after the total adds
        # (in its own sentence too, with another outcome: "Всего сбиты 12, ещё 17 подавлены")
        more = [
            c
            for c in kept
            if c.also
            and not c.total
            and (c.sentence > top.sentence or (c.start > top.end and c.role != top.role))
        ]
        if top.approx or any(c.approx for c in more):
            return None, kept
        return top.value + sum(c.value for c in more), [top, *more]
    return sum(c.value for c in kept), kept


# "drones between 20:00 and 23:00 Moscow time on Saturday: 14 over ..." (not the "20:" of a time)
# or "8 p.m. and midnight Moscow time:", "(збиті ударні БпЛА):"
_LIST_HEAD = re.compile(r"(?:\s+(?:[\w-]+(?::\d\d)?|[ap]\.m\.)){0,12}?\)?\s*:(?!\d)")
# "drones downed overnight: seven over", "Збиття за регіонами станом на ранок: Київщина — 12"
_VERB_LIST_HEAD = re.compile(r"(?:\s+[\w-]+){0,5}\s*:")
_ITEM_TAIL = re.compile(
    r"\s*[—–-]?\s*(?:each\s+)?(?:над|в|у|по|on|over|in|above)\b[^,;\n.]*[,;\n.]?"
)  # "... five over Kursk, two each over Lipetsk and Tambov, and one over the Ryazan region"
_ITEM_JOINERS = frozenset({"", "and", "и", "і", "та", "й"})
# "1️⃣ Белгородский район — 3", "• Шосткинський район — 3", "над морем — восемь": the place
# first, then the figure (and a unit).
_PLACE_ITEM = re.compile(
    r"[\s,;.]*(?:[•·*▪-]|\d\ufe0f?\u20e3)?\s*[^\d\n,;:—–]{2,60}?\s*[—–-]\s*(?=\S)"
)
_UNIT = re.compile(r"\s*(?:ед\.?|шт\.?|од\.?|units?)(?!\w)")


def _figures_first(low: str, pos: int) -> tuple[int, int]:
    """ "3 — над Брянской, 2 — над Курской": the sum of items that open with the figure, and
    where they end."""
    total = 0
    for num in find_numbers(low[pos : pos + 600], pos):
        item = _ITEM_TAIL.match(low, num.end)
        if low[pos : num.start].strip(" \n,;.") not in _ITEM_JOINERS or item is None:
            break
        total, pos = total + num.value * places_each(low, num.start, num.end), item.end()
    return total, pos


def _places_first(low: str, pos: int) -> tuple[int, int]:
    """ "Белгородский район — 3, Шебекинский округ — 2": the sum of items that close with it."""
    total = 0
    while (m := _PLACE_ITEM.match(low, pos)) is not None:
        numbers = find_numbers(low[m.end() : m.end() + 40], m.end())
        if not numbers or numbers[0].start != m.end():
            break
        total, pos = total + numbers[0].value, numbers[0].end
        unit = _UNIT.match(low, pos)
        pos = unit.end() if unit else pos
    return total, pos


def _items(low: str, pos: int) -> tuple[int, int, int]:
    """(sum, start, end) of the list that starts at `pos`, figures first or places first."""
    total, end = _figures_first(low, pos)
    if not total:
        total, end = _places_first(low, pos)
    return total, pos, end


_IN_BRACKETS = re.compile(r"(?<=[^\W\d_]) \((\d{1,4})\)")


def _bracketed(low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences) -> int:
    """ "БПЛА сбиты над Энгельсом (4) и Саратовом (2)": figures in brackets after places, in
    a sentence with a drone noun and an outcome verb."""
    if " (" not in low:
        return 0
    total = 0
    for m in _IN_BRACKETS.finditer(low):
        s_start, s_end = sentences.span(sentences.index(m.start()), len(low))
        if any(s_start <= n.start < s_end for n in nouns) and any(
            c.family in BARE_VERBS and s_start <= c.start < m.start() for c in cues
        ):
            total += int(m.group(1))
    return total


def _heads_after_destroyed_nouns(
    head: re.Pattern[str],
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
) -> Iterator[re.Match[str]]:
    """Where `head` matches right after a drone noun that an outcome verb before it, in the
    same sentence, says were destroyed ("Сбиты БПЛА:", "о сбитых дронах.")."""
    for noun in nouns:
        m = head.match(low, noun.end)
        if m is None:
            continue
        s_start = sentences.span(sentences.index(noun.start), len(low))[0]
        if any(c.family in BARE_VERBS and s_start <= c.start < noun.start for c in cues):
            yield m


def _list_without_total(
    low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences
) -> tuple[int, int, int] | None:
    """ "Сбиты БПЛА: 3 — над Брянской, 2 — над Курской": items that no figure reads (the
    figure rules read an item by the count before it); (sum, start, end) of the list. A list
    head ends with a colon, or is a sentence of its own."""
    if ":" in low:
        listed = _list_after_colon(low, nouns, cues, sentences)
        if listed is not None:
            return listed
    return _list_after_head_sentence(low, nouns, cues, sentences)


def _list_after_colon(
    low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences
) -> tuple[int, int, int] | None:
    for head in _heads_after_destroyed_nouns(_LIST_HEAD, low, nouns, cues, sentences):
        listed = _items(low, head.end())
        if listed[0]:
            return listed
    if (
        nouns
    ):  # "Силами ППО знешкоджено:\n▫️ на Одещині — 21,\n▫️ на Київщині — 28.": the verb heads it
        for cue in cues:
            head = _VERB_LIST_HEAD.match(low, cue.end) if cue.family in BARE_VERBS else None
            if head is not None:
                listed = _items(low, head.end())
                if listed[0]:
                    return listed
    return None


# "о сбитых дронах. Харьковщина — 14, Днепропетровщина — 9": the head sentence ends at its noun
_HEAD_SENTENCE_END = re.compile(r"(?:\s+[\w-]+){0,3}?\s*\.\s+(?=[^\W\d])")
_LIST_DASH = re.compile(r"[—–-]")
_LIST_CLOSED = re.compile(r"\s*(?:[.;!\n]|$)")


def _list_after_head_sentence(
    low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences
) -> tuple[int, int, int] | None:
    """ "Области отчитываются о сбитых дронах. Харьковщина — 14, Днепропетровщина — 9.": a
    sentence of places and figures (two or more, nothing else) after one that ends with
    destroyed drones."""
    for head in _heads_after_destroyed_nouns(_HEAD_SENTENCE_END, low, nouns, cues, sentences):
        total, end = _places_first(low, head.end())
        if (
            total
            and len(_LIST_DASH.findall(low, head.end(), end)) >= 2
            and _LIST_CLOSED.match(low, end)
        ):
            return total, head.end(), end
    return None


def _list_beside(
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
    counts: list[Count],
    used: list[Count],
) -> int:
    """ "(збиті БпЛА): Харківщина — 12, Сумщина — 8. Окрім того, 9 подавлено": a list that no
    figure read, beside figures that add to it (not a total, not the list's own sum)."""
    listed = _list_without_total(low, nouns, cues, sentences)
    if listed is None or any(c.total for c in used):
        return 0
    total, start, end = listed
    head = sentences.index(max(0, start - 1))
    if any(start <= c.start < end or c.sentence == head for c in counts):
        return 0  # the list breaks down a count of its head: "сбили 37 БПЛА: 15 над ..."
    return 0 if any(c.value == total for c in used) else total


_ACTION_NOUN = re.compile(r"[a-z]+tions?")  # "drone interceptions": a headline's topic, no drone
# "repelled by ... mobile fire groups and drone units": the drone names a kind of unit
_UNIT_AFTER = re.compile(r"\s+(?:units?|crews?|operators?|troops|forces|teams?|pilots?)\b")
_LIST_BEFORE = re.compile(r"(?:,|\band)\s+$")  # one of the units listed, not "Drone units downed"


# "A drone attack was repelled": the noun names the kind of attack, not one drone
_ADJUNCT_AFTER = re.compile(r"\s+(?:attacks?|strikes?|raids?|assaults?|threat)\b")


def _singular(low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences):
    """(sentence, position) of each drone noun reported as one: "Беспилотник сбит", "сбит
    украинский БПЛА", "the UAV was intercepted" (a generator: most callers need the first)."""
    for noun in nouns:
        phrase = low[noun.start : noun.end]
        first = phrase.split()[0] if " " in phrase else phrase
        s_start, s_end = sentences.span(sentences.index(noun.start), len(low))
        if (
            VAGUE.search(low, s_start, s_end)
            or _ADJUNCT_AFTER.match(low, noun.end)
            or ORDINAL_BEFORE.search(low, max(0, noun.start - 16), noun.start)
            or (
                _UNIT_AFTER.match(low, noun.end)
                and _LIST_BEFORE.search(low, max(0, noun.start - 8), noun.start)
            )
        ):
            continue  # "A second drone was suppressed": SECOND counts it, as one more
        near = [
            c
            for c in cues
            if c.family in ("destroy", "intercept", "suppress", "repel")
            and s_start <= c.start < s_end
            and (abs(c.start - noun.end) < 50 or abs(noun.start - c.end) < 50)
            and not ATTRIBUTE.match(low, c.start, c.end)
            and not ATTRIBUTE_BEFORE.search(low, max(0, c.start - 6), c.start)
            and not _ACTION_NOUN.fullmatch(low, c.start, c.end)
        ]
        if not near and s_end < len(low):  # "...безпілотник. Його збили.", "... shot it down"
            nxt_end = sentences.span(sentences.index(s_end), len(low))[1]
            start = PRONOUN_START.match(low, s_end)
            near = [
                c
                for c in cues
                if c.family in BARE_VERBS
                and s_end <= c.start < nxt_end
                and (
                    start
                    or (
                        PRONOUN_OBJECT.search(low, c.start, c.end + 6)
                        and SHOOTING_VERB.match(low, c.start)
                    )
                )
            ]
        if not near:
            continue
        if (
            SINGULAR_NOUN.search(first)
            or SINGULAR_NOUN.search(phrase)
            or (
                ABBREV.search(phrase)
                and any(SINGULAR_VERB.match(low[c.start : c.end]) for c in near)
            )
        ):
            yield sentences.index(noun.start), noun.start


def _all_destroyed(low: str, counts: list[Count], launched: int | None) -> int | None:
    """ "Атаковал пятью беспилотниками. Все они уничтожены", "залетели три беспилотника. Все
    подавлены": every drone counted before it."""
    m = ALL_DESTROYED.search(low)
    if m is None:
        return None
    if launched:
        return launched
    before = [c for c in counts if c.end <= m.start() and not c.approx]
    if totals := [c for c in before if c.total]:
        return totals[-1].value  # "Климовский — 4;\nСуземский — 2;\nВсего — 6. Все сбиты"
    return sum(c.value for c in before) if before else None


def _with_targets(low: str, nouns: list[Hit], hits: Sequence[Hit]) -> list[Hit]:
    """Drone nouns, plus "цели" where they can only be drones (no missile in the post)."""
    if not nouns or any(h.family in MISSILE_FAMILIES for h in hits):
        return nouns
    targets = [Hit("drone", m.start(), m.end()) for m in TARGET_NOUN.finditer(low)]
    return sorted(nouns + targets, key=lambda h: h.start) if targets else nouns


def _launched(counts: list[Count], used: list[Count]) -> int | None:
    """Stated launched figures; else the "all N" a destroyed figure names ("все 12 сбиты")."""
    launched_counts: list[Count] = []
    for c in counts:  # a headline and the body may repeat one figure: count it once
        if (
            c.role == "launched"
            and not c.breakdown
            and not any(k.value == c.value and k.sentence != c.sentence for k in launched_counts)
        ):
            launched_counts.append(c)
    if any(c.approx for c in launched_counts):
        return None
    if launched_counts:
        return sum(c.value for c in launched_counts)
    all_of = [c for c in used if c.all_of]
    return all_of[0].value if all_of else None


def _destroyed_otherwise(
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
    counts: list[Count],
    launched: int | None,
) -> int | None:
    """When no figure says it: a list of items, one drone stated singly, or "все уничтожены"."""
    listed = _list_without_total(low, nouns, cues, sentences)
    if listed:
        return listed[0]
    bracketed = _bracketed(low, nouns, cues, sentences)
    if bracketed:
        return bracketed
    if next(_singular(low, nouns, cues, sentences), None) is not None:
        return 1
    return _all_destroyed(low, counts, launched)


def _singles_before_also(
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
    counts: list[Count],
    used: list[Count],
) -> int:
    """ "Сбит беспилотник. ... Сбиты ещё два": the drones reported singly before an "ещё"."""
    if not any(c.also for c in used):
        return 0
    first_also = min(c.start for c in used if c.also)
    counted = {c.sentence for c in counts if not c.also}
    singles = {i for i, pos in _singular(low, nouns, cues, sentences) if pos < first_also}
    return len(singles - counted)


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_HEADLINE = re.compile(r"[^\n]{1,140}(?<![.!?…])")  # one line that ends without a full stop
# a headline that names a place below the region reports that place, not the whole post
_LOCAL_PLACE = re.compile(r"район|округ|district|\bсел[оаеі]|город|\bміст|village|\btown")


def _singles_in_other_paragraphs(
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
    counts: list[Count],
    used: list[Count],
) -> int:
    """A day's summary by district: "Грайворонский округ. ... сбиты два дрона.\n\nБелгородский
    район. Над Разумным сбит БПЛА." One more for each paragraph that reports a single drone
    and counts nothing else (not beside a total, nor an "ещё", which say it themselves)."""
    if "\n" not in low or any(c.total or c.also for c in used):
        return 0
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(low)]
    if not breaks:
        return 0
    counted = {bisect_right(breaks, c.start) for c in counts}
    headline = _HEADLINE.fullmatch(low, 0, breaks[0]) is not None
    if counted == {0} and headline:
        return 0  # "Sochi mayor: one drone shot down\n\nA single drone was brought down ...": the
        # headline tells the body's figure
    singles = {bisect_right(breaks, pos) for _, pos in _singular(low, nouns, cues, sentences)}
    if headline and not _LOCAL_PLACE.search(low, 0, breaks[0]):
        singles.discard(0)  # "На Рівненщині збили ударний дрон\n\n... знешкодила один БпЛА"
        # (a district's headline is an item: "Над Белгородским районом сбит беспилотник\n\n...")
    return len(singles - counted)


def _seconds(low: str, used: list[Count]) -> int:
    """ "уничтожен один, второй подавлен", "a third was jammed": one more each."""
    if any(c.approx for c in used) or not any(w in low for w in SECOND_WORDS):  # ~50x cheaper
        return 0
    return len(SECOND.findall(low))


_ORDINALS = {
    "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "другий": 2, "третій": 3, "четвертий": 4,
    "п'ятий": 5, "шостий": 6, "сьомий": 7, "восьмий": 8, "дев'ятий": 9, "десятий": 10,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
_ORDINAL_WORD = "|".join(_ORDINALS)
_NIGHT = r"(?:ночь|ніч|сутки|добу|утро|ранок|день|вечер|вечір)"
_ORDINAL_TOTAL = re.compile(
    rf"(?<!\w)(?:уже|вже)\s+({_ORDINAL_WORD})(?:\s+[^\W\d]+)?\s+за\s+(?:эту\s+|цю\s+)?{_NIGHT}\b"
    rf"|(?<!\w)the\s+({_ORDINAL_WORD})\s+(?:drone\s+|uav\s+)?(?:tonight|overnight|since\s+midnight)"
)


# "Шестнадцать сбиты, остальные подавлены средствами РЭБ": the rest of the attack, downed too
_REST = re.compile(
    r"(?<!\w)(?:остальные|остальных|оставшиеся|решта|решту|інші|the\s+rest|the\s+others|"
    r"the\s+remaining)\s+(?:(?:were|was|had\s+been|have\s+been|(?:дрон|беспилот|безпілот|бпла|"
    r"шахед|drone|uav)\w*)\s+)?(?=\w)"
)  # (not "остальные не сбиты", "the remaining missiles were intercepted")


_NOT_AFTER = re.compile(r"\s+(?:не\s+(?:були|было|были|був|была|була)|not)\b")


def _rest_destroyed(low: str, cues: Sequence[Hit], counts: list[Count]) -> bool:
    """Whether "the rest" of a launched figure are downed too, after a part of it was: "16
    сбиты, остальные подавлены", "большая часть уничтожена, остальные подавлены РЭБ"."""
    launched = [c.end for c in counts if c.role == "launched"]
    if not launched:
        return False
    for m in _REST.finditer(low, min(launched)):
        if any(
            c.start == m.end()
            and c.family in OUTCOME_CUES
            and not _NOT_AFTER.match(low, c.end)  # "інші знищені не були"
            for c in cues
        ):
            return True
    return False


def _ordinal_total(low: str) -> int | None:
    """ "це вже четвертий за ніч", "the fourth drone tonight": the running count as an ordinal."""
    m = _ORDINAL_TOTAL.search(low)
    return None if m is None else _ORDINALS[m.group(1) or m.group(2)]


# Drones a summed figure leaves out, each read from the same facts: added in this order.
_ADDENDS = (_singles_before_also, _singles_in_other_paragraphs, _list_beside)


def extract_counts(
    text: str,
    low: str,
    hits: Sequence[Hit],
    sentences: Sentences,
    *,
    any_drone: bool,
    muted: frozenset[int] = frozenset(),
    home_spans: Sequence[tuple[int, int]] | None = None,
) -> Counts:
    """`muted`: sentences whose figures count nothing (statistics, awards, denials...);
    `home_spans`: where a regional channel's post names its own region (None: no home region,
    a national channel)."""
    nouns = [h for h in hits if h.family == "drone"]
    cues = [h for h in hits if h.family in ROLE_BY_FAMILY]
    if not nouns and not any_drone:
        return Counts(None, None, frozenset(), ())
    nouns = _with_targets(low, nouns, hits)
    counts = collect_counts(low, nouns, cues, sentences, muted)
    destroyed, used = _sum_destroyed(low, counts, home_spans)
    launched = _launched(counts, used)
    if destroyed is None and not used:
        destroyed = _destroyed_otherwise(low, nouns, cues, sentences, counts, launched)
    elif destroyed is not None:
        destroyed += sum(add(low, nouns, cues, sentences, counts, used) for add in _ADDENDS)
    if destroyed is not None:
        destroyed += _seconds(low, used)
    elif not used:  # "Два дрони влучили у будинок, третій збили": only the third
        destroyed = _seconds(low, used) or None
    if launched is not None and (destroyed is None or destroyed < launched):
        destroyed = launched if _rest_destroyed(low, cues, counts) else destroyed
    if destroyed is not None and (nth := _ordinal_total(low)) is not None and nth > destroyed:
        destroyed = nth  # "Ещё один дрон уничтожен — это уже четвёртый за ночь"
    if launched is None and destroyed is not None:
        detected = [c for c in counts if c.role == "detected" and not c.approx]
        launched = sum(c.value for c in detected) if detected else None  # "виявлено 117 БпЛА"
    outcomes = {
        {"lost": "suppressed"}.get(c.role, c.role)
        for c in counts
        if c.role in ("destroyed", "intercepted", "suppressed", "crashed", "hit")
    }
    evidence = tuple(
        Evidence(f"count.{c.role}", c.start, c.end, text[c.start : c.end])
        for c in counts
        if c.role in DESTROYED_ROLES or c.role == "launched"
    )
    return Counts(destroyed, launched, frozenset(outcomes), evidence)
