"""Reading the figures of a post: which numbers count drones, and in what role.

A count belongs to drones when it stands before a drone noun (a few adjectives and quotes
may sit between: "49 украинских беспилотных летательных аппаратов", "7‼️дронів",
"п'ять ворожих «Шахедів»"), or when it has no noun but an outcome verb right beside it in a
post about drones ("ещё три заглушено", "ліквідували 15 з них"), or when it is an item of
a breakdown that leaves the noun out ("над Ейском — четыре"). Its role comes from the
nearest cue: the outcome verb right before the figure ("сбито 7 БПЛА"), then a verb after
the noun phrase ("Атака шести БПЛА отражена", "7 БПЛА було локаційно втрачено"), otherwise
the nearest one before it in the sentence. counts.py adds the figures up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classify.count_phrases import (
    ALL_BEFORE,
    ALSO_BEFORE,
    APPROX_BEFORE,
    ATTRIBUTE,
    ATTRIBUTIVE_CLAUSE,
    BARE_TAIL,
    BOTH,
    BREAKDOWN_BEFORE,
    BUT_AFTER,
    CLAUSE_END,
    CLAUSE_PUNCT,
    DASH_OPENS,
    DRONES_NEXT,
    EARLIER_BEFORE,
    EARLIER_SOURCE_BEFORE,
    GAP,
    GOT_THROUGH,
    GOT_THROUGH_HINTS,
    IN_QUANTITY_BEFORE,
    ITEM_AGAIN_AFTER,
    ITEM_AGAIN_BEFORE,
    ITEM_END,
    ITEM_JOINED_BEFORE,
    ITEM_PLACE_AFTER,
    ITEM_PLACE_BEFORE,
    ITEM_PLACE_NEXT,
    JOINED_FIGURES,
    LIST_LINE_AFTER,
    LIST_LINE_BEFORE,
    MEASURE_AFTER,
    MISSILE_WORD,
    MORE_LATER,
    MORE_PLACE_AFTER,
    MORE_THEN_VERB,
    MORE_VERB,
    MOST_OPENING,
    NOT_A_DRONE_NAME,
    NOT_BEFORE,
    NOUN_THEN_COUNT,
    OF_THEM,
    ONE_CLAUSE,
    ONLY_SPACE,
    OVER_LAND,
    OVER_PLACE,
    PARTITIVE,
    PAST_DAY,
    PAST_DAY_HINT,
    PERIOD_BEFORE,
    PERIOD_HINTS,
    QUOTED_NAME,
    RAISED_TO,
    RATHER_THAN,
    RUNNING_TOTAL_BEFORE,
    SO_FAR_BEFORE,
    SPOKEN_HEAD_BEFORE,
    SPOKEN_ITEM_BEFORE,
    STRUCK_AFTER,
    SUBJECT_GAP,
    THAT_MAKES_BEFORE,
    THAT_MANY,
    TONIGHT_WORD,
    TOTAL_BEFORE,
    TOTAL_SENTENCE,
    VERB_GAP,
    WHOLE_BEFORE,
)
from bot.classify.numbers import NumberMatch, find_numbers
from bot.classify.scanner import Cue as Hit  # the classifier passes its cues on as they are
from bot.classify.text import Sentences, span_within

ROLE_BY_FAMILY = {
    "destroy": "destroyed",
    "intercept": "intercepted",
    "suppress": "suppressed",
    "repel": "destroyed",
    "engage": "destroyed",
    "lost": "lost",
    "crash": "crashed",
    "hit": "hit",
    "launch": "launched",
    "detect": "detected",
}
_ATTACK_NOUN = re.compile(r"атак|удар|нападени|напад|attack|strike|(?:hit|struck|targeted)\s+by")
BARE_VERBS = frozenset({"destroy", "intercept", "suppress", "repel", "lost"})
OUTCOME_CUES = BARE_VERBS - {"lost"}  # downed one way or another (lost from radar is not)
_ROLE_CUES = frozenset(ROLE_BY_FAMILY) - {"detect"}  # "обнаружены и подавлены": skip to the outcome
DESTROYED_ROLES = frozenset({"destroyed", "intercepted", "suppressed"})
MISSILE_FAMILIES = frozenset({"missile", "missile_threat", "guided_bomb"})


@dataclass(slots=True)
class Count:
    value: int
    start: int
    end: int  # end of the noun phrase (or of the number when bare)
    sentence: int
    role: str | None = None
    approx: bool = False
    total: bool = False
    also: bool = False
    breakdown: bool = False
    all_of: bool = False
    item: bool = False  # a breakdown item without its noun: "над Ейском — четыре"
    corrects: int | None = None  # the figure it replaces: the "шесть" of "не шесть, а восемь"


# "The death toll ... rose to three", "число пострадавших выросло до пяти": people, not drones
_TOLL_BEFORE = re.compile(
    r"(?:toll|casualt|injured|wounded|dead\b|погибш|пострадавш|раненых|жертв|загибл|постраждал|"
    r"поранен)[^.!?]*$"
)


def _attach(low: str, num: NumberMatch, nouns: Sequence[Hit], cues: Sequence[Hit]) -> int | None:
    """End of the drone phrase this number counts, or None if it counts something else."""
    for noun in nouns:  # "Сбито беспилотников — 12.": the noun first, the figure closing it
        if noun.end <= num.start and CLAUSE_END.match(low, num.end):
            if NOUN_THEN_COUNT.fullmatch(low, noun.end, num.start):
                return num.end
            if any(  # "Беспилотников сбито — 4."
                c.family in BARE_VERBS
                and low[noun.end : c.start].isspace()
                and NOUN_THEN_COUNT.fullmatch(low, c.end, num.start)
                for c in cues
                if noun.end < c.start < num.start
            ):
                return num.end
    for i, noun in enumerate(nouns):
        if noun.start >= num.end:
            gap = GAP.match(low, num.end, noun.start)
            if gap is None or gap.end() != noun.start:
                break
            end = noun.end
            for nxt in nouns[i + 1 :]:  # "45 Shahed drones", "12 шахедів-дронів": one phrase
                if nxt.start - end > 1 or low[end : nxt.start].strip(" -"):
                    break
                end = nxt.end
            return end
    quoted = QUOTED_NAME.match(low, num.end)
    if quoted is not None and not NOT_A_DRONE_NAME.search(quoted.group(1)):
        return quoted.end()
    before = low[max(0, num.start - 40) : num.start]
    if (
        (IN_QUANTITY_BEFORE.search(before) or RUNNING_TOTAL_BEFORE.search(before))
        and not _TOLL_BEFORE.search(low, max(0, num.start - 120), num.start)
        and any(n.end <= num.start < n.end + 200 for n in nouns)
        and not MEASURE_AFTER.match(low, num.end)
    ):
        return num.end  # "беспилотники в количестве 27 единиц", "... достигло 41"
    of_them = OF_THEM.match(low, num.end)
    if of_them is not None:
        return of_them.end()
    for cue in cues:  # "ещё три заглушено": the verb follows the bare number
        if cue.start >= num.end and cue.family in BARE_VERBS:
            gap = ONLY_SPACE.match(low, num.end, cue.start)
            if gap is not None and gap.end() == cue.start:
                return num.end
            more = MORE_THEN_VERB.match(low, num.end)  # matched to the end: it looks past "more"
            if more is not None and more.end() == cue.start:
                return num.end
            break
    if BARE_TAIL.match(low, num.end) and any(  # "збито/подавлено 98.", "сбит ещё один над"
        c.family in BARE_VERBS and VERB_GAP.fullmatch(low, c.end, num.start) for c in cues
    ):
        return num.end
    return None


_RELATIVE = re.compile(r"[,;]\s+(?:where|which|who|when|где|куда|когда|котор\w*|де|коли|як\w*)\b")
# "большая часть из них", "most of them": a share left unstated of the figure before
_VAGUE_PART = re.compile(
    r"(?<!\w)(?:большая\s+часть|большинство|більша\s+частина|більшість|most\s+of\s+them|"
    r"the\s+majority)(?!\w)"
)


def _role(
    count: Count,
    cues: Sequence[Hit],
    sentences: Sentences,
    low: str,
    next_number: int,
    *,
    launch_ok: bool = True,
) -> str | None:
    """Postposed verb first (up to the next number), else the nearest cue before it.

    "Два БПЛА обнаружены ... и подавлены": detection is passed over for the outcome.
    """
    s_start, s_end = sentences.span(count.sentence, len(low))
    for cue in cues:  # "двух уничтоженных беспилотниках": the participle inside the phrase
        if count.start < cue.start < count.end and cue.family in _ROLE_CUES:
            if cue.family == "hit" and low.startswith(_KIND_WORDS, cue.start):
                continue  # "88 strike and decoy UAVs", "12 ударних БпЛА": a kind, no verb
            if PARTITIVE.search(low, count.start, cue.start):
                break  # "одного из сбитых БПЛА": one of those already counted, no new report
            return ROLE_BY_FAMILY[cue.family]
    for cue in cues:  # "ПВО сбито 7 БПЛА, обломки ...": the verb right before the figure
        if cue.end > count.start:
            break
        if (cue.family in BARE_VERBS or cue.family == "launch") and VERB_GAP.fullmatch(
            low, cue.end, count.start
        ):
            return ROLE_BY_FAMILY[cue.family]
    joined = next_number < len(low) and JOINED_FIGURES.fullmatch(low, count.end, next_number)
    # the verb of "Nineteen of the twenty-two drones the enemy sent ... were brought down" comes
    # after the whole's phrase: the sentence bounds it
    # (up to a relative clause: "..., where officials later said a drone had been shot down")
    relative = None if launch_ok else _RELATIVE.search(low, count.end, s_end)
    cap = (
        count.end + 60
        if launch_ok
        else max(count.end + 60, relative.start() if relative else s_end)
    )
    limit = min(s_end, cap, len(low) if joined else next_number)
    verb_before = any(
        s_start <= c.start and c.end <= count.start and c.family in _ROLE_CUES for c in cues
    )
    if verb_before:
        # "Збито 1 ракету та 84 БпЛА, зафіксовано влучання ...": with a verb before the
        # figure in its sentence, a verb after the next comma is another clause's
        punct = _COMMA.search(low, count.end, limit)  # not a dash: "ще 41 — втрачено"
        limit = punct.start() if punct else limit
    for cue in cues:
        if count.end <= cue.start < limit and cue.family in _ROLE_CUES:
            if next_number < len(low) and VERB_GAP.fullmatch(low, cue.end, next_number):
                break  # "атаки 12 шахедів на Харків збито 10": the verb is the next figure's
            if cue.family == "launch" and not launch_ok:
                continue  # "34 of the 50 drones launched were shot down": the 50 were launched
            vague = (
                _VAGUE_PART.search(low, count.end, cue.start)
                if cue.family in OUTCOME_CUES
                else None
            )
            if vague is not None and len(low[vague.end() : cue.start].split()) <= 3:
                return "launched"  # "налететь 20 беспилотников, большая часть из них уничтожена"
            if (
                ATTRIBUTIVE_CLAUSE.fullmatch(low, count.end, cue.start)
                and ATTRIBUTE.fullmatch(low, cue.start, cue.end)
                and verb_before
            ):
                break  # "сбиты 9 беспилотников, запущенных с ...": the participle describes
                # (with no verb before, "о 112 беспилотниках, уничтоженных за ночь" says it)
            return ROLE_BY_FAMILY[cue.family]
    best: Hit | None = None
    for cue in cues:
        if s_start <= cue.start and cue.end <= count.start and cue.family in ROLE_BY_FAMILY:
            best = cue
    if best is None:
        return _role_said_next(low, cues, sentences, s_end)
    # "атаке двух беспилотников", "удару: 718 БпЛА": drones named by the attack launched it
    if best.family == "hit" and _ATTACK_NOUN.match(low, best.start):
        return "launched"
    return ROLE_BY_FAMILY[best.family]


def _role_said_next(low: str, cues: Sequence[Hit], sentences: Sentences, s_end: int) -> str | None:
    """ "Беспилотников — 12. Столько уничтожили за ночь": the verb comes in the next sentence."""
    if s_end >= len(low) or not THAT_MANY.match(low, s_end):
        return None
    n_end = sentences.span(sentences.index(s_end), len(low))[1]
    for cue in cues:
        if s_end <= cue.start < n_end and cue.family in _ROLE_CUES:
            return ROLE_BY_FAMILY[cue.family]
    return None


_KIND_WORDS = ("strike", "attack", "ударн", "атакуюч", "атакующ")
# "UPD 03:20: и ещё три. С полуночи всего шесть.": a sentence that goes on with the count
_GOES_ON = re.compile(
    r"\s*(?:upd\b[^\n]{0,12}?:\s+|\d{1,2}[:.]\d\d\s*[—–:-]?\s*)?(?:(?:и|і|а|та|and)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:ещ[её]|ще|всего|итого|разом|загалом|усього|всього|another|a\s+further)"
    r"(?!\w)"
    r"|\s*\d{1,2}[:.]\d\d\s*[—–]\s*\w"  # a timeline's next line: "04:05 — один в ..."
)
# a list's next line: "🔹 ...", "1️⃣ ...", "Сумщина — 4", "Кіровоградщина — три;"
_BULLET_LINE = re.compile(
    r"\s*(?:[^\w\s]|\d\ufe0f?\u20e3|[^\W\d][^\n.,;:!?]{1,40}?\s[—–]\s*(?:\d|[^\W\d]+[,;.\n]))"
)


def _numbers_near(
    low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences
) -> list[NumberMatch]:
    """Numbers of the sentences that name drones or an outcome: the only ones that can count
    drones. Reading only that stretch skips the rest of a long post."""
    marks = [h.start for h in nouns] + [c.start for c in cues if c.family in BARE_VERBS]
    if not marks:
        return []
    lo = sentences.span(sentences.index(min(marks)), len(low))[0]
    hi = sentences.span(sentences.index(max(marks)), len(low))[1]
    hi = sentences.span(sentences.index(hi), len(low))[1] if hi < len(low) else hi  # "Його збили 3"
    while hi < len(low):  # the rest of a list under its head, or a night's short updates
        nxt = sentences.span(sentences.index(hi), len(low))[1]
        if _BULLET_LINE.match(low, hi):
            hi = nxt
            continue
        while nxt < len(low) and low[hi:nxt].isspace():  # past the blank lines between updates
            hi, nxt = nxt, sentences.span(sentences.index(nxt), len(low))[1]
        if not (nxt - hi < 60 and _GOES_ON.match(low, hi)):
            break
        hi = nxt
    total = TOTAL_SENTENCE.match(low, hi) if hi < len(low) else None
    if total is not None:  # and its total: "Итого 8." (past the line break before it)
        hi = sentences.span(sentences.index(total.end() - 1), len(low))[1]
    if lo == 0 and hi == len(low):
        return find_numbers(low)
    return find_numbers(low[lo:hi], lo)


def _item(low: str, num: NumberMatch, counts: list[Count], sentence: int) -> int | None:
    """End of a breakdown item that leaves the noun out, if a drone count comes before it."""
    if not counts:
        return None
    line_start = low.rfind("\n", 0, num.start) + 1
    if (  # "🔹 Київщина — 7 збитих дронів\n🔹 Черкащина — 4": the next line of a list (";\n"
        # ends two sentences, so the line before may be two sentences back); its verb may
        # come after the list ("Климовский — 3 БПЛА,\nСуземский — 1.\nВсе сбиты")
        line_start
        and low.rfind("\n", 0, line_start - 1) < counts[-1].start < line_start
        and LIST_LINE_BEFORE.search(low, line_start - 1, num.start)
        and LIST_LINE_AFTER.match(low, num.end)
    ):
        return num.end
    if counts[-1].role is None or counts[-1].sentence < sentence - 1:
        return None
    if ITEM_PLACE_AFTER.match(low, num.end) or MORE_PLACE_AFTER.match(low, num.end):
        return num.end
    before = ITEM_PLACE_BEFORE.search(low, max(0, num.start - 70), num.start)
    if before is not None and ITEM_END.match(low, num.end):
        return num.end
    if (
        ITEM_END.match(low, num.end)
        and SPOKEN_ITEM_BEFORE.search(low, max(0, num.start - 60), num.start)
        and (
            SPOKEN_HEAD_BEFORE.search(low, max(0, counts[-1].start - 20), counts[-1].start)
            or SPOKEN_ITEM_BEFORE.search(low, max(0, counts[-1].start - 60), counts[-1].start)
        )
    ):
        return num.end  # "сообщил о восьми уничтоженных, курский губернатор — о трёх"
    if (
        ONE_CLAUSE.fullmatch(low, counts[-1].end, num.start)
        and ITEM_PLACE_NEXT.match(low, num.end)
        and ITEM_JOINED_BEFORE.search(low, max(0, num.start - 9), num.start)
        and not find_numbers(low[counts[-1].end : num.start])  # right after the count before
    ):
        return num.end  # "2 БПЛА над Льговом и 1 над Рыльском"
    return None


def _figure_end(
    low: str,
    num: NumberMatch,
    nxt: NumberMatch | None,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    counts: list[Count],
    sentence: int,
    launched: bool,
    aside_end: int | None = None,
) -> tuple[int | None, bool, bool]:
    """Where the drone phrase that `num` counts ends (None: it counts something else), whether
    it is a breakdown item without its noun, and whether `nxt` is its launched total (`nxt`
    comes after `aside_end` when an aside in brackets holds a number of its own)."""
    end = _attach(low, num, nouns, cues)
    if end is None and launched:
        return num.end, False, False  # the "33" of "27 ударних БпЛА з 33"
    if end is not None:
        start = max(end, aside_end or end)
        of_next = (
            nxt is not None and start < nxt.start and PARTITIVE.fullmatch(low, start, nxt.start)
        )
        return end, False, bool(of_next)
    if any(_IN_COMMAS.fullmatch(low, n.end, num.start) for n in nouns) and _COMMA.match(
        low, num.end
    ):  # "Больше всего аппаратов, 21, пришлось на Курскую область"
        return num.end, False, False
    if ITEM_AGAIN_BEFORE.search(low, max(0, num.start - 20), num.start) and (
        ITEM_AGAIN_AFTER.match(low, num.end) or _own_outcome_after(low, num, cues)
    ):  # "а вночі — ще чотири", "and another three over ...": after one drone stated singly too
        return num.end, bool(counts) and counts[-1].role is not None, False
    end = _item(low, num, counts, sentence)
    if end is not None:
        return end, True, False
    if (  # "ПВО уничтожила беспилотники: 20 — над Ростовской областью, 12 — над ..."
        _COLON_BEFORE.search(low, max(0, num.start - 4), num.start)
        and ITEM_PLACE_AFTER.match(low, num.end)
        and any(0 <= num.start - n.end < 80 for n in nouns)
    ):
        return num.end, False, False
    if _list_line_figure(low, num, nouns, cues):
        return num.end, bool(counts) and counts[-1].role is not None, False
    if (  # "shot down 61 ... out of 101 launched", "сбиты 30 из 35 запущенных"
        counts
        and counts[-1].role in DESTROYED_ROLES
        and WHOLE_BEFORE.search(low, max(0, num.start - 40), num.start)
        and any(c.family == "launch" and low[num.end : c.start].isspace() for c in cues)
    ):
        return num.end, False, False
    if nxt is not None and PARTITIVE.fullmatch(low, aside_end or num.end, nxt.start):  # "30 из 35"
        end = _attach(low, nxt, nouns, cues)
        if end is None and counts and counts[-1].value == nxt.value:
            end = nxt.end  # "запустив 14 БпЛА ... збили одинадцять із чотирнадцяти"
        if end is not None:
            return end, False, True
    return None, False, False


def _own_outcome_after(low: str, num: NumberMatch, cues: Sequence[Hit]) -> bool:
    """ "а ещё два наши средства РЭБ посадили": the item's outcome after a short subject (not
    "ще 12 імітаторів зникли з радарів": lost from radar is no outcome of the list)."""
    return any(
        c.family in OUTCOME_CUES
        and c.start > num.end
        and SUBJECT_GAP.fullmatch(low, num.end, c.start)
        for c in cues
    )


_COMMA = re.compile(r"[,;]")
# "53 (раніше повідомляли про 48) з 70": an aside in brackets between a figure and its whole
_ASIDE = re.compile(r"\s*\([^()\n]{1,80}\)")
_PLACE_OPENING = re.compile(r"[\W\d_]*(?:над|в|у|під|под|over|in)\s+(?!(?:total|всего|общей)\b)")
_SENTENCE_END = re.compile(r"[.!?\n]")
_IN_COMMAS = re.compile(r"[^\S\n]*,[^\S\n]*")
_COLON_BEFORE = re.compile(r":[ \t]*\Z")  # inline; a list on lines of its own is read as a list
_SENTENCE_INSIDE = re.compile(r"[.!?](?![\n\d])")  # not "20.00" either


def _list_head(low: str, pos: int) -> tuple[int, int] | None:
    """(start, colon) of the line that heads a list, for a figure on a line of its own under it."""
    colon = low.rfind(":", max(0, pos - 300), pos)
    if colon < 0 or "\n" not in low[colon:pos] or _SENTENCE_INSIDE.search(low, colon, pos):
        return None
    return low.rfind("\n", 0, colon) + 1, colon


def _list_head_role(low: str, cues: Sequence[Hit], pos: int) -> str | None:
    """ "ППО знешкоджено 178 цілей:\n▪️ 4 крилаті ракети;\n▪️ 174 ворожі БпЛА.": an item on
    a line of its own under a line that ends with a colon takes that line's verb."""
    head = _list_head(low, pos)
    if head is None:
        return None
    line_start, colon = head
    role = None
    for cue in cues:
        if cue.start >= colon:
            break
        if cue.start >= line_start and cue.family in _ROLE_CUES:
            role = ROLE_BY_FAMILY[cue.family]
    return role


