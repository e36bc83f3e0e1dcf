"""Decide what a post reports, from its text alone, and say why.

One scan finds every cue (lexicon.MASTER); decisions are made per sentence, because that is
where a drone noun and a verb belong together: "сбиты два БПЛА" is an incident, while "БПЛА"
in one sentence and "сбор средств" in another is not. A sentence that carries a negative
context (fundraising, production, drills, advice, courts, awards, celebrations, analysis)
gives no evidence, and a post whose topic is one of those needs strong evidence.

Precedence: uav_incident > uav_threat > other_attack > not_relevant. A report that mixes
missiles and drones is a drone incident; air defence engaging drones now is an incident;
detection or danger alone is a threat; naval drones and unnamed weapons are other_attack.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from bot.classify import lexicon
from bot.classify.consequences import Consequences, extract_consequences
from bot.classify.count_phrases import NOW_WORD, TONIGHT_WORD
from bot.classify.counts import Hit, extract_counts
from bot.classify.dates import past_date_sentences
from bot.classify.numbers import NUMBER_PATTERN
from bot.classify.places import find_places
from bot.classify.regions import lookup_region
from bot.classify.scanner import Cue
from bot.classify.text import Sentences, detect_language, normalise, split_sentences
from bot.classify.timewindow import extract_time_window
from bot.models import Classification, Evidence, Label, Region

# Bump on every change of behaviour: stored classifications name the version that made them.
CLASSIFIER_VERSION = "1.15.0"

_OUTCOME_NAMES = {
    "destroy": "destroyed",
    "repel": "destroyed",
    "intercept": "intercepted",
    "suppress": "suppressed",
    "crash": "crashed",
    "hit": "hit",
}
_WEAPON_NAMES = {
    "missile": "missile",
    "missile_threat": "missile",
    "guided_bomb": "guided_bomb",
    "mlrs": "mlrs",
    "artillery": "artillery",
    "naval": "naval_drone",
}
_STRONG = frozenset({"destroy", "intercept", "suppress", "repel"})
_MEDIUM = frozenset({"hit", "launch", "crash"})
_ALARM = frozenset({"alarm", "detect"})
# "Відбій тривоги. Шахеди покинули простір області": an all-clear beside a drone sentence.
_ALARM_OR_END = frozenset({"alarm", "threat_end"})
_GENERIC_ATTACK = frozenset({"hit", "crash", "destroy", "intercept", "repel", "engage", "launch"})


@dataclass(slots=True)
class _Scan:
    """The cues of one post, grouped by sentence; `sentence_of[k]` is the sentence of hit k
    (worked out once: every later step asks it)."""

    hits: list[Hit]
    sentence_of: list[int]
    sentences: Sentences
    consequence_cues: list[Cue]
    place_cues: list[Cue]
    families: list[set[str]] = field(default_factory=list)
    drone_threat: set[int] = field(default_factory=set)  # sentences whose warning names drones
    all_families: set[str] = field(default_factory=set)  # the post's: read by several steps
    topics: frozenset[str] = frozenset()  # its TOPIC_FAMILIES: what else the post is about


_THREAT_CUES = frozenset({"threat", "threat_end", "detect"})
_WEAK_DRONE = ("аппарат", "апарат")  # "аппарат" alone is a drone only beside a stronger noun


def _scan(low: str) -> _Scan | None:
    """None for a post without a single event cue: no rule can fire on it."""
    hits, consequence_cues, place_cues = lexicon.SCANNER.scan_layers(low)
    drones = [h for h in hits if h.family == "drone"]
    if drones and all(low.startswith(_WEAK_DRONE, h.start) for h in drones):
        # "аппарат" alone is a drone only in a post that also says what kind
        hits = [h for h in hits if h.family != "drone"]
    if not hits:
        return None
    sentences = split_sentences(low)
    starts = sentences.starts
    sentence_of = (
        [bisect_right(starts, h.start) - 1 for h in hits] if len(starts) > 1 else [0] * len(hits)
    )
    families: list[set[str]] = [set() for _ in starts]
    drone_threat: set[int] = set()
    for h, i in zip(hits, sentence_of, strict=True):
        family = h.family
        families[i].add(family)
        if family in _THREAT_CUES and lexicon.DRONE_STEM.search(low, h.start, h.end):
            drone_threat.add(i)
    post = set().union(*families) if families else set()
    topics = frozenset(post & lexicon.TOPIC_FAMILIES)
    return _Scan(
        hits,
        sentence_of,
        sentences,
        consequence_cues,
        place_cues,
        families,
        drone_threat,
        post,
        topics,
    )


@dataclass(slots=True)
class _Verdict:
    label: Label
    confidence: float
    rules: list[tuple[str, int]]  # (rule, sentence) behind the decision
    threat_state: str | None = None


def _near(
    fams: list[set[str]], i: int, wanted: frozenset[str] | set[str], live: list[bool]
) -> bool:
    """In this sentence or a neighbour that is itself evidence ("...БпЛА. Його збили.")."""
    lo, hi = max(0, i - 1), min(len(fams), i + 2)
    return any(live[j] and fams[j] & wanted for j in range(lo, hi))


def _live(scan: _Scan, low: str) -> list[bool]:
    """Sentences that can be evidence: no negative context, not a question. (A sentence
    without cues is evidence of nothing either way: False, and no question to look for.)"""
    live = []
    negative = lexicon.NEGATIVE_FAMILIES
    starts = scan.sentences.starts
    for f, end in zip(scan.families, (*starts[1:], len(low)), strict=True):
        if not f or f & negative:
            live.append(False)
            continue
        while end > 0 and low[end - 1].isspace():
            end -= 1
        live.append(not (end > 0 and low[end - 1] == "?"))
    return live


def _medium_evidence(
    f: set[str], fams: list[set[str]], i: int, live: list[bool], post: set[str]
) -> bool:
    """An attack by drones, or their debris, in this sentence or beside a drone noun.
    Debris alone in a post of advice ("не трогайте обломки") is no report."""
    if "drone" in f and f & _MEDIUM:
        return not (f & _MEDIUM == {"crash"} and "advice" in post)
    return bool(f & {"hit", "launch"}) and _near(fams, i, {"drone"}, live)


def _decide(scan: _Scan, live: list[bool], low: str, consequence: bool) -> _Verdict:
    fams = scan.families
    post = scan.all_families
    topic_negative = bool(scan.topics)
    drone_post = "drone" in post or bool(scan.drone_threat)
    strong, medium, threat, end = [], [], [], False
    for i, f in enumerate(fams):
        if not live[i]:
            continue
        drone_here = "drone" in f
        if drone_here and f & _STRONG:
            strong.append(("incident.outcome", i))
        elif "engage" in f and drone_post:
            strong.append(("incident.air_defence_engaging", i))
        elif f & _STRONG and not f & lexicon.WEAPON_FAMILIES and _near(fams, i, {"drone"}, live):
            strong.append(("incident.outcome_next_to_drone", i))
        elif _medium_evidence(f, fams, i, live, post):
            medium.append(("incident.attack_or_debris", i))
        if (
            i in scan.drone_threat
            or (drone_here and f & _ALARM)
            or (f & _ALARM_OR_END and _near(fams, i, {"drone"}, live))
        ):
            threat.append(("threat.warning" if "threat_end" not in f else "threat.all_clear", i))
            end = end or "threat_end" in f
    if strong and (not topic_negative or _news_despite_topic(scan, low, strong)):
        conf = 0.95 if not topic_negative else 0.7
        return _Verdict(Label.UAV_INCIDENT, conf, strong + medium)
    if medium and (
        not topic_negative or (scan.topics == _PAST_ONLY and any(i == 0 for _, i in medium))
    ):  # debris or a strike in the lead, the past as background further down
        return _Verdict(Label.UAV_INCIDENT, 0.8, medium)
    if threat and not topic_negative:
        conf = 0.9 if scan.drone_threat else 0.75
        return _Verdict(Label.UAV_THREAT, conf, threat, "end" if end else "start")
    return _decide_other(scan, live, low, topic_negative, drone_post, consequence)


_NOW_OR_COUNT = re.compile(NOW_WORD + r"|\d+\s*(?:бп?ла|беспилот|безпілот|дрон|шахед|drones|uavs)")
_NOW = re.compile(NOW_WORD)
# Beside a mere mention of the past ("Напомним, ... тогда сбили пять"), a plain "ночью" or a
# count in words before the drone noun ("сбиты два дрона") says the outcome is news too.
_NOW_BESIDE_PAST = re.compile(
    TONIGHT_WORD
    + rf"|{NUMBER_PATTERN}\s*(?:[^\W\d]+\s+)?(?:бп?ла|беспилот|безпілот|дрон|шахед|drones|uavs)"
)
_PAST_ONLY = frozenset({"past"})


def _news_despite_topic(scan: _Scan, low: str, strong: list[tuple[str, int]]) -> bool:
    """In a post about something else, an outcome counts only with "now" or a count. A
    count is no sign of news in a period's review ("Підсумки лютого: ... знешкоджено 3 560").
    Beside a mere recollection of the past, an outcome in the lead is news, and so is one told
    with "ночью" or a count in words ("сбиты два дрона")."""
    topics = scan.topics
    if topics == _PAST_ONLY and any(i == 0 for _, i in strong):
        return True  # the lead tells the news, the past comes as background further down
    if "review" in topics:
        now = _NOW
    else:
        now = _NOW_BESIDE_PAST if topics == _PAST_ONLY else _NOW_OR_COUNT
    for _, i in strong:
        start, end = scan.sentences.span(i, len(low))
        if now.search(low, start, end):
            return True
    return False


_OTHER_WEAPONS = lexicon.WEAPON_FAMILIES | {"missile_threat"}


def _news_beside_past(scan: _Scan, low: str, rules: list[tuple[str, int]]) -> bool:
    """A missile strike told in the lead of a post that also recalls an earlier attack."""
    return scan.topics == _PAST_ONLY and _news_despite_topic(scan, low, rules)


def _decide_other(
    scan: _Scan,
    live: list[bool],
    low: str,
    topic_negative: bool,
    drone_post: bool,
    consequence: bool,
) -> _Verdict:
    fams = scan.families
    weapon_sents = [
        (f"other.{w}", i)
        for i, f in enumerate(fams)
        if live[i]
        for w in sorted(f & _OTHER_WEAPONS)  # a set's order varies per process
    ]
    generic = [
        ("other.unnamed_weapon", i) for i, f in enumerate(fams) if live[i] and f & _GENERIC_ATTACK
    ]
    alarm = any(live[i] and "alarm" in f for i, f in enumerate(fams))
    # "работает ПВО" on its own: air defence at work with no weapon named is an attack
    engaged = any("engage" in fams[i] for _, i in generic)
    if weapon_sents and (not topic_negative or _news_beside_past(scan, low, weapon_sents)):
        return _Verdict(Label.OTHER_ATTACK, 0.85, weapon_sents)
    if generic and not topic_negative and (len(generic) >= 2 or alarm or consequence or engaged):
        return _Verdict(Label.OTHER_ATTACK, 0.6, generic)
    if drone_post:
        negatives = [
            (f"negative.{n}", i)
            for i, f in enumerate(fams)
            for n in sorted(f & lexicon.NEGATIVE_FAMILIES)  # a set's order varies per process
        ]
        if negatives:
            return _Verdict(Label.NOT_RELEVANT, 0.85, negatives)
        return _Verdict(Label.NOT_RELEVANT, 0.6, [("unrecognised.drone_mention", -1)])
    return _Verdict(Label.NOT_RELEVANT, 0.95, [])


def _consequences(text: str, low: str, scan: _Scan) -> Consequences | None:
    """Read only for posts with an attack cue: what makes "удар" an attack, and the facts."""
    if not scan.all_families & (_GENERIC_ATTACK | _STRONG | {"drone", "alarm", "threat"}):
        return None
    return extract_consequences(text, low, scan.consequence_cues)


def _resolve_home(home_region: str | Region | None) -> Region | None:
    if home_region is None or isinstance(home_region, Region):
        return home_region
    return _lookup_home(home_region)


@lru_cache(maxsize=4096)
def _lookup_home(name: str) -> Region | None:
    """A channel's home region is given as a name on every post: resolve each name once."""
    return lookup_region(name)


