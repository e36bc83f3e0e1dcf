"""Region gazetteer: which regions (and towns) a post names, in Russian, Ukrainian or English.

Why one big regex: `find_regions` runs on every post and archives get re-classified by the
million, so all surface forms (every case of every name, ~22k strings) are compiled once at
import into a single trie-shaped alternation. A call lower-cases the text, runs that regex
once and resolves each hit with dict look-ups; no per-call regex building, no loop over the
gazetteer.

Matching rules:
  - case-insensitive; "ё" == "е"; the apostrophes ’ ʼ ‘ ` ´ equal "'"; a Latin "i" inside
    a Cyrillic word counts as Ukrainian "і"; names match whole words only ("Курск" never
    inside "Курская"); the longest surface wins ("Белгород-Днестровский" is not Belgorod).
  - a region noun after a name joins the match and may change its meaning: "Moscow" is the
    city (RU-MOW), "Moscow region"/"Moscow Oblast" the oblast (RU-MOS), "Kyiv" the city
    (UA-30), "Kyiv Oblast" the oblast (UA-32).
  - names that are also common words or surnames ("Шахты", "Орёл", "Изюм", "Азов") count
    only when capitalised in the original text and not in quotes («Азов» is a unit).
  - weak adjectives ("Московской", "Киевской", "Тверской", krai and republic adjectives)
    count only before a region noun, possibly at the end of a list: "Брянской, Калужской и
    Московской областей" gives three regions, "Киевской городской" gives none.
  - English city names followed by a list ending in "regions"/"oblasts" are read as
    regions: "Bryansk, Kursk and Belgorod regions".
  - "Московский регион" names two records (the city and the oblast) and yields one match
    per record with the same span; "Донбасс" is not mapped (two regions, no way to choose).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import NamedTuple

from bot.classify import gazetteer_data as _data
from bot.models import Region

__all__ = [
    "ALL_REGIONS",
    "RegionMatch",
    "find_regions",
    "lookup_region",
    "region_by_code",
    "search_regions",
]


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """One region named in a text: the span as written and what it resolved to."""

    start: int
    end: int
    text: str
    region: Region
    kind: str  # "region" | "short" | "city" | "town"
    place: str | None  # nominative of the city/town as the text's language writes it


class _Hit(NamedTuple):
    regions: tuple[Region, ...]
    kind: str
    place: str | None
    cap_only: bool
    needs_noun: bool
    prio: int


_PRIO = {"region": 1, "short": 2, "town": 3, "city": 4, "multi": 5, "stop": 6}
_NO_FEDERAL_OBLAST = frozenset({"RU-MOW", "RU-SPE", "UA-30", "UA-40"})
_APOSTROPHES = ("’", "ʼ", "‘", "`", "´")
_QUOTES = frozenset('«"“„')


def _norm_form(form: str) -> str:
    """The key a surface form is stored under (same rules as `_normalize`, plus spaces)."""
    s = form.lower().replace("ё", "е")
    for a in _APOSTROPHES:
        s = s.replace(a, "'")
    return " ".join(s.split())


# --- expanding the data's spec strings -------------------------------------------------


def _part_forms(part: str) -> list[str]:
    stem, sep, para = part.partition("~")
    return [stem + e for e in _data.PARADIGMS[para]] if sep else [part]


def _word_forms(word: str) -> list[str]:
    return ["-".join(p) for p in product(*(_part_forms(x) for x in word.split("-")))]


def _alternatives(spec: str) -> list[tuple[list[str], bool]]:
    """Each alternative's forms (nominative first) and whether it is capitalised-only."""
    out = []
    for alt in spec.split("|"):
        alt = alt.strip()
        if not alt or alt == "-":
            continue
        cap = alt.startswith("^")
        words = [_word_forms(w) for w in alt.lstrip("^").split()]
        out.append(([" ".join(p) for p in product(*words)], cap))
    return out


def _groups(spec: str) -> list[str]:
    """Split "ru / uk / en" into its language groups."""
    return [g.strip() for g in spec.split(" / ")]


# --- building the tables ---------------------------------------------------------------


