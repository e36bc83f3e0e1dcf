"""How many drones were destroyed, and how many were launched, as the post states them.

A count belongs to drones when it stands before a drone noun (a few adjectives and quotes
may sit between: "49 украинских беспилотных летательных аппаратов", "7‼️дронів",
"п'ять ворожих «Шахедів»"), or when it has no noun but an outcome verb right beside it in a
post about drones ("ещё три заглушено", "ліквідували 15 з них"). Its role comes from the
nearest cue: a verb after the noun phrase first ("Атака шести БПЛА отражена", "7 БПЛА було
локаційно втрачено"), otherwise the nearest one before it in the sentence. Destroyed =
destroyed + intercepted + suppressed (EW) + repelled; "locationally lost", crashed and hit
are not. A breakdown after a total ("уничтожены 21 БПЛА: 7 — над ...", "including 42")
is not added again; an approximate figure ("более 60", "понад 40") makes the total unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classify.numbers import NumberMatch, find_numbers
from bot.classify.scanner import Cue as Hit  # the classifier passes its cues on as they are
from bot.classify.text import Sentences
from bot.models import Evidence

# Between a count and its drone noun: adjectives, "ещё", quotes, emoji, a dash.
_ADJ = (
    r"(?:[а-яіїєґ'-]{3,}(?:ых|их|ий|ый|ой|ая|ые|ие|ими|ыми|ого|его|ую|ій|ої|ою|і|ні)"
    r"|ещ[её]|ще|всего|усього|всього|более|"
    r"ukrainian|russian|enemy|hostile|more|other|additional|fixed-wing|aircraft-type|"
    r"long-range|iranian-made|attack|strike|kamikaze|jet-powered|of\s+the|из|з|of)"
)
_GAP = re.compile(rf"[\s\W_]{{0,6}}(?:{_ADJ}[\s\W_]{{1,6}}){{0,4}}")
_BARE_TAIL = re.compile(r"\s*(?:[,.;:!?)—–-]|$)|\s+(?:на|над|в|у|over|in)\s")
_NOUN_THEN_COUNT = re.compile(r"\s*[:—–-]\s*")
_CLAUSE_END = re.compile(r"\s*(?:шт\.?|од\.?|units?)?\s*(?:[.;!\n]|$)")
# "сбиты 30 из 35 беспилотников", "shot down 30 out of 35 drones": destroyed of launched.
_PARTITIVE = re.compile(r"\s+(?:из|з|із|out\s+of|of)\s+(?:the\s+)?")
_VERB_GAP = re.compile(r"[\s/]{0,3}(?:(?:ещ[её]|ще|also|another)\s+)?")
_ONLY_SPACE = re.compile(r"\s*(?:ещ[её]\s+|ще\s+|було\s+|были?\s+|were\s+|was\s+)?")
_OF_THEM = re.compile(r"\s+(?:(?:з|из)\s+(?:них|яких|которых)|of\s+(?:them|which))\b")
_BREAKDOWN_BEFORE = re.compile(
    r"(?:в\s+том\s+числе|в\s+т\.\s*ч\.|из\s+них|з\s+них|у\s+тому\s+числі|including|"
    r"among\s+them|of\s+which|of\s+them)[\s,:]*(?:[\w'-]+\s+){0,1}$"
)
_APPROX_BEFORE = re.compile(
    r"(?:более|свыше|около|почти|порядка|примерно|до|понад|більше|близько|майже|приблизно|"
    r"щонайменше|не\s+менее|не\s+менше|десятки|more\s+than|over|about|around|nearly|almost|"
    r"up\s+to|at\s+least|roughly|some|approximately)\s+$"
)
_TOTAL_BEFORE = re.compile(
    r"(?:всего|в\s+общей\s+сложности|итого|загалом|усього|всього|in\s+total|a\s+total\s+of|"
    r"total\s+of)[\s,:]*(?:\S+\s+){0,3}$"
)
_ALL_BEFORE = re.compile(r"(?:все|всех|всі|усі|усіх|всіх|all|all\s+the)\s+$")
_ALSO_BEFORE = re.compile(r"(?:ещ[её]|также|кроме\s+того|ще|також|another|also|further)\s+\S*\s*$")
_VAGUE = re.compile(
    r"(?<!\w)(?:несколько|нескольких|ряд|кілька|декілька|кількох|several|multiple|"
    r"numerous|dozens|десятки|десятков|більшість|большинство|most)(?!\w)"
)
_SINGULAR_NOUN = re.compile(
    r"(?:беспилотник(?:а|ом)?|беспилотн(?:ый|ого|ым)\b|безпілотник(?:а|ом)?|безпілотн(?:ий|ого|им)\b|"
    r"дрон(?:а|ом)?|(?:fpv|фпв)-?дрон(?:а)?|(?:квадро)?коптер(?:а)?|"
    r"(?:the |a |an |one )?(?:drone|uav|unmanned aerial vehicle|uncrewed aerial vehicle))$"
)
_ABBREV = re.compile(r"(?:бп?ла|uav)$")
# "обломки сбитого беспилотника", "a downed drone": the outcome describes, it does not report.
_ATTRIBUTE = re.compile(r"\w+(?:ого|ому|ым|ых|ой|ую|ая|ые|ої|ій|их|ими|ої|ого)$")
_ATTRIBUTE_BEFORE = re.compile(r"(?:\ba|\bthe|\bfrom|\bof)\s+$")
_PRONOUN_START = re.compile(r"\s*(?:его|його|он|він|it)\b")
_ATTRIBUTIVE_CLAUSE = re.compile(r"\s*,\s*")
# Items of a breakdown that leave the noun out: "над Ейском — четыре, над Новороссийском —
# три", "ещё один — над Воронежской областью", "two more over the Moscow region".
_ITEM_PLACE_AFTER = re.compile(r"\s*[—–-]\s*(?:над|в|у|на|по|під|под|біля|около|over|in)\s")
_ITEM_PLACE_BEFORE = re.compile(
    r"(?:^|[\s,;])(?:над|в|у|на|по|під|под|біля|около|over|in)\s+[^.,;:!?\n—–]{2,60}?\s*[—–]\s*$"
)
_ITEM_END = re.compile(r"\s*(?:[,.;!\n]|и\s|і\s|й\s|та\s|$)")
_MORE_PLACE_AFTER = re.compile(r"\s+more\s+(?:\w+\s+)?(?:over|in|above|near|were|was)\b")
# "сбиты не три, а пять беспилотников": the figure is corrected, the first one is void.
_NOT_BEFORE = re.compile(r"(?<!\w)(?:не|not)\s+$")
_BUT_AFTER = re.compile(r"\s*,?\s*(?:а|but)\s+")
# "Противник атаковал пятью беспилотниками. Все они уничтожены": all that were launched.
_ALL_DESTROYED = re.compile(
    r"(?<!\w)(?:все|всі|усі)\s+(?:они|вони|из\s+них|з\s+них|\w+\s+)?(?:были\s+|було\s+)?"
    r"(?:уничтожен|сбит|збит|знищен|подавлен|перехвачен|перехоплен)"
    r"|(?<!\w)all\s+(?:of\s+them\s+|\w+\s+)?(?:were\s+)?(?:shot\s+down|destroyed|downed|intercepted)"
)
# "431 цель сбита": in a post about drones with no missile, the targets are the drones.
_TARGET_NOUN = re.compile(r"(?:цел(?:ь|и|ей)|ціл(?:ь|і|ей)|targets?)(?!\w)")
# "уничтожен один беспилотник, второй подавлен": the second one adds one more.
_SECOND = re.compile(
    r"(?<!\w)(?:второй|второго|вторий|другий|третий|третього|третій|a\s+second|the\s+second|"
    r"a\s+third|the\s+third)\s+(?:\w+\s+){0,2}?"
    r"(?:сбит|подавлен|уничтожен|перехвачен|збит|збитий|подавлений|знищений|перехоплений|"
    r"(?:was\s+)?(?:shot\s+down|destroyed|intercepted|jammed|suppressed|downed))\b"
)
_SECOND_WORDS = (
    "втор",
    "другий",
    "трет",
    "second",
    "third",
)  # one of these is in every match of _SECOND
_SINGULAR_VERB = re.compile(
    r"^(?:сбит|уничтожен|перехвачен|подавлен|збитий|знищений|перехоплений|подавлений|"
    r"shot down|destroyed|intercepted|downed)$"
)

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
_BARE_VERBS = frozenset({"destroy", "intercept", "suppress", "repel", "lost"})
_ROLE_CUES = frozenset(ROLE_BY_FAMILY) - {"detect"}  # "обнаружены и подавлены": skip to the outcome
DESTROYED_ROLES = frozenset({"destroyed", "intercepted", "suppressed"})
_MISSILE_FAMILIES = frozenset({"missile", "missile_threat", "guided_bomb"})


@dataclass(frozen=True, slots=True)
class Counts:
    destroyed: int | None
    launched: int | None
    outcomes: frozenset[str]
    evidence: tuple[Evidence, ...]


@dataclass(slots=True)
class _Count:
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


def _attach(low: str, num: NumberMatch, nouns: Sequence[Hit], cues: Sequence[Hit]) -> int | None:
    """End of the drone phrase this number counts, or None if it counts something else."""
    for noun in nouns:  # "Сбито беспилотников — 12.": the noun first, the figure closing it
        if (
            noun.end <= num.start
            and _NOUN_THEN_COUNT.fullmatch(low, noun.end, num.start)
            and _CLAUSE_END.match(low, num.end)
        ):
            return num.end
    for noun in nouns:
        if noun.start >= num.end:
            gap = _GAP.match(low, num.end, noun.start)
            if gap is not None and gap.end() == noun.start:
                return noun.end
            break
    of_them = _OF_THEM.match(low, num.end)
    if of_them is not None:
        return of_them.end()
    for cue in cues:  # "ещё три заглушено": the verb follows the bare number
        if cue.start >= num.end and cue.family in _BARE_VERBS:
            gap = _ONLY_SPACE.match(low, num.end, cue.start)
            if gap is not None and gap.end() == cue.start:
                return num.end
            break
    if _BARE_TAIL.match(low, num.end) and any(  # "збито/подавлено 98.", "сбит ещё один над"
        c.family in _BARE_VERBS and _VERB_GAP.fullmatch(low, c.end, num.start) for c in cues
    ):
        return num.end
    return None


def _role(
    count: _Count, cues: Sequence[Hit], sentences: Sentences, low: str, next_number: int
) -> str | None:
    """Postposed verb first (up to the next number), else the nearest cue before it.

    "Два БПЛА обнаружены ... и подавлены": detection is passed over for the outcome.
    """
    s_start, s_end = sentences.span(count.sentence, len(low))
    for cue in cues:  # "двух уничтоженных беспилотниках": the participle inside the phrase
        if count.start < cue.start < count.end and cue.family in _ROLE_CUES:
            if _PARTITIVE.search(low, count.start, cue.start):
                break  # "одного из сбитых БПЛА": one of those already counted, no new report
            return ROLE_BY_FAMILY[cue.family]
    for cue in cues:  # "ПВО сбито 7 БПЛА, обломки ...": the verb right before the figure
        if cue.end > count.start:
            break
        if cue.family in _BARE_VERBS and _VERB_GAP.fullmatch(low, cue.end, count.start):
            return ROLE_BY_FAMILY[cue.family]
    limit = min(s_end, count.end + 60, next_number)
    for cue in cues:
        if count.end <= cue.start < limit and cue.family in _ROLE_CUES:
            if _ATTRIBUTIVE_CLAUSE.fullmatch(low, count.end, cue.start) and _ATTRIBUTE.fullmatch(
                low, cue.start, cue.end
            ):
                break  # "сбиты 9 беспилотников, запущенных с ...": the participle describes
            return ROLE_BY_FAMILY[cue.family]
    best: Hit | None = None
    for cue in cues:
        if s_start <= cue.start and cue.end <= count.start and cue.family in ROLE_BY_FAMILY:
            best = cue
    if best is None:
        return None
    # "атаке двух беспилотников", "удару: 718 БпЛА": drones named by the attack launched it
    if best.family == "hit" and _ATTACK_NOUN.match(low, best.start):
        return "launched"
    return ROLE_BY_FAMILY[best.family]


def _numbers_near(
    low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences
) -> list[NumberMatch]:
    """Numbers of the sentences that name drones or an outcome: the only ones that can count
    drones. Reading only that stretch skips the rest of a long post."""
    marks = [h.start for h in nouns] + [c.start for c in cues if c.family in _BARE_VERBS]
    if not marks:
        return []
    lo = sentences.span(sentences.index(min(marks)), len(low))[0]
    hi = sentences.span(sentences.index(max(marks)), len(low))[1]
    hi = sentences.span(sentences.index(hi), len(low))[1] if hi < len(low) else hi  # "Його збили 3"
    if lo == 0 and hi == len(low):
        return find_numbers(low)
    return find_numbers(low[lo:hi], lo)


def _item(low: str, num: NumberMatch, counts: list[_Count], sentence: int) -> int | None:
    """End of a breakdown item that leaves the noun out, if a drone count comes before it."""
    if not counts or counts[-1].sentence < sentence - 1 or counts[-1].role is None:
        return None
    if _ITEM_PLACE_AFTER.match(low, num.end) or _MORE_PLACE_AFTER.match(low, num.end):
        return num.end
    before = _ITEM_PLACE_BEFORE.search(low, max(0, num.start - 70), num.start)
    if before is not None and _ITEM_END.match(low, num.end):
        return num.end
    return None


def _collect(low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences):
    counts: list[_Count] = []
    numbers = _numbers_near(low, nouns, cues, sentences)
    launched_of: set[int] = set()  # numbers that are the "35" of "30 из 35"
    corrected: set[int] = set()  # the "пять" of "не три, а пять"
    for k, num in enumerate(numbers):
        prefix = low[max(0, num.start - 40) : num.start]
        if (
            k + 1 < len(numbers)
            and _NOT_BEFORE.search(prefix)
            and _BUT_AFTER.fullmatch(low, num.end, numbers[k + 1].start)
        ):
            corrected.add(k + 1)
            continue
        end = _attach(low, num, nouns, cues)
        if end is None and k in launched_of:
            end = num.end  # the "33" of "27 ударних БпЛА з 33"
        elif (
            end is not None
            and k + 1 < len(numbers)
            and end < numbers[k + 1].start
            and _PARTITIVE.fullmatch(low, end, numbers[k + 1].start)
        ):
            launched_of.add(k + 1)
        item = False
        if end is None:
            end = _item(low, num, counts, sentences.index(num.start))
            item = end is not None
        if end is None and k + 1 < len(numbers):
            nxt = numbers[k + 1]
            if _PARTITIVE.fullmatch(low, num.end, nxt.start):
                end = _attach(low, nxt, nouns, cues)
                if end is not None:
                    launched_of.add(k + 1)
        if end is None:
            continue
        count = _Count(num.value, num.start, end, sentences.index(num.start), item=item)
        count.approx = bool(_APPROX_BEFORE.search(prefix))
        count.total = k in corrected or bool(_TOTAL_BEFORE.search(prefix))
        count.also = bool(_ALSO_BEFORE.search(prefix))
        count.breakdown = bool(_BREAKDOWN_BEFORE.search(prefix))
        count.all_of = bool(_ALL_BEFORE.search(prefix))
        next_number = numbers[k + 1].start if k + 1 < len(numbers) else len(low)
        if k in launched_of:
            count.role = "launched"
            counts.append(count)
            continue
        if k + 1 in launched_of:
            next_number = end  # the verb is found after the whole "30 из 35 БПЛА"
        if item:  # "..., над Новороссийском — три": the verb of the count before it
            prev = counts[-1]
            count.role = prev.role
            # "27 БПЛА: 12 — над ...", "из них 40 — над ..., 31 — над ...": the list goes on
            count.breakdown = count.breakdown or prev.breakdown or ":" in low[prev.end : num.start]
            counts.append(count)
            continue
        count.role = _role(count, cues, sentences, low, next_number)
        of_them = bool(_OF_THEM.match(low, num.end))
        if of_them and count.role in DESTROYED_ROLES:
            for prev in counts[::-1]:  # "атака 15 БПЛА ..., 13 из них уничтожены"
                if prev.sentence >= count.sentence - 1 and prev.role in DESTROYED_ROLES:
                    prev.role = "launched"
                break
        # After "N БПЛА:" the items of the list break the total down.
        for prev in counts:
            if prev.sentence == count.sentence and ":" in low[prev.end : count.start]:
                count.breakdown = True
        counts.append(count)
    return counts


def _sum_destroyed(counts: list[_Count]) -> tuple[int | None, list[_Count]]:
    destroyed = [c for c in counts if c.role in DESTROYED_ROLES]
    kept: list[_Count] = []
    for c in destroyed:
        if c.breakdown and kept:
            continue
        if not c.also and any(k.value == c.value and k.sentence != c.sentence for k in kept):
            continue  # the headline and the body repeat one figure
        kept.append(c)
    items = [c for c in kept if c.item]
    if items:  # "уничтожены 7 БПЛА. 4 — над Брянской, 3 — над Курской": a breakdown again
        for head in kept:
            if not head.item and head.value == sum(c.value for c in items if c.start > head.end):
                kept = [c for c in kept if not (c.item and c.start > head.end)]
                break
    if not kept:
        return None, []
    if any(c.approx for c in kept):
        return None, kept
    totals = [c for c in kept if c.total]
    if totals:
        return max(c.value for c in totals), totals
    return sum(c.value for c in kept), kept


_LIST_HEAD = re.compile(r"\s*:")
_ITEM_TAIL = re.compile(r"\s*[—–-]?\s*(?:над|в|у|по|on|over|in)\b[^,;\n.]*[,;\n.]?")


def _list_without_total(low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences):
    """ "Сбиты БПЛА: 3 — над Брянской, 2 — над Курской" — the items are the only figures."""
    for noun in nouns:
        head = _LIST_HEAD.match(low, noun.end)
        if head is None:
            continue
        s_start = sentences.span(sentences.index(noun.start), len(low))[0]
        if not any(c.family in _BARE_VERBS and s_start <= c.start < noun.start for c in cues):
            continue
        total, pos = 0, head.end()
        for num in find_numbers(low[pos : pos + 600]):
            start, end = num.start + head.end(), num.end + head.end()
            item = _ITEM_TAIL.match(low, end)
            if low[pos:start].strip(" \n,;.") or item is None:
                break
            total, pos = total + num.value, item.end()
        if total:
            return total
    return None


def _singular(low: str, nouns: Sequence[Hit], cues: Sequence[Hit], sentences: Sentences):
    """Sentences that report one drone: "Беспилотник сбит", "сбит украинский БПЛА", "the UAV
    was intercepted" (a generator: most callers need only the first)."""
    for noun in nouns:
        phrase = low[noun.start : noun.end]
        first = phrase.split()[0] if " " in phrase else phrase
        s_start, s_end = sentences.span(sentences.index(noun.start), len(low))
        if _VAGUE.search(low, s_start, s_end):
            continue
        near = [
            c
            for c in cues
            if c.family in ("destroy", "intercept", "suppress", "repel")
            and s_start <= c.start < s_end
            and (abs(c.start - noun.end) < 50 or abs(noun.start - c.end) < 50)
            and not _ATTRIBUTE.match(low, c.start, c.end)
            and not _ATTRIBUTE_BEFORE.search(low, max(0, c.start - 6), c.start)
        ]
        if not near and _PRONOUN_START.match(low, s_end):  # "...безпілотник. Його збили."
            nxt_end = sentences.span(sentences.index(s_end), len(low))[1]
            near = [c for c in cues if c.family in _BARE_VERBS and s_end <= c.start < nxt_end]
        if not near:
            continue
        if (
            _SINGULAR_NOUN.search(first)
            or _SINGULAR_NOUN.search(phrase)
            or (
                _ABBREV.search(phrase)
                and any(_SINGULAR_VERB.match(low[c.start : c.end]) for c in near)
            )
        ):
            yield sentences.index(noun.start)