def _evidence(text: str, scan: _Scan, verdict: _Verdict) -> list[Evidence]:
    """The cues of the sentences that decided the label, each named `rule:family`."""
    rule_of: dict[int, str] = {}
    for rule, i in verdict.rules:
        rule_of.setdefault(i, rule)
    out = []
    for h, i in zip(scan.hits, scan.sentence_of, strict=True):
        rule = rule_of.get(i)
        if rule is not None:
            out.append(Evidence(f"{rule}:{h.family}", h.start, h.end, text[h.start : h.end]))
    if -1 in rule_of:
        out.append(Evidence(rule_of[-1], 0, 0, ""))
    return out


def classify(
    text: str, *, home_region: str | Region | None = None, posted_at: datetime | None = None
) -> Classification:
    """Classify one post. `home_region` is the channel owner's region (name or code)."""
    low = normalise(text)
    lang = detect_language(low)
    scan = _scan(low)
    if scan is None:  # what _decide says of a post without cues, without the work
        return Classification(
            label=Label.NOT_RELEVANT,
            confidence=0.95,
            lang=lang,
            classifier_version=CLASSIFIER_VERSION,
        )
    consequences = _consequences(text, low, scan)
    stated = consequences is not None and (
        consequences.casualties is not None or consequences.damage is not None
    )
    live = _live(scan, low)
    verdict = _decide(scan, live, low, stated)
    if verdict.label is Label.NOT_RELEVANT:
        return Classification(
            label=verdict.label,
            confidence=verdict.confidence,
            lang=lang,
            classifier_version=CLASSIFIER_VERSION,
            evidence=tuple(_evidence(text, scan, verdict)),
        )
    consequences = consequences or extract_consequences(text, low, scan.consequence_cues)
    home = _resolve_home(home_region)
    return _describe(text, low, lang, scan, live, verdict, consequences, home, posted_at)


