"""Counts written in official posts: digits or number words in Russian, Ukrainian, English.

The classifier reads "уничтожены 12 беспилотников", "двумя БПЛА", "двадцятьма трьома шахедами",
"twenty-one UAVs". One compiled regex finds every numeric expression in a post in a single scan
(it runs on every post, so no per-word Python loop); `parse_number` turns a match into an int.

What is deliberately NOT a match, so that the classifier never reads a wrong count:
- parts of dates, times, decimals, fractions and ranges: a digit token touching "." ":" ","
  "/" plus a digit ("20.00", "09:00", "24.11.2025", "1,5", "1/2") or a hyphen plus a digit
  ("2-3", "20-21") is skipped whole, never glued ("20.00" is neither 2000 nor 20);
- a year 1990..2100 followed by "год"/"г."/"рік"/"року"/"р."/"year";
- model names and ordinals: "Су-34", "Shahed-136", "М3", "21-й", "второй", "двадцять першого";
  a number directly followed by an ordinal word ("двадцать первого") is dropped whole;
- words containing a number stem ("одиночный", "трёхэтажный", "пятница", "twofold", "ten-year");
- indefinite quantities: "a dozen", "dozens/hundreds of", "тысячи" alone, "пара", "десяток",
  and a number followed by "десятков/сотни/dozen" ("два десятка" is about 20, not 2);
- "семью" (also "family"), uk "сьома"/"восьма" (also ordinals), "одни"/"одні" ("only").
Hyphenated word ranges ("двух-трёх") are ranges, not exact counts: not matched either.
Accepted extras: case suffixes on digits ("5-ти", "2-х" = 5, 2) and a thousand word after
digits ("5 тысяч", "2 тис.", "3 thousand" = 5000, 2000, 3000).

Case: find_numbers reads each word in lower, Capitalised or UPPER case ("Два", "ДВА"); the
pattern needs no flag, and inside a caller's re.IGNORECASE regex it takes any case.
Speed: about 14 us for a 400-character post on the dev machine, 3x a digits-only regex scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["NUMBER_PATTERN", "NumberMatch", "find_numbers", "parse_number"]

_APOS = "'’ʼ‘`"  # Ukrainian apostrophe as typed in practice: ASCII, U+2019, U+02BC, U+2018, `
_APOS_CLASS = "['’ʼ‘`]"
_SPACE = "[ \t\u00a0\u2007\u2009\u202f]"  # horizontal only: a line break ends an expression
_SEP = _SPACE + "+"


def _forms(spec: str) -> list[str]:
    """Expand "stem(a|b|)" shorthand; saves listing every case form of a long stem by hand."""
    match = re.fullmatch(r"([^(]*)\(([^)]*)\)", spec)
    if match is None:
        return [spec]
    return [match.group(1) + ending for ending in match.group(2).split("|")]


def _series(words: str, first: int, step: int) -> dict[str, int]:
    return {word: first + i * step for i, word in enumerate(words.split())}


def _table(rows: dict[int, str]) -> dict[str, int]:
    words: dict[str, int] = {}
    for value, specs in rows.items():
        for spec in specs.split():
            for form in _forms(spec):
                words[form] = value
    return words


# Russian and Ukrainian forms, every case and gender that official posts use.
_UNITS = _table(
    {
        1: "од(ин|на|но|ного|ной|ною|ному|ним|ном|ну) "  # ru
        "од(не|ної|нієї|ній) одним",  # uk (один/одна/одного/одному/одним/одну/одною shared)
        2: "дв(а|е|ух|ум|умя) дв(і|ох|ом|ома) об(а|е|оих|еих|оим|еим|оими|еими) "
        "обидв(а|і) об(ох|ом|ома) дво(е|их|им|ими|є)",  # and the collective "двое", "двоє"
        3: "тр(и|ёх|ех|ём|ем|емя) тр(ьох|ьом|ьома) тро(е|их|им|ими|є)",
        4: "четыр(е|ёх|ех|ём|ем|ьмя) чотир(и|ьох|ьом|ма|ьма) четвер(о|ых|ым)",
        5: "пят(ь|и|ью) п'ят(ь|и|ьох|ьом|ьма|ьома) пятер(о|ых) п'ятеро",
        6: "шест(ь|и|ью) шіст(ь|ьох|ьом|ьма|ьома) шестер(о|ых)",
        7: "семь семи сім сімох сімом сімома семер(о|ых)",
        8: "вос(емь|ьми|емью|ьмью) вісім вісьм(ох|ом|а|ома) восьмеро",
        9: "девят(ь|и|ью) дев'ят(ь|и|ьох|ьом|ьма|ьома) девятер(о|ых) дев'ятеро",
    }
)
_TEENS = _table(
    {
        10: "десят(ь|и|ью|ьох|ьом|ьма|ьома)",
        **{
            10 + i: f"{ru}(ь|и|ью) {uk}(ь|и|ьох|ьом|ьма|ьома)"
            for i, (ru, uk) in enumerate(
                [
                    ("одиннадцат", "одинадцят"),
                    ("двенадцат", "дванадцят"),
                    ("тринадцат", "тринадцят"),
                    ("четырнадцат", "чотирнадцят"),
                    ("пятнадцат", "п'ятнадцят"),
                    ("шестнадцат", "шістнадцят"),
                    ("семнадцат", "сімнадцят"),
                    ("восемнадцат", "вісімнадцят"),
                    ("девятнадцат", "дев'ятнадцят"),
                ],
                start=1,
            )
        },
    }
)
_TEENS.update({"одинадцать": 11, "одинадцати": 11})  # a frequent Russian misspelling
_TENS = _table(
    {
        20: "двадцат(ь|и|ью) двадцят(ь|и|ьох|ьом|ьма|ьома)",
        30: "тридцат(ь|и|ью) тридцят(ь|и|ьох|ьом|ьма|ьома)",
        40: "сорок сорока",
        50: "пятьдесят пятидесяти пятьюдесятью п'ятдесят(|и|ьох|ьом|ьма|ьома)",
        60: "шестьдесят шестидесяти шестьюдесятью шістдесят(|и|ьох|ьом|ьма|ьома)",
        70: "семьдесят семидесяти семьюдесятью сімдесят(|и|ьох|ьом|ьма|ьома)",
        80: "восемьдесят восьмидесяти вос(емьюдесятью|ьмьюдесятью) вісімдесят(|и|ьох|ьом|ьма|ьома)",
        90: "девяност(о|а) дев'яност(о|а)",
    }
)
_HUNDREDS = _table(
    {
        100: "сто ста",
        200: "двести дву(хсот|мстам|мястами|хстах) двісті дво(хсот|мстам|мастами|хстах)",
        300: "триста тр(ёхсот|ехсот|ёмстам|емстам|емястами|ёхстах|ехстах) "
        "трь(охсот|омстам|омастами|охстах)",
        400: "четыреста четыр(ёхсот|ехсот|ёмстам|емстам|ьмястами|ёхстах|ехстах) "
        "чотириста чотир(ьохсот|ьомстам|мастами|ьохстах)",
        500: "пят(ьсот|исот|истам|ьюстами|истах) п'ят(сот|исот|истам|ьмастами|ьомастами|истах)",
        600: "шест(ьсот|исот|истам|ьюстами|истах) шістсот шіст(ьмастами|ьомастами)",
        700: "сем(ьсот|исот|истам|ьюстами|истах) сімсот сім(омастами)",
        800: "вос(емьсот|ьмисот|ьмистам|емьюстами|ьмьюстами|ьмистах) вісімсот віс(ьмомастами)",
        900: "девят(ьсот|исот|истам|ьюстами|истах) дев'ят(сот|исот|истам|ьмастами|истах)",
    }
)
# Singular forms may stand alone ("тысяча беспилотников" = 1000); "тысячи"/"тисячі" alone
# mostly means "thousands of", so it counts only after a multiplier ("две тысячи").
_THOUSAND_ALONE = _table({1000: "тысяч(а|у|е|ей|ею) тисяч(а|у|ею)"})
_THOUSAND = _table({1000: "тысяч(|и|ам|ами|ах) тисяч(|і|ам|ами|ах)"}) | _THOUSAND_ALONE
_ZERO = _table({0: "ноль нуль ноля нуля zero"})
_EN_UNITS = _series("one two three four five six seven eight nine", 1, 1)
_EN_TEENS = _series(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen", 10, 1
)
_EN_TENS = _series("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10)
_EN_BIG = {"hundred": 100, "thousand": 1000}

# Words that make a number before them no count: ordinals ("двадцать первого" is a date or a
# rank) and indefinite multiples ("два десятка" is about 20, "two dozen" 24, "сотни" many).
_ORDINAL_STEMS_RU = (
    "перв втор четверт четвёрт пят шест седьм восьм девят десят одиннадцат двенадцат тринадцат "
    "четырнадцат пятнадцат шестнадцат семнадцат восемнадцат девятнадцат двадцат тридцат сороков "
    "пятидесят шестидесят семидесят восьмидесят девяност сот двухсот трёхсот четырёхсот пятисот "
    "шестисот семисот восьмисот девятисот тысячн"
)
_ORDINAL_STEMS_UK = (
    "перш друг четверт п'ят шост сьом восьм дев'ят десят одинадцят дванадцят тринадцят "
    "чотирнадцят п'ятнадцят шістнадцят сімнадцят вісімнадцят дев'ятнадцят двадцят тридцят "
    "сороков п'ятдесят шістдесят сімдесят вісімдесят дев'яност сот двохсот трьохсот "
    "чотирьохсот п'ятисот шестисот семисот восьмисот дев'ятисот тисячн"
)
_STOP_AFTER = _table(
    {
        0: " ".join(
            f"{stem}(ый|ой|ого|ому|ым|ом|ая|ую|ые|ых|ыми|ое)" for stem in _ORDINAL_STEMS_RU.split()
        )
        + " трет(ий|ьего|ьему|ьим|ьем|ья|ью|ьей|ье|ьи|ьих|ьими) "
        + " ".join(
            f"{stem}(ий|ого|ому|им|ім|а|ої|ій|у|ою|е|і|их|ими)"
            for stem in _ORDINAL_STEMS_UK.split()
        )
        + " трет(ій|ього|ьому|ім|я|ю|є|і|ьої|ьою|іх|іми) first second third fourth fifth sixth "
        "seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth "
        "seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth "
        "seventieth eightieth ninetieth hundredth thousandth dozen dozens "
        "десят(ок|ка|ку|ком|ке|ки|ков|кам|ками|ках|ків) дюжин(а|ы|у|ой|е||ам|ами|ах) "
        "сот(ня|ни|ню|ней|не|ен|ням|нями|нях|ні|ень)"
    }
)

_SLAVIC_TABLES = (_UNITS, _TEENS, _TENS, _HUNDREDS, _THOUSAND, _ZERO)
_EXTRA_WORDS = {"тыс": 1000, "тис": 1000, "a": 0, "and": 0}  # "5 тыс.", "a hundred and one"
_PAIR = {"pair": 2, "of": 0}  # "a pair of drones": two (read only after "a", see _ENGLISH)
# Value of every word, lower case, with ё and е; other apostrophes are translated to ' first.
_VALUES: dict[str, int] = {
    spelling: v
    for table in (*_SLAVIC_TABLES, _EN_UNITS, _EN_TEENS, _EN_TENS, _EN_BIG, _EXTRA_WORDS, _PAIR)
    for w, v in table.items()
    for spelling in (w, w.replace("ё", "е"))
}
_STOP_AFTER = {w: v for w, v in _STOP_AFTER.items() if w.replace("ё", "е") not in _VALUES}
# Ukrainian instrumental units that are also feminine ordinals ("сьома година"): a count only
# after a tens word in an oblique case, "сорока сьома" (47), "двадцятьма восьма" (28).
_OBLIQUE_TENS = {
    w: v for w, v in _TENS.items() if w == "сорока" or w.endswith(("ьма", "ьома", "яноста"))
}
_OBLIQUE_UNITS = {"сьома": 7, "восьма": 8}
_VALUES.update(_OBLIQUE_UNITS)


def _words(*tables: dict[str, int], fold: bool = True) -> str:
    """Every form in the tables as one prefix trie, so each letter is tested once, not per word.

    fold=False spells lower, Capitalised and UPPER case out in plain letters instead of
    IGNORECASE: the engine skips a branch that opens with a literal in one comparison, which
    neither IGNORECASE nor a [дД] class allows. That is for the gate, run at every word start;
    the rest runs only where a number begins and stays three times smaller, compiles faster.
    """
    trie: dict[str, dict] = {}
    for form in {w for table in tables for w in table}:
        for word in {form, form.replace("ё", "е")}:
            for variant in {word} if fold else {word, word.capitalize(), word.upper()}:
                node = trie
                for char in variant:
                    node = node.setdefault(char, {})
                node[""] = {}
    return f"(?i:{_node_regex(trie)})" if fold else _node_regex(trie)


def _node_regex(node: dict[str, dict]) -> str:
    branches = [
        (_APOS_CLASS if char == "'" else _SPACE if char == " " else re.escape(char))
        + _node_regex(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    if "" in node:  # an empty last branch, not "?": no repeat bookkeeping in the engine
        return "(?:" + "|".join([*branches, ""]) + ")"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_END = rf"(?![\w{_APOS}]|[-‐–]\w)"  # word ends: not "ten-year", "двух-трёх", "трёхэтажный"
_START = rf"(?<![\w{_APOS}])(?<!\w[-‐–])"  # word starts: not "Су-34", not "…-трёх"


def _word(*tables: dict[str, int]) -> str:
    return f"(?:{_words(*tables)}){_END}"


_U, _TEEN, _T, _H = _word(_UNITS), _word(_TEENS), _word(_TENS), _word(_HUNDREDS)
_BELOW_100 = (
    f"(?:{_word(_OBLIQUE_TENS)}{_SEP}{_word(_OBLIQUE_UNITS)}|{_T}(?:{_SEP}{_U}|)|{_TEEN}|{_U})"
)
_BELOW_1000 = f"(?:{_H}(?:{_SEP}{_BELOW_100}|)|{_BELOW_100})"
_SLAVIC = (
    f"{_BELOW_1000}(?:{_SEP}{_word(_THOUSAND)}(?:{_SEP}{_BELOW_1000}|)|)"
    f"|{_word(_THOUSAND_ALONE)}(?:{_SEP}{_BELOW_1000}|)|{_word(_ZERO)}"
)
_EU, _A = _word(_EN_UNITS), "[aA]"
_HUNDRED, _THOUSAND_EN = _word({"hundred": 100}), _word({"thousand": 1000})
_AND = rf"{_SEP}(?:[aA][nN][dD]{_SEP}|)"  # "one hundred and twenty"
_E_BELOW_100 = f"(?:{_words(_EN_TENS)}(?:[-‐]{_EU}|{_SEP}{_EU}|{_END})|{_word(_EN_TEENS)}|{_EU})"
_E_BELOW_1000 = f"(?:(?:{_EU}|{_A}){_SEP}{_HUNDRED}(?:{_AND}{_E_BELOW_100}|)|{_E_BELOW_100})"
_ENGLISH = (
    f"{_E_BELOW_1000}(?:{_SEP}{_THOUSAND_EN}(?:{_AND}{_E_BELOW_1000}|)|)"
    f"|{_A}{_SEP}{_THOUSAND_EN}(?:{_AND}{_E_BELOW_1000}|)"
    f"|{_A}{_SEP}(?i:pair){_SEP}(?i:of){_END}"
)

_YEAR = rf"(?:199\d|20\d\d|2100){_SPACE}*(?i:г(?:од\w*|г|)|р(?:ік|оку|)|years?)(?![^\W\d_])"
_DIGIT_TAIL = (
    r"(?i:-(?:х|ух|ех|ёх|ох|ьох|ти|ми|мя|ью|ма)(?!\w))"  # case endings: "5-ти" = пяти, "2-х"
    rf"|{_SEP}(?:{_words(_THOUSAND, {'thousand': 1000})}{_END}"
    rf"|(?i:тыс|тис)(?:\.|(?![\w{_APOS}])))"  # "5 тысяч", "3 thousand", "2 тис."
)
_DIGITS = (
    rf"(?<!\d[.,:/])(?<!№)(?<!№{_SPACE})(?!{_YEAR})"
    r"(?:\d{1,3}(?:(?:[ \u00a0\u2007\u2009\u202f]\d{3})+|(?:,\d{3})+)(?!\d)|\d+)"
    rf"(?:{_DIGIT_TAIL}|)(?![\w{_APOS}]|[.,:/]\d|[-‐–]\w|[\ufe0f\u20e3])"  # not "1️⃣", a bullet
)
# A cheap gate: one trie of every word that can open an expression. Most word starts fail it
# within a letter or two, so the grammar runs only where a number really begins.
_OPENERS = (_UNITS, _TEENS, _TENS, _HUNDREDS, _THOUSAND_ALONE, _ZERO)
_EN_OPENERS = (_EN_UNITS, _EN_TEENS, _EN_TENS, {"a hundred": 0, "a thousand": 0, "a pair": 0})
_GATE = rf"(?:{_words(*_OPENERS, *_EN_OPENERS, fold=False)})(?![\w{_APOS}])"
_TAIL_GUARD = rf"(?!{_SEP}{_words(_STOP_AFTER)}(?![\w{_APOS}]))"

# Atomic group: once the longest expression is read, never fall back to a shorter prefix
# ("сто двадцать первого" is an ordinal, not 100).
NUMBER_PATTERN: str = f"(?:{_START}(?=\\d|{_GATE})(?>{_DIGITS}|{_SLAVIC}|{_ENGLISH}){_TAIL_GUARD})"

# find_numbers scans with the separator before a number consumed: a pattern that starts with a
# character class lets the engine skip through the text in C instead of trying the look-behinds
# at every position, and a first-letter class skips most words before the gate. The text
# is prefixed with a space, which every start condition treats like the start of the text.
_FIRST = "".join(sorted({w[0] for w in _VALUES} | {w[0].upper() for w in _VALUES}))
_SCAN_RE = re.compile(f"[^\\w{_APOS}](?=\\d|[{_FIRST}])({NUMBER_PATTERN})")
_DIGIT_HEAD = re.compile(r"\d+(?:[ \u00a0\u2007\u2009\u202f,]\d{3})*")
_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One numeric expression in a text: where it is, its value and its exact spelling."""

    start: int
    end: int
    value: int
    text: str


