"""Where it happened: the regions a post names, minus the ones that are not the scene.

Not the scene: launch directions ("з напрямків: Курськ, Орел", "со стороны Украины",
"launched from"), the "киевский режим" of Russian MoD templates, clock zones ("мск",
"Moscow time"), seas. Targets ("летевший на Москву", "flying towards Moscow") are used only
when the post names no other place. A post that names no place at all happened in the
channel's home region (a governor writing "над регионом"), given by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classify.gazetteer_data import HOME_NAMESAKES
from bot.classify.regions import RegionMatch, find_regions, region_by_code
from bot.classify.scanner import Cue, CueScanner
from bot.classify.text import span_within
from bot.models import Evidence, Region


def _hints(*words: str) -> re.Pattern[str]:
    """Substrings without which a pattern cannot match: one cheap search before the regex.

    Written as a trie ("сел(?:о|а|...)"), so each position costs one look at its first
    letter, where a flat alternation tries every word there."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:  # a shorter word ends here: any longer one is redundant for a search
            return ""
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node)]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(emit(trie))


_WORDS = r"(?:[\s,]+[\w'«»\"-]+){1,3}"
# Phrases whose places are not the scene. Written so that each starts with a content word
# (a lookbehind holds the preposition): they are found by the classifier's shared cue scan.
EXCLUSION_FAMILIES: tuple[tuple[str, list[str]], ...] = (
    (
        "origin",  # launch directions and origins: "з напрямків: Курськ, Орел", "со стороны"
        [
            r"(?<=з )напрямк(?:ів|ами)\b[^.!?\n]*",
            rf"(?<=з )напрямку{_WORDS}",
            r"пуски?\s*[—–-]\s*з\s+[^.!?\n]*",  # "Пуски — з районів Курська, Орла"
            # "Пуски з Брянщини, підліт — лічені хвилини" (not "... по Сумах", the target)
            r"пуски?\s+з\s+[\w'-]+(?:\s+(?!(?:по|на|в|у|до)\b)[\w'-]+){0,2}",
            r"пуски?\s+(?:велися|йшли|ішли|здійснювалися|здійснювали|проводилися|були)\s+з\s+[^.!?\n]*",
            # "пуск балістики з тимчасово окупованого Криму", "пуск ракет с территории"
            r"(?:пуск|пуски|пусків|пуску)\s+(?:[\w'-]+\s+){1,2}?(?:з|із|с)\s+(?:тимчасово\s+)?"
            r"(?:окупован\w*\s+|оккупирован\w*\s+)?[\w'-]+",
            # "Дрони йшли з Брянщини, Курщини", "беспилотники летели со стороны"
            r"(?:дрони|шахеди|безпілотники|бпла|вони)\s+(?:йшли|ішли|летіли|заходили)\s+з\s+[^.!?;\n]*",
            r"(?:дроны|беспилотники|бпла|они)\s+(?:шли|летели|заходили)\s+(?:с|из)\s+[^.!?;\n]*",
            rf"(?<=со )стороны{_WORDS}",
            # "ворог запускав ударні БпЛА з Приморсько-Ахтарська та Орла"
            r"запус(?:ка|ти)(?:в|ла|ли)\s+(?:[\w'«»-]+\s+){0,3}?з\s+[^.!?;\n]*",
            # "ворог випустив по Україні сорок два ударні БпЛА з Курщини та Криму"
            r"випусти(?:в|ла|ли)\s+(?:[\w'«»-]+\s+){0,6}?з\s+(?!них\b)[^.!?;\n]*",
            rf"(?<=з )боку{_WORDS}",
            rf"(?<=с )направлени\w*{_WORDS}",
            rf"(?<=с )территории{_WORDS}",
            rf"(?<=з )території{_WORDS}",
            r"з \w+ськ(?:ої|ого)\s+(?:област\w*|краю)",  # "ракетами з Курської області"
            rf"(?<=с )подконтрольн\w*{_WORDS}",
            rf"(?<=з )підконтрольн\w*{_WORDS}",
            rf"(?<=from the )(?:direction|territory)\s+of{_WORDS}",
            r"launched\s+from\s+[^.!?;\n]*",  # "launched from the Kursk, Oryol and ... areas"
            # "the missiles were fired from the Belgorod region" (only the place: "Missiles
            # fired from Crimea struck Odesa" names Odesa)
            r"fired\s+from\s+(?:the\s+)?(?:(?:direction|territory)\s+of\s+(?:the\s+)?)?[\w'-]+"
            r"(?:\s+(?:region|oblast|area|territory|peninsula))?",
            r"launch\s+(?:areas?|sites?|positions?|points?)\s*:[^.!?;\n]*",  # "Launch areas: Kursk"
            # "from the areas of Kursk, Oryol and Primorsko-Akhtarsk"
            r"from\s+the\s+(?:areas?|directions?)\s+of\s+[\w'-]+(?:\s+(?:region|oblast))?"
            r"(?:(?:\s*,\s*|\s+and\s+)[\w'-]+(?:\s+(?:region|oblast))?){0,4}",
            # "from the Bryansk and Kursk directions"
            r"from\s+the\s+[\w\s,'-]{2,60}?\s+(?:directions?|areas)\b",
            # a route on the way to a target: "flying over the Chernihiv region toward Kyiv"
            r"flying\s+over\s+(?:the\s+)?[\w'-]+(?:\s+region|\s+oblast)?(?=\s+towards?\b)",
        ],
    ),
    (
        # a speaker's title names a place only when the post names no other, or when the
        # speaker's words point at it: "Губернатор Тульской области: над регионом сбиты три"
        "speaker",
        [
            r"(?:мэр\w*|губернатор\w*|mayor|governor)\s+(?:of\s+(?:the\s+)?)?"
            r"(?:[\w'-]+\s+){0,1}(?:москв\w*|столиц\w*|moscow|[\w'-]+(?:ской|ської)\s+област\w*|"
            r"[\w'-]+\s+(?:region|oblast))",
            # "the Moscow mayor wrote", "the Kursk governor said"
            r"(?:moscow|kyiv|kharkiv|odesa|dnipro|zaporizhzhia|belgorod|kursk|bryansk|voronezh|"
            r"sumy)(?=\s+(?:mayor|governor)\b)",
        ],
    ),
    (
        "target",  # "летевший на Москву": used only when the post names nothing else
        [
            r"(?:летевш\w*|летящ\w*|летел\w*|летіл\w*|летів|направлявш\w*|следовавш\w*|"
            r"прямува\w*|flying|headed|heading)\s+"
            rf"(?:на|в|к|у|до|to|towards|toward|for|в\s+сторону|в\s+направлении){_WORDS}",
            rf"(?<=en )route\s+to{_WORDS}",
            rf"(?<=[ув] )бік{_WORDS}",  # "пройшла транзитом у бік Тернопільщини"
            rf"(?<=in the )direction\s+of{_WORDS}",  # "moving south-west in the direction of"
        ],
    ),
    (
        "not_a_place",  # names inside phrases that are no place at all
        [
            r"киевск\w*\s+режим\w*|київськ\w*\s+режим\w*|(?:kiev|kyiv)\s+regime",
            # the river: "шахеди на малій висоті вздовж Дніпра"
            r"(?<=вздовж )дніпр\w*|(?<=уздовж )дніпр\w*|(?<=вдоль )днепр\w*|(?<=руслом )дніпр\w*",
            # "In Bila Tserkva, south of the capital": a bearing, not a second place
            r"(?:south|north|east|west)(?:-?(?:east|west))?\s+of\s+the\s+capital",
            r"московск\w*\s+времен\w*|(?<=по )московскому|moscow\s+time",
            r"(?<=\d по )москве\b",  # "С 19:00 до 23:00 по Москве": the clock
            r"(?<=\d часов по )москве\b|(?<=\d часа по )москве\b",  # "с 8 до 14 часов по Москве"
            r"київськ\w*\s+час\w*|kyiv\s+time",
            r"азовск\w*\s+мор\w*|азовськ\w*\s+мор\w*|(?<=sea of )azov",
            r"харьковск\w*\s+гор\w*",  # "на Харьковской горе": a district of Belgorod
            # "should not be confused with Belgorod in Russia": a namesake set apart
            r"confused\s+with\s+[^.!?;\n]*|(?<=не )путать\s+с\s+[^.!?;\n]*",
            # a border named beside the scene: "уздовж кордону з Польщею"
            r"(?:кордон|границ)\w*\s+(?:з|із|с)\s+[\w'-]+|border\s+with\s+[\w'-]+",
            # whom a plant supplies: "one of the largest suppliers of petrol to the Moscow area"
            r"suppl(?:ier|iers|ies|ying)\s+(?:of\s+[\w-]+\s+)?to\s+[^.!?;\n]*|"
            r"(?:поставля\w*|снабжа\w*|постача\w*)\s+(?:[\w-]+\s+){0,2}?(?:в|на|для|до)\s+[^.!?;\n]*",
            # flight restrictions at airports: precautions elsewhere, not where it happened
            r"restrict\w*\s+flights\s+(?:at|in|to)\b[^.!?\n]*|flight\s+restrictions?\s+(?:at|in)\b[^.!?\n]*",
            r"flights\s+(?:were\s+|was\s+)?(?:\w+\s+)?(?:restricted|suspended|halted)\s+(?:at|in)\b[^.!?\n]*",
            # "Flights at Vnukovo and Domodedovo were briefly suspended"
            r"flights\s+(?:at|in|from)\s+[\w\s,'-]{2,60}?\s+(?:were|was|have\s+been|had\s+been)\s+"
            r"(?:\w+\s+)?(?:restricted|suspended|halted|paused|delayed)\b",
            r"ограничени\w*\s+(?:на\s+)?(?:при[её]м\w*\s+и\s+)?(?:вылет|прил[её]т|при[её]м|пол[её]т)\w*"
            r"[^.!?\n]*",
            r"аэропорт\w*\s+(?:[\w-]+\s+){0,3}(?:введены|ввели|действуют)\s+ограничени\w*",
            # "ввела ограничения в московских аэропортах", "задерживаются рейсы из Москвы, Сочи
            # и Казани": where planes wait or come from, not where drones flew
            # (the airports' adjective only: "в аэропорту Калуги" still names Kaluga)
            r"ограничени\w*\s+(?:[\w-]+\s+){0,2}?(?:в|на)\s+[\w-]+(?:ских|ском|ского)\s+аэропорт\w*",
            # the towns listed after "из", up to the verb or the punctuation that ends the list
            r"(?:рейс(?:ы|ов|и|ів)?|вылеты|flights)\s+(?:[\w-]+\s+){0,2}?(?:из|до|з|із|from|to)\s+"
            r"[\w-]+(?:\s+(?!(?:и|та|і|and)\b)[\w-]+)?(?:(?:\s*,\s*|\s+(?:и|та|і|and)\s+)[\w-]+"
            r"(?:\s+(?!(?:и|та|і|and)\b)[\w-]+)?){0,4}",
            # "Аэропорты Внуково и Домодедово на время приостанавливали приём рейсов", "Аэропорт
            # Пулково час не принимал рейсы"
            r"аэропорт\w*\s+(?:[\w«»\"-]+\s+){0,6}(?:(?:приостан\w+|закрыва\w+|закрыт\w*)"
            r"\s+(?:при[её]м|вылет|рейс|пол[её]т)|не\s+принима|не\s+отправля)\w*",
            # "В Пулково на время атаки вводились ограничения на вылет", "Аэропорт Пулково
            # работает с ограничениями", "в Шереметьево задержаны 37 рейсов"
            r"(?:пулков|шереметьев|внуков|домодедов|жуковск)\w*\s+(?:[\w-]+\s+){0,4}?"
            r"(?:вводил\w*|введен\w*|ввели)\s+(?:временные\s+)?ограничени\w*\s+на\s+"
            r"(?:вылет|прил[её]т|при[её]м|пол[её]т)\w*",
            r"аэропорт\w*\s+(?:[\w«»\"-]+\s+){0,4}?работа\w*\s+с\s+ограничени\w*",
            r"(?:пулков|шереметьев|внуков|домодедов|жуковск)\w*\s+(?:задержан\w*|отмен[её]н\w*)\s+"
            r"(?:\d+\s+)?рейс\w*",
            # "Vnukovo and Domodedovo airports have paused departures", "Two Moscow airports
            # briefly halted departures"
            r"(?:moscow|vnukovo|domodedovo|sheremetyevo|zhukovsky)(?:(?:\s*,\s*|\s+and\s+)[\w-]+)"
            r"{0,3}\s+airports?\s+(?:\w+\s+){0,2}(?:paused|suspended|halted|closed|stopped|"
            r"restricted)\b[^.!?\n]*",
        ],
    ),
)
_SCANNER = CueScanner(EXCLUSION_FAMILIES)
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
# "На Кубани ночь прошла спокойно": a place where nothing happened is not the scene.
_CALM = re.compile(
    r"(?:прошл[аи]|прош[её]л|минул[аи]|минув)\s+(?:\w+\s+)?(?:спокойно|спокійно|тихо|без\s+происшествий)"
    r"|(?:was|were|remained|passed)\s+(?:\w+\s+)?(?:quiet|calm|quietly|calmly)"
    r"|no\s+(?:damage|casualties|injuries)\s+(?:was|were)\s+reported\s+in"
)
# a digest's line: "🟦 Тамбовская — спокойно." (not "к утру в городе — спокойно"); a pattern of
# its own, so that _CALM keeps opening on words and is searched fast
_CALM_LINE = re.compile(
    r"^[^\w\n]{0,3}[^\S\n]*[^\W\d][^\n—–.,;:\d]{1,30}?\s[—–]\s*"
    r"(?:спокойно|спокійно|тихо|без\s+происшествий|quiet|calm)[^\S\n]*(?:[.;]|(?=\n)|$)",
    re.MULTILINE,
)
# "БпЛА з Сумщини курсом на Полтавщину": a short form after "з" before a heading is the
# route's origin (the scanner's patterns need a literal start, which "\w+щини" lacks).
_ORIGIN_SHORT = re.compile(
    r"(?<=\bз )[а-яіїєґ'-]+щини(?=\s+(?:курсом|у\s+напрямку|в\s+напрямку|на\s+[а-яіїєґ'-]+щину))"
)
_CALM_HINTS = _hints("спок", "тих", "без происш", "quiet", "calm", "reported in")
# "Poland said it scrambled jets": a country that speaks or reacts is no scene either.
_VERB_SAYS = (
    r"(?:(?:has\s+|have\s+|rarely\s+|did\s+not\s+|does\s+not\s+|never\s+|also\s+|"
    r"(?:has|have)\s+not\s+(?:yet\s+)?)?"
    r"(?:immediately\s+)?"
    r"(?:said|says|reported|scrambled|claimed|condemned|denie[sd]|deny|confirm\w*|comment\w*|"
    r"accuse[sd]?|blame[sd]?|responded|warned|used|tells?|told|disagree[sd]?|trade[sd]?)|"
    r"заявил\w*|сообщил\w*|заявив|заявила|повідомил\w*|подн\w*|підн\w*|"
    # "Киев вновь пытался атаковать": the singular agrees with the capital as the subject
    # ("Київ намагалися атакувати" is impersonal: the city is the target)
    r"(?:(?:вновь|снова|опять|знову|again)\s+)?(?:пытался|попытался|пыталась|попыталась|"
    r"намагався|намагалася|спробував|спробувала|tried|attempted)\s+(?:to\s+)?(?:[\w-]+\s+)?"
    r"(?:атаковать|атакувати|ударить|нанести|вдарити|завдати|attack|strike|hit))\b"
)
_SPEAKS_AFTER = re.compile(rf"(?:'s\s+[\w-]+(?:\s+[\w-]+)?)?\s+{_VERB_SAYS}")
# "Moscow denies ...", "Kyiv rarely confirms ...": a capital that speaks is its government
# (but "Moscow's mayor said", "the mayor of Kyiv said": the city is the scene).
_CAPITALS = frozenset({"RU-MOW", "UA-30"})
# "Moscow and Kyiv tell different stories": both capitals stand for their governments
_CAPITAL_SPEAKS = re.compile(
    rf"(?:\s+(?:and|и|та|і)\s+(?:moscow|kyiv|kiev|москва|киев|київ))?\s+{_VERB_SAYS}"
)
_OF_BEFORE = re.compile(r"(?:of|в|у)\s+$")
# "Izmail, across from Romania": a neighbouring country named for the map
_NEIGHBOUR_BEFORE = re.compile(r"(?:across\s+from|opposite|bordering|border\s+with)\s+$")
# "шахеди рухаються ... через Волинську область у напрямку Львівщини": the route
_VIA = re.compile(r"(?<=\bчерез )[а-яіїєґ'-]+(?:ську|скую)\s+(?:область|обл\b)")
# A wire dateline opens the post: "MOSCOW — ...", "ODESA, Ukraine (Reuters) - ...",
# "MOSCOW, June 10 — ...".
_DATELINE = re.compile(r"(?:,\s+[A-Z][a-zA-Z]+(?:\s+\d{1,2})?)?(?:\s+\([\w ,.]+\))?\s*[—–-]\s")