def _destroyed_before(cues: Sequence[Hit], num: NumberMatch) -> Hit | None:
    """The last outcome verb before a figure (a drone reported singly: "сбит беспилотник")."""
    verbs = [
        c for c in cues if c.end <= num.start and c.family in BARE_VERBS and c.family != "lost"
    ]
    return verbs[-1] if verbs else None


def _launched_before(cues: Sequence[Hit], sentences: Sentences, num: NumberMatch) -> bool:
    """A launch verb in this sentence or the one before, and no outcome verb after it."""
    first = sentences.span(max(0, sentences.index(num.start) - 1), num.start)[0]
    last = None
    for c in cues:
        if first <= c.start < num.start and (c.family == "launch" or c.family in BARE_VERBS):
            last = c
    return last is not None and last.family == "launch"


def _missile_before(low: str, nouns: Sequence[Hit], pos: int) -> bool:
    """A missile named after the last drone noun before `pos`."""
    last = max((n.end for n in nouns if n.end <= pos), default=0)
    return MISSILE_WORD.search(low, last, pos) is not None


def _list_line_figure(
    low: str, num: NumberMatch, nouns: Sequence[Hit], cues: Sequence[Hit]
) -> bool:
    """ "ПВО сбивала беспилотники:\n▪️ с 20.00 до 23.00 мск — 12 над ...": a figure on a list
    line under a head that names drones and an outcome, the figure after a dash."""
    line_start = low.rfind("\n", 0, num.start) + 1
    if not LIST_LINE_BEFORE.search(low, max(0, line_start - 1), num.start):
        return False
    head = _list_head(low, num.start) if LIST_LINE_AFTER.match(low, num.end) else None
    if head is None or _list_head_role(low, cues, num.start) is None:
        return False
    return any(head[0] <= n.start < head[1] for n in nouns)