_NORM = str.maketrans({"ё": "е", **dict.fromkeys(_APOS, "'"), ".": None})


def _word_value(token: str) -> int:
    value = _VALUES.get(token.lower())  # the usual spelling: no translation needed
    if value is None:
        value = _VALUES.get(token.lower().translate(_NORM))  # п’ять, тыс.
    if value is None:  # a letter only IGNORECASE equates ("ſix"): ask the engine itself
        plain = token.translate(_NORM)
        value = next(v for w, v in _VALUES.items() if re.fullmatch(re.escape(w), plain, re.I))
    return value


def _value(text: str) -> int:
    """Value of text already matched by NUMBER_PATTERN (so every word is known)."""
    if text.isdecimal():
        return int(text)
    head = _DIGIT_HEAD.match(text)
    if head is not None:  # "1 200", "1,200", "5-ти"; any other tail is a thousand word
        number = int(_NON_DIGIT.sub("", head.group()))
        tail = text[head.end() :].strip()
        return number * 1000 if tail and not tail.startswith("-") else number
    total = current = 0
    for token in text.replace("-", " ").replace("‐", " ").split():
        value = _word_value(token)
        if value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif token.lower() == "hundred":  # English multiplies ("two hundred"), "двести" is one word
            current = (current or 1) * 100
        else:
            current += value  # "a" and "and" are 0
    return total + current


@cache
def _scan_ignorecase() -> re.Pattern[str]:
    """For parse_number only: what NUMBER_PATTERN matches inside a caller's IGNORECASE regex
    ("дВа") must parse too; compiled on first need, since find_numbers never needs it."""
    return re.compile(_SCAN_RE.pattern, re.IGNORECASE)


def parse_number(s: str) -> int | None:
    """Value of one numeric expression ("двадцятьма трьома" -> 23), None if s is not one."""
    text = s.strip()
    if not text:
        return None
    if _SCAN_RE.fullmatch(" " + text) is None and _scan_ignorecase().fullmatch(" " + text) is None:
        return None
    return _value(text)


def find_numbers(text: str, offset: int = 0) -> list[NumberMatch]:
    """Every numeric expression in text, left to right, each a clean integer token.

    `offset` is added to every span: for a caller that reads a slice of a longer text and
    wants spans in that text (one NumberMatch per number, not a second to move it)."""
    shift = offset - 1  # the scan runs on the text with one space in front
    return [
        NumberMatch(m.start(1) + shift, m.end(1) + shift, _value(m.group(1)), m.group(1))
        for m in _SCAN_RE.finditer(" " + text)
    ]
