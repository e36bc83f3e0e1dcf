"""Find cue phrases fast: a first-letters index in front of the regexes.

CPython's `re` tries every alternative of a big alternation at every word start, so one
master regex of ~300 cue patterns costs ~90 µs per post. Here each pattern's possible
literal prefixes (up to 3 characters) are worked out once, from the parsed pattern; a post
is split into words, each word's first letters pick the few patterns that could start
there, and only those are tried, anchored at the word. Same result as the alternation
(earlier patterns win at one position; a match hides the words it covers), ~10x faster.
A pattern whose prefix cannot be worked out is tried at every word, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

try:  # the stdlib's own regex parser; public as sre_parse before 3.11
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an older or newer layout: index nothing
    _sre_parse = None
    _c = None

PREFIX = 4
_WORD = re.compile(r"\w+")


@dataclass(slots=True, unsafe_hash=True)
class Cue:
    """One cue found in a text. Not frozen: a frozen dataclass costs three times as much to
    create, and the scan makes several per post (nothing mutates them)."""

    family: str
    start: int
    end: int


def _extend(prefixes: set[tuple[str, bool]], ops: Iterable, depth: int = 0) -> set:
    """Grow each unfinished prefix by what the next ops must match; (text, finished)."""
    for op, av in ops:
        if all(done or len(text) >= PREFIX for text, done in prefixes):
            break
        if depth > 20:
            return {(t, True) for t, _ in prefixes}
        prefixes = _step(prefixes, op, av, depth)
    return prefixes


def _grow(prefixes: set, chars: Iterable[str]) -> set:
    chars = list(chars)
    out = set()
    for text, done in prefixes:
        if done or len(text) >= PREFIX:
            out.add((text, done))
        else:
            out.update((text + ch, False) for ch in chars)
    return out


def _step(prefixes: set, op, av, depth: int) -> set:
    if op is _c.LITERAL:
        return _grow(prefixes, [chr(av)])
    if op is _c.IN:
        chars = [chr(v) for kind, v in av if kind is _c.LITERAL]
        if len(chars) == len(av) and len(chars) <= 8:
            return _grow(prefixes, chars)
    elif op is _c.SUBPATTERN:
        return _extend(prefixes, av[-1], depth + 1)
    elif op is _c.BRANCH:
        out = set()
        for alternative in av[1]:
            out |= _extend(set(prefixes), alternative, depth + 1)
        return out
    elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, _high, sub = av
        once = _extend(set(prefixes), sub, depth + 1)
        return once if low >= 1 else once | prefixes
    elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return prefixes  # zero-width: \b, lookarounds
    return {(text, True) for text, _ in prefixes}  # \w, \s, ...: the prefix ends here


def literal_prefixes(pattern: str) -> frozenset[str] | None:
    """Every string of up to 3 characters a match must start with; None if unknown."""
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern)
        found = _extend({("", False)}, parsed)
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    prefixes = frozenset(text for text, _ in found)
    return None if "" in prefixes else prefixes


def _trie_regex(keys: Iterable[str]) -> str:
    """ "при|пер|пра" -> "п(?:р(?:и|а)|ер)": the regex engine rejects a word in a step or
    two, where a flat alternation of ~400 keys tries every one. Longer keys are tried first,
    so the trigger is the longest key a word starts with."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node(trie)


def _node(node: dict) -> str:
    branches = [re.escape(ch) + _node(node[ch]) for ch in sorted(node) if ch]
    if "" in node:
        branches.append("")  # a shorter key ends here: tried after the longer ones
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


class CueScanner:
    """Scan lower-case text for (family, pattern) cues in precedence order.

    Several independent layers (e.g. event cues and consequence cues) can share one pass
    over the text: each layer keeps its own precedence and its own covered span.
    """

    def __init__(self, *layers: Sequence[tuple[str, Sequence[str]]]) -> None:
        self._families: list[str] = []
        self._sources: list[str] = []
        self._layer_of: list[int] = []
        by_key: dict[str, set[int]] = {}
        self.unindexed: list[str] = []  # patterns with no literal prefix (kept empty by a test)
        for layer, families in enumerate(layers):
            for family, patterns in families:
                for pattern in patterns:
                    n = len(self._sources)
                    self._families.append(family)
                    self._sources.append(pattern)
                    self._layer_of.append(layer)
                    prefixes = literal_prefixes(pattern)
                    if prefixes is None:
                        self.unindexed.append(pattern)
                        prefixes = frozenset({""})
                    for prefix in prefixes:
                        by_key.setdefault(prefix, set()).add(n)
        self._layers = len(layers)
        # A word that starts with key K may start any pattern whose prefix is a prefix of K.
        self._by_key = {
            key: sorted(set().union(*(by_key.get(key[:k], set()) for k in range(len(key) + 1))))
            for key in by_key
        }
        trigger = _trie_regex(k for k in by_key if k) if len(by_key) > ("" in by_key) else ""
        if "" in by_key:  # something must be tried at every word
            trigger = rf"(?:{trigger})?" if trigger else ""
        # Run on the text with a space in front: a pattern that opens with a character class
        # lets the engine skip from one non-word character to the next in C, where a
        # look-behind first would be tried at every position. The key is captured in a
        # look-ahead, so the scan goes on from the next character.
        self._trigger = re.compile(rf"\W(?=(?=\w)({trigger}))")
        self._compiled: dict[str, tuple[tuple[int, re.Pattern[str], tuple[str, ...]], ...]] = {}

    def _matchers(self, key: str) -> tuple[tuple[int, re.Pattern[str], tuple[str, ...]], ...]:
        """For each layer with a pattern a word starting with `key` may begin: the layer, those
        patterns as one alternation, and the family of each of its groups (by group number)."""
        found = self._compiled.get(key)
        if found is None:
            per_layer: list[list[int]] = [[] for _ in range(self._layers)]
            for n in self._by_key[key]:
                per_layer[self._layer_of[n]].append(n)
            built = []
            for layer, ids in enumerate(per_layer):
                if not ids:
                    continue
                rx = re.compile("|".join(f"(?P<p{n}>{self._sources[n]})" for n in ids))
                family_of = [""] * (rx.groups + 1)
                for n in ids:
                    family_of[rx.groupindex[f"p{n}"]] = self._families[n]
                built.append((layer, rx, tuple(family_of)))
            found = self._compiled[key] = tuple(built)
        return found

    def scan_layers(self, low: str) -> list[list[Cue]]:
        """One list of cues per layer, each left to right."""
        out: list[list[Cue]] = [[] for _ in range(self._layers)]
        covered = [0] * self._layers
        compiled = self._compiled
        key_end = 0
        for trigger in self._trigger.finditer(" " + low):
            pos = trigger.start()  # the word starts one character later in the padded text
            if pos < key_end:
                continue  # inside the key just read (a key such as "б'ют" spans a word start)
            key = trigger.group(1)
            key_end = pos + len(key)
            for layer, rx, family_of in compiled.get(key) or self._matchers(key):
                if pos < covered[layer]:
                    continue
                m = rx.match(low, pos)
                if m is not None:
                    end = m.end()
                    if end > pos:
                        # a pattern's own groups close before its outer one: lastindex is it
                        out[layer].append(Cue(family_of[m.lastindex], pos, end))  # type: ignore[index]
                        covered[layer] = end
        return out

    def scan(self, low: str) -> list[Cue]:
        """The cues of the first layer."""
        return self.scan_layers(low)[0]