# "разом три над містом за ніч.": a total, then where and when
_PLACE_THEN_END = re.compile(
    r"\s+(?:над|в|у|по|over|in)\s+[^\W\d]+(?:\s+(?:за|в|у|over|in)\s+[^\W\d]+)?\s*(?:[.;!\n]|$)"
    # "— итого 18 за сутки.": the period the total is for
    r"|\s+(?:за|over|in)\s+(?:the\s+)?(?:сутки|ночь|день|добу|ніч|день|night|day)\s*(?:[.;!\n]|$)"
)
_CLAUSE_EDGE = ".,;:!?\n—–"


_LEAD_SPACE = re.compile(r"\W*")
# "Two days ago we warned ..., and tonight 14 drones were shot down": the sentence turns to now
_TONIGHT = re.compile(TONIGHT_WORD)


def _past_day_clause(low: str, num: NumberMatch, sentences: Sentences) -> bool:
    """Whether the figure's clause tells of an earlier day ("Там же неделю назад сбили 11"),
    or its sentence opens with one ("A week ago an attack was repelled, with five downed")."""
    if PAST_DAY.search(low, *span_within(low, num.start, num.end, _CLAUSE_EDGE)) is not None:
        return True
    start, end = sentences.span(sentences.index(num.start), len(low))
    opening = PAST_DAY.match(low, _LEAD_SPACE.match(low, start).end(), num.start)
    return opening is not None and _TONIGHT.search(low, opening.end(), end) is None


