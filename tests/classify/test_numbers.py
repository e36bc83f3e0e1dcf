"""Number recognition: digits and number words in Russian, Ukrainian and English.

The phrases are written for these tests in the style of official posts (see DOMAIN.md);
none is copied from a real post.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify.numbers import NUMBER_PATTERN, NumberMatch, find_numbers, parse_number


def values(text: str) -> list[int]:
    return [m.value for m in find_numbers(text)]


# --- digits -----------------------------------------------------------------------------------

DIGITS = [
    ("12", 12),
    ("202", 202),
    ("0", 0),
    ("1 200", 1200),
    ("1\u00a0200", 1200),
    ("1\u2009200", 1200),
    ("1\u202f200", 1200),
    ("12 345 678", 12345678),
    ("1,200", 1200),
    ("1,200,000", 1200000),
    ("5-ти", 5),
    ("2-х", 2),
    ("3-мя", 3),
    ("5 тысяч", 5000),
    ("2 тисячі", 2000),
    ("3 thousand", 3000),
    ("2 тыс.", 2000),
    ("4 тис.", 4000),
]


@pytest.mark.parametrize(("text", "expected"), DIGITS)
def test_digits_parse(text: str, expected: int) -> None:
    assert parse_number(text) == expected
    assert values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("уничтожены 12 беспилотников", [12]),
        ("перехвачены и уничтожены 202 украинских БПЛА", [202]),
        ("всего 1 200 целей", [1200]),
        ("сбиты 4, 2 и 7 над областями", [4, 2, 7]),
        ("(5)", [5]),
        ("итого: 5.", [5]),
        # second group of a space-separated run must have exactly three digits
        ("повреждены 2 3-этажных дома", [2]),
        ("в 2 34 домах", [2, 34]),
        ("1234 567", [1234, 567]),
        ("в 2025 году", []),
        ("2025 г. и 2024г", []),
        ("у 2025 році: 2024 року, 2023 р.", [2025]),  # "році" is not on the year list
        ("in the 2024 year", []),
        ("2025 drones", [2025]),  # a year only next to a year word
        ("5 тыс", [5000]),
    ],
)
def test_digit_counts_in_context(text: str, expected: list[int]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "с 20.00 до 23.00 мск",
        "станом на 09:00",
        "around 3:30 a.m.",
        "24.11.2025",
        "1,5 тысячи",
        "1/2",
        "2-3 дрона",
        "20-21 ноября",
        "21-й",
        "80-ї бригади",
        "10-річний",
        "a 12-year-old",
        "Су-34",
        "Shahed-136",
        "Ту-22М3",
        "№5",
        "№ 5",
        "3D",
        "10км",
    ],
)
def test_digit_tokens_that_are_not_counts(text: str) -> None:
    assert find_numbers(text) == []


def test_time_is_never_glued_into_one_number() -> None:
    assert 2000 not in values("с 20.00 до 23.00")
    assert parse_number("20.00") is None
    assert parse_number("09:00") is None


# --- Russian words ----------------------------------------------------------------------------

RUSSIAN = [
    ("один", 1),
    ("одна", 1),
    ("одно", 1),
    ("одного", 1),
    ("одним", 1),
    ("одной", 1),
    ("одну", 1),
    ("два", 2),
    ("две", 2),
    ("двух", 2),
    ("двум", 2),
    ("двумя", 2),
    ("оба", 2),
    ("обоих", 2),
    ("обе", 2),
    ("три", 3),
    ("трёх", 3),
    ("трех", 3),
    ("трем", 3),
    ("тремя", 3),
    ("четыре", 4),
    ("четырёх", 4),
    ("четырьмя", 4),
    ("пять", 5),
    ("пяти", 5),
    ("пятью", 5),
    ("восемь", 8),
    ("восьми", 8),
    ("десять", 10),
    ("одиннадцать", 11),
    ("девятнадцать", 19),
    ("девятнадцати", 19),
    ("девятнадцатью", 19),
    ("двадцать", 20),
    ("двадцать один", 21),
    ("двадцати двух", 22),
    ("сорок", 40),
    ("сорока", 40),
    ("сорок восемь", 48),
    ("пятидесяти", 50),
    ("девяносто", 90),
    ("девяноста", 90),
    ("сто", 100),
    ("ста", 100),
    ("сто двадцать", 120),
    ("сто двадцать пять", 125),
    ("двести", 200),
    ("двухсот двух", 202),
    ("двумстам", 200),
    ("двумястами", 200),
    ("триста", 300),
    ("трёхсот", 300),
    ("четыреста", 400),
    ("пятьсот", 500),
    ("пятисот", 500),
    ("девятьсот девяносто девять", 999),
    ("тысяча", 1000),
    ("тысячу", 1000),
    ("тысяча двести", 1200),
    ("две тысячи", 2000),
    ("двух тысяч", 2000),
    ("пять тысяч сто", 5100),
    ("двадцать одна тысяча", 21000),
    ("девять тысяч девятьсот девяносто девять", 9999),
    ("ноль", 0),
    ("Два", 2),
    ("ДВАДЦАТЬ ОДИН", 21),
]


@pytest.mark.parametrize(("text", "expected"), RUSSIAN)
def test_russian_words(text: str, expected: int) -> None:
    assert parse_number(text) == expected
    assert values(f"сбиты {text} беспилотника") == [expected]


# --- Ukrainian words --------------------------------------------------------------------------

UKRAINIAN = [
    ("один", 1),
    ("одне", 1),
    ("однієї", 1),
    ("два", 2),
    ("дві", 2),
    ("двох", 2),
    ("двом", 2),
    ("двома", 2),
    ("обидва", 2),
    ("три", 3),
    ("трьох", 3),
    ("трьома", 3),
    ("чотири", 4),
    ("чотирьох", 4),
    ("п'ять", 5),
    ("п’ять", 5),
    ("пʼять", 5),
    ("п'яти", 5),
    ("п'ятьох", 5),
    ("п'ятьма", 5),
    ("шість", 6),
    ("сім", 7),
    ("вісім", 8),
    ("дев'ять", 9),
    ("дев’ятьма", 9),
    ("одинадцять", 11),
    ("одинадцяти", 11),
    ("чотирнадцять", 14),
    ("п'ятнадцять", 15),
    ("дев'ятнадцять", 19),
    ("двадцятьма трьома", 23),
    ("сорок", 40),
    ("сорока", 40),
    ("п'ятдесят", 50),
    ("дев'яносто", 90),
    ("дев’яноста", 90),
    ("сто", 100),
    ("ста", 100),
    ("двісті", 200),
    ("триста", 300),
    ("п'ятсот", 500),
    ("дев'ятсот дев'яносто дев'ять", 999),
    ("тисяча", 1000),
    ("дві тисячі", 2000),
    ("п'ять тисяч двісті", 5200),
]


@pytest.mark.parametrize(("text", "expected"), UKRAINIAN)
def test_ukrainian_words(text: str, expected: int) -> None:
    assert parse_number(text) == expected
    assert values(f"збито {text} шахедів") == [expected]


# --- English words ----------------------------------------------------------------------------

ENGLISH = [
    ("one", 1),
    ("twelve", 12),
    ("nineteen", 19),
    ("twenty", 20),
    ("twenty-one", 21),
    ("twenty one", 21),
    ("ninety-nine", 99),
    ("a hundred", 100),
    ("one hundred", 100),
    ("one hundred and twenty", 120),
    ("two hundred five", 205),
    ("a thousand", 1000),
    ("two thousand three hundred", 2300),
    ("nine thousand nine hundred and ninety-nine", 9999),
    ("Twelve", 12),
    ("TWENTY-ONE", 21),
    ("zero", 0),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_words(text: str, expected: int) -> None:
    assert parse_number(text) == expected
    assert values(f"air defences destroyed {text} drones") == [expected]


# --- what is not a count ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # ordinals, alone and after a cardinal that would start a compound ordinal
        "второй",
        "третьего",
        "двадцать первого ноября",
        "сто двадцать пятый",
        "двадцять першого",
        "сьома година",
        "twenty-first",
        "twenty first",
        # words that merely contain a number stem
        "одиночный",
        "трёхэтажный",
        "пятница",
        "сорокин",
        "двоечник",
        "однако",
        "опять",
        "twofold",
        "ten-year",
        "someone",
        "often",
        "one-way",
        # indefinite quantities
        "a dozen",
        "dozens of drones",
        "hundreds of drones",
        "thousands",
        "тысячи беспилотников",
        "пара дронов",
        "десяток дронов",
        "два десятка",
        "two dozen",
        "сотни дронов",
        # ranges written with a hyphen, words that are also nouns
        "двух-трёх",
        "помогли семью",
        "одни",
        "сім'я",
        "п'ятниця",
        "дев'ятий",
    ],
)
def test_not_counts(text: str) -> None:
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    "text", ["", "   ", "a dozen", "hundreds", "два три", "twenty twenty", "второй", "пара", "x5"]
)
def test_parse_number_rejects_what_is_not_one_number(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_ignores_surrounding_whitespace() -> None:
    assert parse_number("  сорок восемь\n") == 48


# --- find_numbers -----------------------------------------------------------------------------


def test_find_numbers_reports_positions_left_to_right() -> None:
    text = "Над областью сбиты два БПЛА, ещё 12 — над соседней; всего четырнадцать."
    found = find_numbers(text)
    assert found == [
        NumberMatch(text.index("два"), text.index("два") + 3, 2, "два"),
        NumberMatch(text.index("12"), text.index("12") + 2, 12, "12"),
        NumberMatch(text.index("четырнадцать"), len(text) - 1, 14, "четырнадцать"),
    ]


def test_find_numbers_at_the_edges_of_the_text() -> None:
    assert find_numbers("три") == [NumberMatch(0, 3, 3, "три")]
    assert [(m.start, m.end) for m in find_numbers("5 и 7")] == [(0, 1), (4, 5)]


def test_adjacent_numbers_that_do_not_form_one_expression_stay_apart() -> None:
    assert values("два три") == [2, 3]
    assert values("пять, сто") == [5, 100]
    assert values("двадцать\nодин") == [20, 1]  # a line break ends an expression


def test_a_mixed_mod_style_report() -> None:
    text = (
        "За прошедшие сутки сбиты три управляемые авиабомбы, 6 снарядов РСЗО и "
        "сто сорок семь беспилотных летательных аппаратов самолетного типа."
    )
    assert values(text) == [3, 6, 147]


# --- the pattern inside a bigger regex --------------------------------------------------------


def test_pattern_has_no_groups_and_works_inside_an_ignorecase_regex() -> None:
    assert re.compile(NUMBER_PATTERN).groups == 0
    bigger = re.compile(rf"({NUMBER_PATTERN})\s+(?:беспилотн|бпла|drones?)", re.IGNORECASE)
    text = "Уничтожены ДВАДЦАТЬ ДВА беспилотника; later, Twelve drones; and 7 БПЛА."
    assert [parse_number(m.group(1)) for m in bigger.finditer(text)] == [22, 12, 7]


def test_any_case_the_caller_accepts_with_ignorecase_parses() -> None:
    bigger = re.compile(rf"{NUMBER_PATTERN}", re.IGNORECASE)
    match = bigger.search("уничтожено дВаДцать оДин беспилотник")
    assert match is not None
    assert parse_number(match.group()) == 21
    assert find_numbers("дВаДцать") == []  # our own scan reads lower, Capitalised, UPPER


def test_letters_that_only_ignorecase_equates_do_not_break_find_numbers() -> None:
    assert values("twenty ſix drones") == [26]  # long s, which IGNORECASE equates with s


def test_pattern_does_not_match_inside_words_in_a_bigger_regex() -> None:
    bigger = re.compile(rf"x{NUMBER_PATTERN}|{NUMBER_PATTERN}y", re.IGNORECASE)
    assert bigger.search("x5 двay") is None


# --- properties -------------------------------------------------------------------------------

_RU_UNITS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_RU_TEENS = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
]
_RU_TENS = "_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто"
_RU_HUNDREDS = "_ сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот"


def spell_russian(n: int) -> str:
    """An independent, deliberately simple nominative speller for 0..9999."""
    if n == 0:
        return "ноль"
    words: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        unit = {1: "одна", 2: "две"}.get(thousands, _RU_UNITS[thousands])
        noun = "тысяча" if thousands == 1 else "тысячи" if thousands < 5 else "тысяч"
        words += [unit, noun] if thousands > 1 else [noun]
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        words.append(_RU_HUNDREDS.split()[hundreds])
    if 10 <= rest < 20:
        words.append(_RU_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_RU_TENS.split()[tens])
        if units:
            words.append(_RU_UNITS[units])
    return " ".join(words)


_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell_english(n: int) -> str:
    """British style for 1..999: "one hundred and twenty-one"."""
    hundreds, rest = divmod(n, 100)
    head = f"{_EN_UNITS[hundreds]} hundred" if hundreds else ""
    if rest < 10:
        tail = _EN_UNITS[rest] if rest else ""
    elif rest < 20:
        tail = _EN_TEENS[rest - 10]
    else:
        tail = _EN_TENS[rest // 10] + (f"-{_EN_UNITS[rest % 10]}" if rest % 10 else "")
    return " and ".join(part for part in (head, tail) if part)


@given(st.integers(min_value=0, max_value=999))
def test_russian_spelling_round_trips(n: int) -> None:
    assert parse_number(spell_russian(n)) == n


@given(st.integers(min_value=0, max_value=9999))
def test_russian_spelling_with_thousands_round_trips_in_a_sentence(n: int) -> None:
    spelled = spell_russian(n)
    assert find_numbers(f"Сбиты {spelled} дронов.") == [
        NumberMatch(6, 6 + len(spelled), n, spelled)
    ]


@given(st.integers(min_value=1, max_value=999))
def test_english_spelling_round_trips(n: int) -> None:
    assert parse_number(spell_english(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([" ", "\u00a0", "\u2009"]))
def test_grouped_digits_round_trip(n: int, separator: str) -> None:
    grouped = f"{n:,}".replace(",", separator)
    assert values(f"всего {grouped} целей") == [n]


# Text biased towards the characters that matter: digits, separators, apostrophes, number words.
_PIECES = st.sampled_from(
    [
        *"0123456789 .,:-/\u00a0\u2009\n'’ʼ№",
        "два",
        "сто",
        "тысяч",
        "двадцять",
        "п'ять",
        "twenty",
        "one",
        "hundred",
        "and",
        "a",
        "первого",
        "десятка",
        "году",
        "ſix",
        "ТРЁХ",
    ]
)
_TEXT = st.one_of(st.text(max_size=2000), st.lists(_PIECES, max_size=300).map("".join))


@settings(max_examples=300)
@given(_TEXT)
def test_find_numbers_never_raises_and_agrees_with_the_pattern(text: str) -> None:
    found = find_numbers(text)
    assert [(m.start, m.end) for m in found] == [
        m.span() for m in re.finditer(NUMBER_PATTERN, text)
    ]
    for previous, current in itertools.pairwise(found):
        assert previous.end <= current.start
    for m in found:
        assert text[m.start : m.end] == m.text
        assert parse_number(m.text) == m.value >= 0