def _all_destroyed(low: str, counts: list[_Count], launched: int | None) -> int | None:
    """ "Атаковал пятью беспилотниками. Все они уничтожены", "залетели три беспилотника. Все
    подавлены": every drone counted before it."""
    m = _ALL_DESTROYED.search(low)
    if m is None:
        return None
    if launched:
        return launched
    before = [c for c in counts if c.end <= m.start() and not c.approx]
    return sum(c.value for c in before) if before else None


def _with_targets(low: str, nouns: list[Hit], hits: Sequence[Hit]) -> list[Hit]:
    """Drone nouns, plus "цели" where they can only be drones (no missile in the post)."""
    if not nouns or any(h.family in _MISSILE_FAMILIES for h in hits):
        return nouns
    targets = [Hit("drone", m.start(), m.end()) for m in _TARGET_NOUN.finditer(low)]
    return sorted(nouns + targets, key=lambda h: h.start) if targets else nouns


def extract_counts(
    text: str, low: str, hits: Sequence[Hit], sentences: Sentences, *, any_drone: bool
) -> Counts:
    nouns = [h for h in hits if h.family == "drone"]
    cues = [h for h in hits if h.family in ROLE_BY_FAMILY]
    if not nouns and not any_drone:
        return Counts(None, None, frozenset(), ())
    nouns = _with_targets(low, nouns, hits)
    counts = _collect(low, nouns, cues, sentences)
    destroyed, used = _sum_destroyed(counts)
    launched_counts = [c for c in counts if c.role == "launched" and not c.breakdown]
    launched = sum(c.value for c in launched_counts) if launched_counts else None
    if launched is None:
        all_of = [c for c in used if c.all_of]
        launched = all_of[0].value if all_of else None
    if any(c.approx for c in launched_counts):
        launched = None
    outcomes = {
        {"lost": "suppressed"}.get(c.role, c.role)
        for c in counts
        if c.role in ("destroyed", "intercepted", "suppressed", "crashed", "hit")
    }
    if destroyed is None and not used:
        destroyed = _list_without_total(low, nouns, cues, sentences)
    if (
        destroyed is None
        and not used
        and next(_singular(low, nouns, cues, sentences), None) is not None
    ):
        destroyed = 1
    elif destroyed is not None and any(c.also for c in used):
        # "Сбит беспилотник. ... Сбиты ещё два": "ещё" adds to the ones reported singly before
        first_also = min(c.sentence for c in used if c.also)
        counted = {c.sentence for c in counts}
        singles = set(_singular(low, nouns, cues, sentences))
        destroyed += len({i for i in singles if i < first_also and i not in counted})
    if destroyed is None and not used:
        destroyed = _all_destroyed(low, counts, launched)
    if launched is None and destroyed is not None:
        detected = [c for c in counts if c.role == "detected" and not c.approx]
        launched = sum(c.value for c in detected) if detected else None  # "виявлено 117 БпЛА"
    if (
        destroyed is not None
        and not any(c.approx for c in used)
        and any(word in low for word in _SECOND_WORDS)  # a substring test is ~50x cheaper
    ):
        destroyed += len(_SECOND.findall(low))
    evidence = tuple(
        Evidence(f"count.{c.role}", c.start, c.end, text[c.start : c.end])
        for c in counts
        if c.role in DESTROYED_ROLES or c.role == "launched"
    )
    return Counts(destroyed, launched, frozenset(outcomes), evidence)