_THEN_PARTS = re.compile(r"\s*[,:]\s*")  # "за ніч — сім, шість збили зенітники, одного ..."
_LIST_COLON = re.compile(r"(?<!\d):|:(?!\d)")  # a list's colon, not the one of "08:30"
_CHAIN_JOIN = re.compile(r"\s*[,;]?\s*(?:и|і|та|й|and)?\s*")


def _places_chain_before(
    low: str, numbers: Sequence[NumberMatch], k: int, counted: set[int]
) -> list[NumberMatch]:
    """ "над Белгородской — 7, над Курской — 4, над Брянской — 2 БПЛА уничтожены": the
    figures of the places listed before the one that names the noun, left to right."""
    chain: list[NumberMatch] = []
    pos = numbers[k].start
    for j in range(k - 1, -1, -1):
        before = ITEM_PLACE_BEFORE.search(low, max(0, pos - 70), pos)
        n = numbers[j]
        if before is None or n.start in counted or n.end > before.start():
            break
        if not _CHAIN_JOIN.fullmatch(low, n.end, before.start()):
            break
        if ITEM_PLACE_BEFORE.search(low, max(0, n.start - 70), n.start) is None:
            break
        chain.append(n)
        pos = n.start
    return chain[::-1]


def _continue_list(count: Count, prev: Count, low: str) -> None:
    """ "..., над Новороссийском — три": the verb of the count before; "27 БПЛА: 12 — над",
    "из них 40 — над ..., 31 — над ...": a list under a total goes on breaking it down."""
    count.role = prev.role
    gap = low[prev.end : count.start].split("\n", 1)[0]  # not the colon of a new bullet line
    count.breakdown = count.breakdown or prev.breakdown or bool(_LIST_COLON.search(gap))