def _describe(
    text: str,
    low: str,
    lang: str,
    scan: _Scan,
    live: list[bool],
    verdict: _Verdict,
    consequences: Consequences,
    home: Region | None,
    posted_at: datetime | None,
) -> Classification:
    post = scan.all_families
    is_incident = verdict.label is Label.UAV_INCIDENT
    hits = [h for h, i in zip(scan.hits, scan.sentence_of, strict=True) if live[i]]
    negative = lexicon.NEGATIVE_FAMILIES
    muted = frozenset(i for i, f in enumerate(scan.families) if f & negative).union(
        past_date_sentences(low, scan.sentences, posted_at)
    )
    places = find_places(text, low, home, scan.place_cues)
    counts = extract_counts(
        text,
        low,
        hits,
        scan.sentences,
        any_drone="drone" in post,
        muted=muted,
        home_spans=None if home is None else places.home_spans,
    )
    weapons = {_WEAPON_NAMES[f] for f in post if f in _WEAPON_NAMES}
    if "drone" in post or scan.drone_threat:
        weapons.add("uav")
    outcome = set(counts.outcomes)
    if is_incident:
        chosen = {i for _, i in verdict.rules}
        outcome |= {
            _OUTCOME_NAMES[h.family]
            for h, i in zip(scan.hits, scan.sentence_of, strict=True)
            if h.family in _OUTCOME_NAMES and i in chosen
        }
        if consequences.damage == "yes" or consequences.casualties in ("injured", "killed"):
            outcome.add("hit")  # damage or casualties from a drone: it struck something
    evidence = _evidence(text, scan, verdict) + list(counts.evidence)
    evidence += list(consequences.evidence) + list(places.evidence)
    confidence = verdict.confidence
    if is_incident and counts.destroyed is not None:
        confidence = min(0.99, confidence + 0.03)
    return Classification(
        label=verdict.label,
        confidence=confidence,
        lang=lang,
        classifier_version=CLASSIFIER_VERSION,
        threat_state=verdict.threat_state,
        drones_destroyed=counts.destroyed if is_incident else None,
        drones_launched=counts.launched if is_incident else None,
        outcome=frozenset(outcome) if is_incident else frozenset(),
        weapons=frozenset(weapons),
        regions=places.regions,
        places=places.places,
        casualties=consequences.casualties,
        killed=consequences.killed,
        injured=consequences.injured,
        damage=consequences.damage,
        time_window=extract_time_window(text, low, lang, posted_at),
        evidence=tuple(evidence),
    )
