"""Where it happened: the regions a post names, minus the ones that are not the scene.

Not the scene: launch directions ("з напрямків: Курськ, Орел", "со стороны Украины",
"launched from"), the "киевский режим" of Russian MoD templates, clock zones ("мск",
"Moscow time"), seas. Targets ("летевший на Москву", "flying towards Moscow") are used only
when the post names no other place. A post that names no place at all happened in the
channel's home region (a governor writing "над регионом"), given by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.classify.regions import find_regions
from bot.models import Evidence, Region


def _hints(*words: str) -> re.Pattern[str]:
    """Substrings without which a pattern cannot match: one cheap search before the regex."""
    return re.compile("|".join(map(re.escape, words)))


_WORDS = r"(?:[\s,]+[\w'«»\"-]+){1,3}"
_ORIGIN = re.compile(
    r"(?<!\w)(?:з\s+напрямк(?:ів|ами)\b[^.!?\n]*|"
    rf"(?:со\s+стороны|з\s+боку|с\s+направлени\w*|з\s+напрямку|from\s+the\s+direction\s+of|"
    rf"launched\s+from|с\s+территории|з\s+території|from\s+the\s+territory\s+of|"
    rf"с\s+подконтрольной|з\s+підконтрольн\w*){_WORDS})"
)
_TARGET = re.compile(
    r"(?<!\w)(?:летевш\w*|летящ\w*|летіл\w*|летів|flying|headed|heading|en\s+route)\s+"
    rf"(?:на|в|к|у|до|to|towards|toward|for|в\s+сторону|в\s+направлении){_WORDS}"
)
_NOT_A_PLACE = re.compile(
    r"(?<!\w)(?:киевск\w*\s+режим\w*|київськ\w*\s+режим\w*|(?:kiev|kyiv)\s+regime|"
    r"московск\w*\s+времен\w*|по\s+московскому|moscow\s+time|київськ\w*\s+час\w*|kyiv\s+time|"
    r"азовск\w*\s+мор\w*|азовськ\w*\s+мор\w*|sea\s+of\s+azov)"
)
# "в Славянском районе" is a Kuban district, not Sloviansk: a town's adjective before
# "район/округ/громада" names a district that the gazetteer does not know.
_DISTRICT_AFTER = re.compile(r"\s+(?:район|округ|громад|муниципальн|district|raion)")
_COMPOUND = re.compile(r"-[^\W\d_]")  # "Moscow-appointed", "Kyiv-based": not a place
_SETTLEMENT = re.compile(
    r"(?<![\w-])(?:сел[оеау]|с\.|поселк[аеу]|пос[её]лок|пос\.|п\.|хутор[аеу]?|х\.|деревн[яеи]|"
    r"д\.|селищ[ейау]|смт|village\s+of|town\s+of|city\s+of)\s+"
    r"([А-ЯЁІЇЄҐA-Z][\w'’-]+(?:[ -][А-ЯЁІЇЄҐA-Z][\w'’-]+)?)"
)
_DISTRICT = re.compile(
    r"(?<![\w-])([А-ЯЁІЇЄҐ][\w'’-]+(?:ском|ской|ського|ському|ській|ский|ський))\s+"
    r"(район\w*|округ\w*|громад\w*|муниципальн\w*\s+округ\w*)"
)


_SETTLEMENT_HINTS = _hints(
    "село",
    "села",
    "селе",
    "селу",
    "селищ",
    "поселк",
    "поселок",
    "посёлок",
    "хутор",
    "деревн",
    "смт",
    " с. ",
    " п. ",
    " х. ",
    " д. ",
    "пос. ",
    "village of",
    "town of",
    "city of",
)
_DISTRICT_HINTS = _hints("район", "округ", "громад")


@dataclass(frozen=True, slots=True)
class Places:
    regions: tuple[Region, ...]
    places: tuple[str, ...]
    evidence: tuple[Evidence, ...]


_ORIGIN_HINTS = _hints("напрям", "сторон", "направл", "террит", "терит", "подконтр", "боку", "from")
_TARGET_HINTS = _hints("лет", "flying", "head", "route")
_NOT_A_PLACE_HINTS = _hints("режим", "regime", "времен", "time", "час", "азов", "azov")


def _spans(pattern: re.Pattern[str], low: str, hints: re.Pattern[str]) -> list[tuple[int, int]]:
    if hints.search(low) is None:
        return []
    return [m.span() for m in pattern.finditer(low)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _dedupe(items: list) -> tuple:
    return tuple(dict.fromkeys(items))


def find_places(text: str, low: str, home: Region | None) -> Places:
    excluded = _spans(_ORIGIN, low, _ORIGIN_HINTS) + _spans(_NOT_A_PLACE, low, _NOT_A_PLACE_HINTS)
    targets = _spans(_TARGET, low, _TARGET_HINTS)
    named: list[Region] = []
    aimed: list[Region] = []
    places: list[str] = []
    evidence: list[Evidence] = []
    for m in find_regions(text):
        if (
            _inside(m.start, excluded)
            or _COMPOUND.match(text, m.end)
            or (m.kind in ("town", "city") and _DISTRICT_AFTER.match(low, m.end))
        ):
            evidence.append(Evidence("region.excluded", m.start, m.end, m.text))
            continue
        if _inside(m.start, targets):
            aimed.append(m.region)
            evidence.append(Evidence("region.target", m.start, m.end, m.text))
            continue
        named.append(m.region)
        if m.place:
            places.append(m.place)
        evidence.append(Evidence(f"region.{m.kind}", m.start, m.end, m.text))
    if _SETTLEMENT_HINTS.search(low):
        places.extend(m.group(1) for m in _SETTLEMENT.finditer(text))
    if _DISTRICT_HINTS.search(low):
        places.extend(f"{m.group(1)} {m.group(2)}" for m in _DISTRICT.finditer(text))
    regions = named or aimed
    if not regions and home is not None:
        regions = [home]
        evidence.append(Evidence(f"region.home:{home.code}", 0, 0, ""))
    return Places(_dedupe(regions), _dedupe(places), tuple(evidence))