def _own_verb_after(low: str, cues: Sequence[Hit], start: int) -> bool:
    """A role cue in the clause that follows `start` ("13 из них уничтожены")."""
    m = CLAUSE_PUNCT.search(low, start)
    clause_end = m.start() if m else len(low)
    return any(start <= c.start < clause_end and c.family in _ROLE_CUES for c in cues)


def _relate(
    count: Count, counts: list[Count], low: str, number_end: int, cues: Sequence[Hit]
) -> None:
    """What an earlier count becomes in the light of this one."""
    if count.role in DESTROYED_ROLES and OF_THEM.match(low, number_end):
        if not _own_verb_after(low, cues, number_end):
            count.breakdown = True  # "five were shot down, two of them near Rylsk"
        else:
            for prev in counts[::-1]:  # "отражена атака 15 БПЛА ..., 13 из них уничтожены"
                if prev.sentence >= count.sentence - 1 and prev.role is None:
                    prev.role = "launched"  # "летели 13 дронов, 11 из них ПВО уничтожили"
                    break
                if prev.sentence >= count.sentence - 1 and prev.role in DESTROYED_ROLES:
                    if _ATTACK_NOUN.search(low, max(0, prev.start - 30), prev.start):
                        prev.role = "launched"
                    else:  # "destroyed 84 drones. 31 of them were downed over Bryansk"
                        count.breakdown = True
                break
    if count.all_of and count.role in DESTROYED_ROLES:
        for prev in counts:  # "атака пятнадцати беспилотников — все пятнадцать уничтожены"
            if prev.value == count.value and prev.sentence >= count.sentence - 1:
                prev.role = "launched"
    for prev in counts:  # after "N БПЛА:" the items of the list break the total down
        if prev.sentence != count.sentence or count.total:
            continue  # "о четырёх ..., цифру уточнили: уничтожено три" corrects, no item
        gap = low[prev.end : count.start]
        if _LIST_COLON.search(gap) or (DASH_OPENS.match(gap) and not count.also and not prev.item):
            if prev.role is None and count.role in DESTROYED_ROLES:
                prev.role = "launched"  # "летели 6 «шахедов»: 4 сбили, 2 попали в здание"
            # "дев'ять безпілотників — шість збили, три подавили" breaks the nine down; the
            # parts of a launched figure add up ("атаковал 15 БПЛА: 10 сбиты, 5 подавлены")
            count.breakdown = count.breakdown or prev.role != "launched"