# "the capital" without its name. Ukrainian forms (столиця, -і, -ю, -ею) differ from the
# Russian ones: in a Ukrainian post it is Kyiv, unless Russia's ("столиці Росії",
# "російської столиці"). Russian "столица" is also a region's or a country's ("столица
# Кубани", "в украинской столице"), so only a drone's approach to it counts as Moscow
# ("на подлете к столице", "летевших в сторону столицы").
_CAPITAL = re.compile(
    r"(?<![\w-])(?:(столиц(?:я|і|ю|ею))(\s+(?:росії|рф)\b)?"
    r"|(?<=подлете к )(столице)|(?<=подлете к российской )(столице)"
    r"|(?:летевш|летящ|летел|летят|летит|направлявш)\w*\s+(?:в\s+сторону|на|к)\s+"
    r"(?:российской\s+)?(столиц[уеы])(?!\s+(?!(?:ночью|утром|вечером|и|над|в|на|под|были|был|"
    r"уничтож\w*|сбит\w*|перехвач\w*)\b)[^\W\d]))(?![\w-])"  # not "столицу Татарстана"
)
_RUSSIAN_BEFORE = re.compile(r"(?:російськ|московськ)\w*\s+$")
_KYIV, _MOSCOW = region_by_code("UA-30"), region_by_code("RU-MOW")


