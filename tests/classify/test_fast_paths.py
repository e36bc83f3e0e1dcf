"""The speed-ups keep every answer: each cheap pre-check or rewritten regex against a plain
reference of what it replaces, and the short cuts through `classify` on posts that take them."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify import classify
from bot.classify.lexicon import FAMILIES, SCANNER, family_of, master_pattern
from bot.classify.numbers import find_numbers
from bot.classify.places import _hints
from bot.classify.text import detect_language, normalise, split_sentences
from bot.models import Label

_HOMOGLYPHS = dict(zip("aceikmopxy", "асеікморху", strict=True))
_CYRILLIC = set("абвгдежзийклмнопрстуфхцчшщъыьэюяеіїєґё")


def _fix_once(low: str) -> str:
    """Reference: each Latin look-alike touching a Cyrillic letter, replaced left to right."""
    out = list(low)
    for i, ch in enumerate(low):
        if ch in _HOMOGLYPHS and (
            (i > 0 and low[i - 1] in _CYRILLIC) or (i + 1 < len(low) and low[i + 1] in _CYRILLIC)
        ):
            out[i] = _HOMOGLYPHS[ch]
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aceikmopxyzдрнвоіё .'\n", max_size=40))
def test_homoglyphs_are_fixed_where_they_touch_cyrillic(text: str) -> None:
    expected = text.replace("ё", "е")
    for _ in range(3):
        fixed = _fix_once(expected)
        if fixed == expected:
            break
        expected = fixed
    assert normalise(text) == expected


def test_homoglyph_runs_and_pure_latin_words() -> None:
    assert normalise("дрoнiв") == "дронів"
    assert normalise("Drone over Kursk") == "drone over kursk"


_HINT_WORDS = ("село", "селищ", " с. ", "смт", "village of", "пос. ")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="селоищ смт.пvillagof", max_size=30))
def test_hint_trie_finds_a_word_exactly_when_the_text_contains_one(text: str) -> None:
    found = _hints(*_HINT_WORDS).search(text) is not None
    assert found == any(word in text for word in _HINT_WORDS)


def test_sentences_never_start_at_the_end_of_the_text() -> None:
    assert split_sentences("Сбит БПЛА. Пострадавших нет.").starts == (0, 10)
    assert split_sentences("Сбит БПЛА.").starts == (0,)
    assert split_sentences("Сбит БПЛА!\nОтбой.\n").starts == (0, 10, 11, 17)
    assert split_sentences("").starts == (0,)


def test_language_from_letter_counts() -> None:
    assert detect_language(normalise("Над Брянской областью сбиты два БПЛА.")) == "ru"
    assert detect_language(normalise("Збито 14 шахедів над Київщиною.")) == "uk"
    assert detect_language(normalise("Two drones were downed over the region.")) == "en"
    assert detect_language(normalise("12:00 — 14:00")) == "other"


# Cue keys that hold punctuation ("uav'", "fpv-", "air-") beside the words around them.
_TRICKY = ["uav's", "fpv-дрон", "air-raid", "alert", "відбій", "з", "напрямку", "сбит", "БПЛА"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_TRICKY, "обломки", ",", "."]), max_size=30))
def test_scanner_agrees_with_the_single_alternation_on_keys_with_punctuation(
    words: list[str],
) -> None:
    low = normalise(" ".join(words))
    master = master_pattern()
    expected = [(family_of(m.lastgroup or ""), m.start(), m.end()) for m in master.finditer(low)]
    assert [(c.family, c.start, c.end) for c in SCANNER.scan(low)] == expected
    assert sum(len(p) for _, p in FAMILIES) > 300


def test_post_without_any_event_cue_is_not_relevant_and_names_no_region() -> None:
    """Places and consequences alone ("no casualties in the Smolensk region") are no event."""
    c = classify("В Смоленской области пострадавших нет, погода солнечная.", home_region="RU-SMO")
    assert c.label is Label.NOT_RELEVANT
    assert c.confidence == 0.95
    assert c.regions == () and c.casualties is None and c.evidence == ()


def test_weak_drone_noun_alone_takes_the_short_cut_too() -> None:
    c = classify("Новый аппарат для школы закупили на средства района.")
    assert c.label is Label.NOT_RELEVANT and c.evidence == ()


def test_time_window_needs_a_clock_time() -> None:
    posted = datetime(2025, 3, 1, 21, 0, tzinfo=UTC)
    with_clock = classify("С 20.00 до 23.00 мск уничтожены 12 украинских БПЛА.", posted_at=posted)
    assert with_clock.time_window is not None
    assert with_clock.time_window.text == "С 20.00 до 23.00 мск"
    without = classify("С 20 до 23 часов уничтожены 12 украинских БПЛА.", posted_at=posted)
    assert without.time_window is None


def test_a_second_drone_adds_one_only_when_the_post_says_so() -> None:
    one = classify("Над Курской областью уничтожен один беспилотник.")
    two = classify("Над Курской областью уничтожен один беспилотник, второй подавлен.")
    assert (one.drones_destroyed, two.drones_destroyed) == (1, 2)


def test_numbers_of_a_slice_get_spans_in_the_whole_text() -> None:
    text = "Сбиты 12 БПЛА, ещё три подавлены."
    whole = find_numbers(text)
    sliced = find_numbers(text[6:], 6)
    assert [(n.start, n.end, n.value) for n in sliced] == [(n.start, n.end, n.value) for n in whole]
    assert [text[n.start : n.end] for n in sliced] == ["12", "три"]
