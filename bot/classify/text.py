"""Text preparation shared by every rule: one lower-cased copy with the same offsets.

All rule patterns are written in lower case and run case-sensitively on this copy: an
IGNORECASE regex over Cyrillic is about ten times slower in CPython, and the classifier has
a budget of a few dozen microseconds per post. The copy keeps every character at its index,
so a span found in it is also the span in the original text (evidence quotes the original).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Latin letters that look like Cyrillic ones. Posts (and copy-pasted reposts) mix them in:
# "подвeргся", "дрoна", "дронiв". Replaced only when they touch a Cyrillic letter.
_HOMOGLYPHS = {
    "a": "а",
    "c": "с",
    "e": "е",
    "i": "і",
    "k": "к",
    "m": "м",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
}
# One Latin letter with a Cyrillic one before or after it. Written to open with the Latin
# class: the engine then skips in C to the next candidate letter.
_MIXED = re.compile(r"[aceikmopxy](?:(?<=[а-яёіїєґ].)|(?=[а-яёіїєґ]))")
_HAS_LATIN = re.compile(r"[a-z]")
_APOSTROPHES = ("’", "ʼ", "‘", "`")


def normalise(text: str) -> str:
    """Lower-case, ё->е, one apostrophe, homoglyphs fixed; same length as `text`."""
    low = text.lower()
    if len(low) != len(text):  # rare: a character whose lower case is longer (e.g. "İ")
        low = "".join(ch.lower()[:1] or ch for ch in text)
    if "ё" in low:
        low = low.replace("ё", "е")
    for apostrophe in _APOSTROPHES:
        if apostrophe in low:
            low = low.replace(apostrophe, "'")
    if _HAS_LATIN.search(low):
        for _ in range(3):  # runs like "дрoнiв" need a second pass
            fixed = _MIXED.sub(lambda m: _HOMOGLYPHS[m.group()], low)
            if fixed == low:
                break
            low = fixed
    return low


_EN_WORDS = re.compile(r"\b(?:the|and|of|was|were|in|to|over|by|is|are|has|have)\b")


def detect_language(low: str) -> str:
    """ru | uk | en | other, from letter counts (str.count is far cheaper than a regex;
    spelled out, as map() and sum() cost as much again on a short post)."""
    count = low.count
    cyr = count("о") + count("е") + count("а")  # three of the commonest letters in ru/uk
    lat = count("e") + count("a") + count("o")  # the same three in Latin, ~25% of English
    if cyr == 0 and lat == 0:
        return "other"
    if lat > cyr:
        return "en" if _EN_WORDS.search(low) else "other"
    uk = count("і") + count("ї") + count("є") + count("ґ")  # letters only Ukrainian has
    ru = count("ы") + count("э") + count("ъ")  # letters only Russian has
    if uk > ru or (uk and "'" in low and ru == 0):
        return "uk"
    return "ru"


# A sentence ends at . ! ? … ; or a line break, but not inside "20.00", "09:00", "т.е.",
# nor after the "p.m." of "between 8 p.m. and midnight".
# (Written to start with one character class: ~3x faster than an alternation here.)
_SENTENCE_END = re.compile(r"[.!?…;\n](?<![\s(][ap]\.m\.)(?:(?<=\n)\n*|[.!?…;]*(?=\s|$))")


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence boundaries of a text; `index(pos)` says which sentence a position is in."""

    starts: tuple[int, ...]

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def span(self, i: int, text_len: int) -> tuple[int, int]:
        end = self.starts[i + 1] if i + 1 < len(self.starts) else text_len
        return self.starts[i], end


def span_within(low: str, start: int, end: int, edges: str) -> tuple[int, int]:
    """The stretch around low[start:end] up to the nearest of `edges` on either side (a clause
    for ",;:—", a sentence for ".!?\n"), without them."""
    left = max(low.rfind(ch, 0, start) for ch in edges) + 1
    rights = [i for i in (low.find(ch, end) for ch in edges) if i >= 0]
    return left, min(rights) if rights else len(low)


def split_sentences(low: str) -> Sentences:
    ends = [m.end() for m in _SENTENCE_END.finditer(low)]
    if ends and ends[-1] == len(low):  # ends only grow: only the last can be the text's end
        ends.pop()
    return Sentences((0, *ends))