def _capitals(text: str, low: str) -> list[RegionMatch]:
    out = []
    for m in _CAPITAL.finditer(low):
        start, end = m.span() if m.group(1) else m.span(m.lastindex or 0)
        russia = not m.group(1) or m.group(2) or _RUSSIAN_BEFORE.search(low, start - 16, start)
        region = _MOSCOW if russia else _KYIV
        out.append(RegionMatch(start, end, text[start:end], region, "city", None))
    return out


# The speaker's own region, unnamed: "над регионом", "в области", "over the region".
_SPEAKER_HERE = re.compile(
    r"(?:над|в|по)\s+(?:регион|област|крае\b|краем|республик)\w*|(?:у|в|над)\s+(?:регіон|област)\w*|"
    r"(?:over|in)\s+(?:the|his|her)\s+region\b"
    # "the governor of the Mykolaiv region said a drone hit ... in the regional capital"
    r"|(?:over|in|on)\s+the\s+regional\s+(?:capital|centre|center)\b"
    r"|(?:в|над)\s+(?:областн|обласн)\w*\s+(?:центр|столиц)\w*"
)
_CLAUSE_STOP = re.compile(r"[.!?;\n]|,\s+(?:а|но|и|і|та|and|but)\s")


def _clause_end(low: str, pos: int) -> int:
    m = _CLAUSE_STOP.search(low, pos)
    return m.start() if m else len(low)