# "two each over Lipetsk and Tambov": the figure is said once for every place that follows
_EACH_PLACE = r"(?:the\s+)?[\w'-]+(?:\s+(?!and\b)[\w'-]+)?"  # "Tula", "Nizhny Novgorod"
_EACH_OVER = re.compile(
    r"(?:\s+(?:drones?|uavs?))?\s+each\s+(?:(?:were|was)\s+)?(?:(?:shot\s+down|downed|destroyed"
    r"|intercepted)\s+)?"  # "two drones each were shot down over X and Y"
    rf"(?:over|in|above)\s+{_EACH_PLACE}((?:\s*,\s*{_EACH_PLACE})*\s+and\s+{_EACH_PLACE})"
)
# "и по одному над Тульской и Московской областями": "по" before the figure says the same
# a place, not a figure: "над Брянской областью и три над Курской" is no second place
_NOT_FIGURE = (
    r"(?!(?:ещ[её]|ще|один|одна|одно|одному|одній|два|две|дві|три|четыре|чотири|пять|п'ять|шесть|"
    r"шість|семь|сім|восемь|вісім|девять|дев'ять|десять|\w+дцать|\w+дцять)\b)"
)
_EACH_PLACE_RU = rf"{_NOT_FIGURE}[^\W\d][\w'-]*(?:\s+(?!и\b|і\b|та\b){_NOT_FIGURE}[^\W\d][\w'-]*)?"
_BY_EACH = re.compile(
    # "по два беспилотника сбиты над X и Y"; a dative noun is aimed at: "по пяти дронам над X и Y"
    r"(?:\s+(?:беспилотник|безпілотник|дрон|бпла|аппарат|апарат|шахед)\w*(?<![ао]м)(?<!ям)"
    r"(?<![аяо]х))?"  # nor a locative: "по двох шахедах над Києвом та Броварами" is aimed at
    # the verb: "сбиты", "збито"
    r"(?:\s+(?:были\s+|було\s+)?(?!(?:над|в|у)\b)[^\W\d]+(?<![аяое]м)(?<![аяо]х))?"
    rf"\s+(?:над|в|у)\s+{_EACH_PLACE_RU}"
    rf"((?:\s*,\s*{_EACH_PLACE_RU})*\s+(?:и|і|та|й)\s+{_EACH_PLACE_RU})"
)
_JOINER = re.compile(r",|\b(?:and|и|і|та|й)\b")