class _Builder:
    """Collects surface form -> hit; records clashes between different regions."""

    def __init__(self) -> None:
        self.hits: dict[str, dict[str | None, _Hit]] = {}
        self.conflicts: list[tuple[str, str | None, tuple[str, ...], tuple[str, ...]]] = []

    def add(self, form: str, noun: str | None, hit: _Hit) -> None:
        key = _norm_form(form)
        slot = self.hits.setdefault(key, {})
        old = slot.get(noun)
        if old is not None and old.regions != hit.regions and old.prio == hit.prio:
            codes = (tuple(r.code for r in old.regions), tuple(r.code for r in hit.regions))
            self.conflicts.append((key, noun, *codes))
        if old is None or hit.prio > old.prio:
            slot[noun] = hit

    def spec(
        self,
        spec: str,
        regions: tuple[Region, ...],
        kind: str,
        noun: str | None = None,
        needs_noun: bool = False,
    ) -> None:
        """Register every form of every alternative; `place` is the first nominative."""
        alts = _alternatives(spec)
        if not alts:
            return
        place = alts[0][0][0] if kind in ("city", "town") else None
        for forms, cap in alts:
            hit = _Hit(regions, kind, place, cap, needs_noun, _PRIO[kind])
            for form in forms:
                self.add(form, noun, hit)


_NAME_FORMS = tuple((re.compile(rx), template, noun) for rx, template, noun in _data.NAME_FORMS)


def _register_name(b: _Builder, region: Region, name: str) -> None:
    """An official name: the literal, plus its inflected forms when its shape is known."""
    one = (region,)
    b.spec(name, one, "region")
    for rx, template, noun in _NAME_FORMS:
        if m := rx.fullmatch(name):
            spec = template.format(m.group(1))
            b.spec(spec, one, "region", noun=noun)
            if noun and "~" in template:  # bare adjective: "над Смоленской"
                weak = noun != "obl" or region.code in _data.WEAK_ADJECTIVES
                b.spec(spec, one, "region", needs_noun=weak)
            if noun in ("obl", "krai") and "~" in template:  # "курский губернатор"
                b.spec(f"{m.group(1)}~adj", one, "region", noun="gov")
            if noun == "obl" and "~" in template:  # "Смоленский регион"
                b.spec(f"{m.group(1)}~adj", one, "region", noun="reg")
                if region.code not in _data.SITE_AMBIGUOUS:  # "Калужский аэропорт"
                    b.spec(f"{m.group(1)}~adj", one, "region", noun="site")
            if noun == "krai":  # "Краснодарский НПЗ"
                b.spec(spec, one, "region", noun="site")
            return


def _records() -> dict[str, Region]:
    return {
        code: Region(code, ru, uk, en, code.partition("-")[0])
        for code, ru, uk, en in _data.REGIONS + _data.COUNTRIES
    }


# An alias that is one feminine adjective ("Ривненск~af") also takes "область" after it.
_OBLAST_ADJECTIVE = re.compile(r"[^\s~|/]+~af(?:\|[^\s~|/]+~af)*")


def _build(by_code: dict[str, Region]) -> _Builder:
    b = _Builder()
    for r in by_code.values():
        for name in (r.name_ru, r.name_uk, r.name_en):
            _register_name(b, r, name)
    for table, kind in ((_data.ALIASES, "region"), (_data.SHORT, "short")):
        for code, spec in table.items():
            for group in _groups(spec):
                b.spec(group, (by_code[code],), kind)
                if kind == "region" and _OBLAST_ADJECTIVE.fullmatch(group):
                    b.spec(group, (by_code[code],), kind, noun="obl")  # "Ровненская область"
    for code, spec in _data.CAPITALS.items():
        one = (by_code[code],)
        for group in _groups(spec):
            b.spec(group, one, "city")
        if code not in _NO_FEDERAL_OBLAST:  # "Kharkiv region", "Kursk Oblast"
            b.spec(_groups(spec)[2], one, "region", noun="obl")
    for code, stems in _data.EN_OBLAST_STEMS.items():
        b.spec(stems, (by_code[code],), "region", noun="obl")
    for code, places in _data.TOWNS.items():
        for spec in places:
            for group in _groups(spec):
                b.spec(group, (by_code[code],), "town")
    for code, spec in _data.SITE_TOWNS.items():
        b.spec(spec, (by_code[code],), "region", noun="site")  # no town to report
    for spec, codes in _data.MULTI:
        b.spec(spec, tuple(by_code[c] for c in codes), "multi")
    b.spec(_data.STOP_PHRASES, (), "stop")  # no regions: the span resolves to nothing
    return b