def _calm_spans(low: str) -> list[tuple[int, int]]:
    """The sentences that say a place was calm."""
    spans = []
    for rx in (_CALM, _CALM_LINE):
        spans.extend(span_within(low, m.start(), m.end(), ".!?\n") for m in rx.finditer(low))
    return spans


@dataclass(frozen=True, slots=True)
class Places:
    regions: tuple[Region, ...]
    places: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    home_spans: tuple[tuple[int, int], ...] = ()  # where the home region itself is named


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _dedupe(items: list) -> tuple:
    return tuple(dict.fromkeys(items))


def find_places(
    text: str, low: str, home: Region | None, cues: Sequence[Cue] | None = None
) -> Places:
    """`cues`: the EXCLUSION_FAMILIES cues, if the caller's scan found them already."""
    if cues is None:
        cues = _SCANNER.scan(low)
    excluded = [(c.start, c.end) for c in cues if c.family not in ("target", "speaker")]
    if _CALM_HINTS.search(low):
        excluded += _calm_spans(low)
    if "щини " in low:
        excluded += [m.span() for m in _ORIGIN_SHORT.finditer(low)]
    if "через " in low:
        excluded += [m.span() for m in _VIA.finditer(low)]
    targets = [(c.start, c.end) for c in cues if c.family == "target"]
    targets += [
        (c.start, c.end)
        for c in cues
        if c.family == "speaker" and not _SPEAKER_HERE.search(low, c.end, _clause_end(low, c.end))
    ]
    named: list[Region] = []
    aimed: list[Region] = []
    places: list[str] = []
    evidence: list[Evidence] = []
    found = find_regions(text)
    if "столиц" in low:
        found = sorted(found + _capitals(text, low), key=lambda m: m.start)
    home_spans: list[tuple[int, int]] = []
    for m in found:
        if (
            _inside(m.start, excluded)
            or _COMPOUND.match(text, m.end)
            or (m.kind in ("town", "city") and _DISTRICT_AFTER.match(low, m.end))
            or (len(m.region.code) == 2 and _SPEAKS_AFTER.match(low, m.end))
            or (
                len(m.region.code) == 2
                and _NEIGHBOUR_BEFORE.search(low, max(0, m.start - 25), m.start)
            )
            or (
                m.region.code in _CAPITALS
                and _CAPITAL_SPEAKS.match(low, m.end)
                and not _OF_BEFORE.search(low, max(0, m.start - 6), m.start)
            )
            or (
                # a wire's dateline opens the post or its body ("...\n\nMOSCOW (Oct 14) —"),
                # not a line of a list ("КУРСК — сбиты 3 беспилотника")
                (m.start == 0 or (text[m.start - 1] == "\n" and m.text.isascii()))
                and m.text.isupper()
                and _DATELINE.match(text, m.end)
            )
        ):
            evidence.append(Evidence("region.excluded", m.start, m.end, m.text))
            continue
        if _inside(m.start, targets):
            aimed.append(m.region)
            evidence.append(Evidence("region.target", m.start, m.end, m.text))
            continue
        if home is not None and m.place and home.code in HOME_NAMESAKES.get(m.place, ()):
            named.append(home)  # "у Покровському районі" in a Kryvyi Rih channel
            evidence.append(Evidence(f"region.namesake:{home.code}", m.start, m.end, m.text))
            home_spans.append((m.start, m.end))
        else:
            named.append(m.region)
            evidence.append(Evidence(f"region.{m.kind}", m.start, m.end, m.text))
            if home is not None and m.region.code == home.code:
                home_spans.append((m.start, m.end))
        if m.place:
            places.append(m.place)
    if _SETTLEMENT_HINTS.search(low):
        places.extend(m.group(1) for m in _SETTLEMENT.finditer(text))
    if _DISTRICT_HINTS.search(low):
        places.extend(f"{m.group(1)} {m.group(2)}" for m in _DISTRICT.finditer(text))
    regions = named or aimed
    if not regions and home is not None:
        regions = [home]
        evidence.append(Evidence(f"region.home:{home.code}", 0, 0, ""))
    return Places(_dedupe(regions), _dedupe(places), tuple(evidence), tuple(home_spans))