def places_each(low: str, start: int, end: int) -> int:
    """How many places the figure at start..end is said for: 2 in "two each over X and Y" and
    in "по одному над X и Y"."""
    each = _EACH_OVER.match(low, end)
    if each is None and low.endswith("по ", 0, start):
        each = _BY_EACH.match(low, end)
    return 1 if each is None else 1 + len(_JOINER.findall(each.group(1)))


def _raised_to(low: str, num: NumberMatch) -> bool:
    return low.endswith("to ", 0, num.start) and bool(
        RAISED_TO.search(low, max(0, num.start - 130), num.start)
    )


def _two_counted(counts: list[Count], sentence: int) -> bool:
    return any(
        c.value == 2 and c.role in DESTROYED_ROLES and c.sentence >= sentence - 1 for c in counts
    )


def collect_counts(
    low: str,
    nouns: Sequence[Hit],
    cues: Sequence[Hit],
    sentences: Sentences,
    muted: frozenset[int] = frozenset(),
):
    counts: list[Count] = []
    numbers = _numbers_near(low, nouns, cues, sentences)
    launched_of: set[int] = set()  # numbers that are the "35" of "30 из 35"
    corrected: dict[int, int] = {}  # the "пять" of "не три, а пять", and the three
    replaced: set[int] = set()  # the "п'ятнадцять" of "сімнадцять, а не п'ятнадцять"
    past_day = PAST_DAY_HINT.search(low) is not None  # most posts name no earlier day
    got_through = any(w in low for w in GOT_THROUGH_HINTS)  # nor a drone that got through
    period = any(w in low for w in PERIOD_HINTS)  # nor a period's count
    for k, num in enumerate(numbers):
        nxt = numbers[k + 1] if k + 1 < len(numbers) else None
        prefix = low[max(0, num.start - 40) : num.start]
        if k in replaced:
            continue
        if nxt and NOT_BEFORE.search(prefix) and BUT_AFTER.fullmatch(low, num.end, nxt.start):
            corrected[k + 1] = num.value
            continue
        rather = bool(nxt and RATHER_THAN.fullmatch(low, num.end, nxt.start))
        if rather:
            replaced.add(k + 1)
        if (
            EARLIER_BEFORE.search(prefix)
            or (
                (nxt is not None or counts)  # beside other figures, not the post's only one
                and EARLIER_SOURCE_BEFORE.search(prefix)
                and not MORE_LATER.search(low, num.end)
            )
            or (past_day and _past_day_clause(low, num, sentences))
            or (got_through and GOT_THROUGH.match(low, num.end))
            or (period and PERIOD_BEFORE.search(low, max(0, num.start - 80), num.start))
            or (
                prefix.endswith(("makes ", "made "))
                and THAT_MAKES_BEFORE.search(prefix)
                and not DRONES_NEXT.match(low, num.end)
            )
        ):
            continue  # "ранее сообщалось о 19 уничтоженных": the figure being corrected
        sentence = sentences.index(num.start)
        if sentence in muted:
            continue  # "С начала спецоперации общее число ... достигло 71 412"
        if num.text in BOTH and (
            _missile_before(low, nouns, num.start) or _two_counted(counts, sentence)
        ):
            continue  # "по двум беспилотникам — оба уничтожены": the two are counted
        whole_at = k + 1
        if (  # "збито 53 (раніше повідомляли про 48) з 70": the whole after an aside
            nxt is not None
            and k + 2 < len(numbers)
            and (aside := _ASIDE.match(low, num.end)) is not None
            and nxt.end <= aside.end() <= numbers[k + 2].start
        ):
            whole_at = k + 2
        end, item, of_next = _figure_end(
            low,
            num,
            numbers[whole_at] if whole_at > k + 1 else nxt,
            nouns,
            cues,
            counts,
            sentence,
            k in launched_of,
            aside_end=aside.end() if whole_at > k + 1 and aside else None,
        )
        if end is None and k in corrected:
            end = num.end  # "не 8 беспилотников, как я писал, а 11": the noun of the first
        s_start = sentences.span(sentence, len(low))[0]
        total_sentence = bool(
            TOTAL_SENTENCE.match(low, s_start) and not any(c.sentence == sentence for c in counts)
        )
        raised = _raised_to(low, num)  # "raised the number of drones ... to 16"
        if (
            end is None
            and (
                counts[-1].role in DESTROYED_ROLES
                if counts
                else _destroyed_before(cues, num) or _launched_before(cues, sentences, num)
            )
            and (total_sentence or TOTAL_BEFORE.search(prefix) or raised)
            and (
                rather
                or raised
                or CLAUSE_END.match(low, num.end)
                or _PLACE_THEN_END.match(low, num.end)
                or (nxt is not None and _THEN_PARTS.fullmatch(low, num.end, nxt.start))
            )
        ):
            end = num.end  # "... и четыре — под утро. Всего за ночь — 11.", "за ніч — сім, шість"
        if end is None or (end == num.end and not item and _missile_before(low, nouns, num.start)):
            continue  # "ракети Х-59/69 — 3 збито": a bare figure after a missile counts those
        if of_next:
            launched_of.add(whole_at)
        value = num.value * places_each(low, num.start, num.end)
        count = Count(value, num.start, end, sentence, item=item)
        count.approx = bool(APPROX_BEFORE.search(prefix)) and not RUNNING_TOTAL_BEFORE.search(
            prefix
        )  # "выросло до 16" is no "до 16"
        count.total = (
            k in corrected
            or rather
            or total_sentence
            or bool(TOTAL_BEFORE.search(prefix))
            or bool(RUNNING_TOTAL_BEFORE.search(prefix))
            or raised
            or (  # a running count is no smaller than what it sums
                bool(SO_FAR_BEFORE.search(prefix))
                and any(c.role in DESTROYED_ROLES for c in counts)
                and value >= sum(c.value for c in counts if c.role in DESTROYED_ROLES)
            )
        )
        count.also = bool(ALSO_BEFORE.search(prefix))
        count.corrects = corrected.get(k, nxt.value if rather and nxt else None)
        count.breakdown = bool(BREAKDOWN_BEFORE.search(prefix)) or (
            any(c.value > num.value and c.role in DESTROYED_ROLES for c in counts)
            and bool(
                MOST_OPENING.fullmatch(low, s_start, num.start)
                # "119 из них сбиты. Над Краснодарским краем и Ростовской областью уничтожено в
                # общей сложности 48": a total of some places is a part of the night's
                or (count.total and _PLACE_OPENING.match(low, s_start))
            )
        )
        count.total = count.total and not count.breakdown
        if (
            count.also
            and counts
            and counts[-1].breakdown
            and not _SENTENCE_END.search(low, counts[-1].end, num.start)
            # of a destroyed total above it, not of a launched one ("shot down 51 of them, and
            # another 17 were suppressed" adds)
            and any(c.role in DESTROYED_ROLES and c.value > counts[-1].value for c in counts[:-1])
        ):
            count.breakdown = True  # "Больше всего, 21, — на Курскую; ещё 12 — на Белгородскую"
        if count.also and any(
            c.corrects is not None
            and c.value - c.corrects == value
            and not OVER_PLACE.search(low, *sentences.span(c.sentence, len(low)))
            and not OVER_LAND.search(low, *sentences.span(sentence, len(low)))
            for c in counts
        ):
            count.breakdown = True  # "не шесть, а восемь. Доклад ещё о двух ...": the difference
            # (not "над Курской ... 14, а не 11. Ещё три над Брянской": another place's)
        count.all_of = bool(ALL_BEFORE.search(prefix))
        if k in launched_of or (WHOLE_BEFORE.search(prefix) and not item):
            count.role = "launched"
        elif item:
            _continue_list(count, counts[-1], low)
            more = MORE_VERB.match(low, num.end)
            own = next((c for c in cues if more and c.start == more.end()), None)
            if own is not None:
                count.role = ROLE_BY_FAMILY[own.family]
        else:
            whole = whole_at in launched_of  # "30 из 35 БПЛА": the verb comes after the whole
            # "Eight drones, not six as first reported, were shot down": past the replaced one
            nth = whole_at + 1 if whole else k + 2
            after = numbers[nth].start if (whole or rather) and nth < len(numbers) else len(low)
            limit = after if whole or rather else nxt.start if nxt else len(low)
            count.role = _role(count, cues, sentences, low, limit, launch_ok=not whole)
            if (
                count.total
                and count.role in ("crashed", "hit")
                and RUNNING_TOTAL_BEFORE.search(prefix)
                and (verb := _destroyed_before(cues, num))
            ):  # "later put the number at 32 and said falling debris had damaged a roof"
                count.role = ROLE_BY_FAMILY[verb.family]
            if (
                count.role is None
                and count.breakdown
                and (verb := _destroyed_before(cues, num))
                and sentences.index(verb.start) >= sentence - 1
            ):  # "знешкоджених цілей — 63. Серед них 60 ударних БпЛА та три ракети"
                count.role = ROLE_BY_FAMILY[verb.family]
            if (
                count.role is None
                and count.also
                and end == num.end  # bare: "ще один.", "ещё два, на подлёте"
                and ITEM_AGAIN_AFTER.match(low, num.end)
                and (verb := _destroyed_before(cues, num))
                and sentences.index(verb.start) >= sentence - 2
            ):  # "01:12 — збито перший шахед.\n01:30 — ще один.": more of the same
                count.role = ROLE_BY_FAMILY[verb.family]
            if count.role is None and count.total and counts and counts[-1].role is not None:
                count.role = counts[-1].role  # "Сбиты три БПЛА. Итого за сутки — 9 БПЛА"
            elif count.role is None and count.total and (verb := _destroyed_before(cues, num)):
                count.role = ROLE_BY_FAMILY[verb.family]  # "Сбит беспилотник. Всего за утро — три."
            elif count.role is None and count.total and _launched_before(cues, sentences, num):
                count.role = "launched"  # "Ворог запускав ударні БпЛА з ... Усього — сімдесят два."
            if (
                count.role == "launched"
                and count.also
                and STRUCK_AFTER.match(low, count.end)
                and any(c.role == "launched" for c in counts)
            ):
                count.role = "hit"  # "выпустили 31 беспилотник. ... ещё 4 дрона атаковали Курчатов"
            if count.role is None:
                count.role = _list_head_role(low, cues, num.start)
                count.item = count.role is not None  # summed, unless a total says the same
            _relate(count, counts, low, num.end, cues)
        if not item and count.role is not None:
            chain = _places_chain_before(low, numbers, k, {c.start for c in counts})
            counts.extend(
                Count(n.value, n.start, n.end, sentence, role=count.role, item=True) for n in chain
            )
            count.item = count.item or bool(chain)
        counts.append(count)
    return counts
