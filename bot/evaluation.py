"""Score a classifier against a labelled corpus (the format of tests/corpus/README.md).

Scoring follows the labelling rules: a gold field that is absent or null is not scored;
`drones` is scored wherever the key is present (null included: "no exact figure" is an
answer); regions are compared as sets of region codes, so any spelling of a region counts.
A one-regex keyword baseline is scored beside the classifier, so every figure has a yardstick.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.classify.regions import lookup_region
from bot.errors import InputError
from bot.models import Classification, Label

LABELS = tuple(label.value for label in Label)
MISSING: Any = object()  # "drones" absent: not scored (null is an answer: "no exact figure")

KEYWORD_BASELINE = re.compile(r"беспилот|БПЛА|БпЛА|дрон|drone|UAV|шахед|Shahed", re.IGNORECASE)


def keyword_baseline(text: str, **_: Any) -> Classification:
    """What a keyword bot does: any drone word is an incident; no fields."""
    label = Label.UAV_INCIDENT if KEYWORD_BASELINE.search(text) else Label.NOT_RELEVANT
    return Classification(label=label, confidence=1.0, lang="other", classifier_version="keyword")


@dataclass(frozen=True, slots=True)
class GoldPost:
    id: str
    text: str
    label: str
    home_region: str | None = None
    date: datetime | None = None
    split: str | None = None
    drones: Any = MISSING
    launched: int | None = None
    regions: frozenset[str] | None = None  # region codes; None = not scored
    casualties: str | None = None
    damage: str | None = None


def _region_codes(names: Iterable[str], where: str) -> frozenset[str]:
    codes = set()
    for name in names:
        region = lookup_region(name)
        if region is None:
            raise InputError(f"{where}: unknown region {name!r} (use a region name or an ISO code)")
        codes.add(region.code)
    return frozenset(codes)


def parse_gold(lines: Iterable[str], source: str = "<corpus>") -> Iterator[GoldPost]:
    """Read labelled posts; a bad line is an InputError naming the file and line."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from None
        if not isinstance(row, dict) or "text" not in row or row.get("label") not in LABELS:
            raise InputError(f"{where}: needs 'text' and 'label' (one of {', '.join(LABELS)})")
        date = row.get("date")
        yield GoldPost(
            id=str(row.get("id", n)),
            text=row["text"],
            label=row["label"],
            home_region=row.get("home_region"),
            date=datetime.fromisoformat(date) if date else None,
            split=row.get("split"),
            drones=row.get("drones", MISSING),
            launched=row.get("launched"),
            regions=_region_codes(row["regions"], where) if row.get("regions") else None,
            casualties=row.get("casualties"),
            damage=row.get("damage"),
        )


@dataclass
class Score:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class Report:
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)
    fields: dict[str, Score] = field(default_factory=dict)
    errors: list[tuple[GoldPost, Classification, list[str]]] = field(default_factory=list)
    posts: int = 0

    def prf(self, label: str) -> tuple[float, float, float]:
        tp = self.confusion[(label, label)]
        fp = sum(v for (g, p), v in self.confusion.items() if p == label and g != label)
        fn = sum(v for (g, p), v in self.confusion.items() if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def accuracy(self) -> float:
        right = sum(v for (g, p), v in self.confusion.items() if g == p)
        return right / self.posts if self.posts else 0.0


FIELD_NAMES = ("drones_destroyed", "drones_launched", "regions", "casualties", "damage")


def _field_checks(gold: GoldPost, got: Classification) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    if gold.drones is not MISSING:
        checks["drones_destroyed"] = got.drones_destroyed == gold.drones
    if gold.launched is not None:
        checks["drones_launched"] = got.drones_launched == gold.launched
    if gold.regions:
        checks["regions"] = frozenset(r.code for r in got.regions) == gold.regions
    if gold.casualties is not None:
        checks["casualties"] = got.casualties == gold.casualties
    if gold.damage is not None:
        checks["damage"] = got.damage == gold.damage
    return checks


def evaluate(posts: Iterable[GoldPost], classify: Callable[..., Classification]) -> Report:
    report = Report(fields={name: Score() for name in FIELD_NAMES})
    for gold in posts:
        got = classify(gold.text, home_region=gold.home_region, posted_at=gold.date)
        report.posts += 1
        report.confusion[(gold.label, got.label.value)] += 1
        wrong = [] if got.label.value == gold.label else ["label"]
        for name, ok in _field_checks(gold, got).items():
            report.fields[name].add(ok)
            if not ok:
                wrong.append(name)
        if wrong:
            report.errors.append((gold, got, wrong))
    return report