def _char_re(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "і":
        return "[іi]"  # a Latin "i" typed inside Ukrainian words is common
    return re.escape(ch)


def _trie_re(words: list[str]) -> str:
    """An alternation shaped as a trie; optional tails are greedy, so longer forms win."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [_char_re(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return ("(?:" + body + ")?") if len(alts) == 1 else body + "?"
        return body

    return emit(trie)


_BY_CODE = _records()


@dataclass(frozen=True)
class _Index:
    hits: dict[str, dict[str | None, _Hit]]
    conflicts: tuple[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], ...]
    noun_class: dict[str, str]
    rx: re.Pattern[str]  # group 1: a name; group 2: an optional region noun after it


@cache
def _index() -> _Index:
    """Every surface form and the one regex over them, built on first use: expanding ~22,000
    forms and compiling the regex takes ~0.5 s, which `uavwatch --help` need not pay."""
    built = _build(_BY_CODE)
    noun_class = {
        _norm_form(form): cls
        for cls, spec in _data.NOUNS.items()
        for forms, _cap in _alternatives(spec)
        for form in forms
    }
    names, nouns = _trie_re(list(built.hits)), _trie_re(list(noun_class))
    rx = re.compile(rf"(?<!\w)({names})(?:\s+({nouns}))?(?!\w)")
    return _Index(built.hits, tuple(built.conflicts), noun_class, rx)


# (not a quantifier: "in Kyiv and several oblasts", "в Киеве и нескольких областях")
_LIST_ITEM = (
    r"(?:\s*,\s*|\s+(?:и|та|і|й|а также|and|or|или|або)\s+)"
    r"(?!(?:several|other|some|many|neighbou?ring|nearby|surrounding|adjacent|нескольк|кільк|"
    r"друг|інш|соседн|сусідн|прилегающ|ряде\b|всех|усіх|всіх))[\w'-]+"
)
_LIST_TAIL = re.compile(
    rf"(?:{_LIST_ITEM}){{0,30}}\s+(?:област|обл\b|кра[йяюеєї]|республик|республік|"
    r"автономн|регион|регіон|oblast|region|province|krai|territor)"
)
# "Тверская — 31", "над Московской — 48": an item of a breakdown by region, noun left out
_ITEM_FIGURE = re.compile(r"\s*[—–-]\s*\d")
_PLURAL_TAIL = re.compile(rf"(?:{_LIST_ITEM}){{1,30}}\s+(?:regions|oblasts|provinces)\b")

ALL_REGIONS: tuple[Region, ...] = tuple(_BY_CODE.values())


# --- matching ----------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Lower-case with offsets kept: every replacement is one character for one."""
    s = text.lower()
    if len(s) != len(text):  # a few characters (e.g. "İ") lower-case to two
        s = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "ё" in s:
        s = s.replace("ё", "е")
    for a in _APOSTROPHES:
        if a in s:
            s = s.replace(a, "'")
    if "\u2011" in s or "\u2010" in s:
        s = s.replace("\u2011", "-").replace("\u2010", "-")
    return s


def _key(s: str) -> str:
    if " " in s or "\n" in s or "\t" in s or "\xa0" in s:
        s = " ".join(s.split())
    if "i" in s and not s.isascii():
        s = s.replace("i", "і")
    return s


def _capitalised(text: str, start: int) -> bool:
    return text[start].isupper() and not (start and text[start - 1] in _QUOTES)


def _resolve(m: re.Match[str], norm: str, text: str, strict: bool) -> list[RegionMatch]:
    """Turn one regex hit into matches; `strict` applies the capitalisation/noun rules."""
    start, end = m.span()
    index = _index()
    slot = index.hits.get(_key(m.group(1)))
    if slot is None:
        return []
    noun = index.noun_class.get(_key(m.group(2))) if m.group(2) is not None else None
    hit = slot.get(noun) if noun is not None else None
    if hit is None:
        end = m.end(1)
        hit = slot.get(None)
        if hit is None:
            return []
        if strict:
            if hit.cap_only and not _capitalised(text, start):
                return []
            if hit.needs_noun and not (
                _LIST_TAIL.match(norm, end) or _ITEM_FIGURE.match(norm, end)
            ):
                return []
            if hit.kind == "city" and "obl" in slot and _PLURAL_TAIL.match(norm, end):
                hit = slot["obl"]
    kind = "region" if hit.kind == "multi" else hit.kind
    span = text[start:end]
    return [RegionMatch(start, end, span, r, kind, hit.place) for r in hit.regions]


# "у Києві та області", "в Москве и области", "Kyiv and the surrounding region", "Kyiv and its
# suburbs": a city of its own and the oblast around it, which is another region
_OBLAST_AROUND = {"UA-30": "UA-32", "RU-MOW": "RU-MOS", "RU-SPE": "RU-LEN"}
_AND_OBLAST = re.compile(
    r"\s+(?:и|та|і|й|and)\s+(?:the\s+|its\s+)?(?:surrounding\s+)?"
    r"(област(?:ь|и|ью|і|ю)|region|oblast|suburbs|пригород(?:ы|ах|ами)|передмістя|передмісті)\b"
)


# "ГУ МЧС по Москве и области": an office's remit, not the scene (but "атака по Москве и
# области" is one)
_REMIT_BEFORE = re.compile(
    r"(?<!\w)(?:гу|мчс|мвд|умвд|уфсб|фсб|росгвардии|прокуратур\w*|управлени\w*|департамент\w*)"
    r"(?:\s+[\w-]+){0,2}\s+по\s+$"
)


def find_regions(text: str) -> list[RegionMatch]:
    """Every region, city and town named in `text`, left to right, non-overlapping."""
    norm = _normalize(text)
    out: list[RegionMatch] = []
    for m in _index().rx.finditer(norm):
        found = _resolve(m, norm, text, strict=True)
        out.extend(found)
        around = _OBLAST_AROUND.get(found[0].region.code) if len(found) == 1 else None
        if (
            around is not None
            and not _REMIT_BEFORE.search(norm, max(0, found[0].start - 40), found[0].start)
            and (tail := _AND_OBLAST.match(norm, found[0].end))
        ):
            start, end = tail.span(1)
            out.append(RegionMatch(start, end, text[start:end], _BY_CODE[around], "region", None))
    return out


def region_by_code(code: str) -> Region:
    """The record for an ISO code ("RU-SMO", "UA-63", "PL"); KeyError if unknown."""
    try:
        return _BY_CODE[code.strip().upper()]
    except KeyError:
        raise KeyError(
            f"unknown region code {code!r}: use an ISO 3166-2 code such as 'RU-SMO' or "
            "'UA-63' (or a country code such as 'BY'); ALL_REGIONS lists them all"
        ) from None


def lookup_region(name: str) -> Region | None:
    """A region from a code or one name in any language, case or variant; None if unknown.

    The whole string must be one name ("Смоленщиной", "Smolensk Oblast", "смоленская");
    capitalisation and noun rules are relaxed because a person typed it on purpose.
    Names that mean several regions ("Московский регион") give None.
    """
    s = name.strip()
    if not s:
        return None
    if s.upper() in _BY_CODE:
        return _BY_CODE[s.upper()]
    norm = _normalize(s)
    if norm.startswith("the "):
        s, norm = s[4:], norm[4:]
    m = _index().rx.match(norm)
    if m is None or m.end() != len(norm):
        return None
    found = _resolve(m, norm, s, strict=False)
    if len(found) == 1 and found[0].end == len(norm):
        return found[0].region
    return None


@cache
def _search_index() -> tuple[tuple[str, str, int], ...]:
    """(key, code, rank) for every surface form; towns rank after region names."""
    rows = []
    for key, slot in _index().hits.items():
        for hit in slot.values():
            rank = 1 if hit.kind == "town" else 0
            rows.extend((key, r.code, rank) for r in hit.regions)
    for r in ALL_REGIONS:
        rows.extend((_norm_form(n), r.code, 0) for n in (r.name_ru, r.name_uk, r.name_en))
    return tuple(sorted(set(rows)))


def _prefix_score(q: str, key: str) -> int | None:
    if key == q:
        return 1
    if key.startswith(q):
        return 2
    if len(key) >= 4 and q.startswith(key):
        return 3
    if any(w.startswith(q) for w in key.split()[1:]):
        return 4
    return None


def search_regions(query: str, limit: int = 10) -> list[Region]:
    """Regions whose names start with `query` (any language or case), best first.

    For a bot's "which region?" prompt: exact names first, then prefixes, then close
    spellings (difflib) when nothing starts with the query.
    """
    q = " ".join(_normalize(query).split())
    if not q or limit <= 0:
        return []
    best: dict[str, tuple[float, ...]] = {}
    exact = lookup_region(query)
    if exact is not None:
        best[exact.code] = (0,)
    index = _search_index()
    for key, code, rank in index:
        score = _prefix_score(q, key)
        if score is not None:
            cand = (score, rank, len(key))
            if cand < best.get(code, (9,)):
                best[code] = cand
    if not best:
        keys = {key: (code, rank) for key, code, rank in index}
        for key in difflib.get_close_matches(q, list(keys), n=limit * 3, cutoff=0.75):
            code, rank = keys[key]
            best.setdefault(code, (5, rank, -difflib.SequenceMatcher(None, q, key).ratio()))
    ranked = sorted(best, key=lambda c: (best[c], c))
    return [_BY_CODE[c] for c in ranked[:limit]]
