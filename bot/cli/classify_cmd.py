"""`uavwatch classify` and `uavwatch eval`: the classifier from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

from bot.classify import CLASSIFIER_VERSION, classify
from bot.classify.regions import lookup_region
from bot.errors import InputError
from bot.evaluation import (
    FIELD_NAMES,
    LABELS,
    MISSING,
    Report,
    evaluate,
    keyword_baseline,
    parse_gold,
)
from bot.models import Classification


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "classify",
        help="classify a post's text (or JSON lines) as a UAV incident, threat, ...",
        description="Classify post text. Give TEXT, or --jsonl FILE ('-' for stdin), "
        "or --sample to classify a few bundled example posts.",
    )
    p.add_argument("text", nargs="?", help="the post text")
    p.add_argument(
        "--jsonl",
        metavar="FILE",
        help="JSON lines with 'text' (and optional "
        "'home_region', 'date', 'channel'); '-' reads stdin",
    )
    p.add_argument("--sample", action="store_true", help="classify the bundled sample posts")
    p.add_argument("--explain", action="store_true", help="show the evidence behind the verdict")
    p.add_argument(
        "--home-region",
        metavar="REGION",
        help="the channel owner's region, e.g. 'Смоленская область' or RU-SMO",
    )
    p.add_argument("--date", metavar="ISO", help="when it was posted (resolves time windows)")
    p.set_defaults(handler=run_classify)

    e = sub.add_parser(
        "eval",
        help="score the classifier against a labelled corpus",
        description="Per-label precision/recall/F1, a confusion matrix and exact-match rates "
        "of the extracted fields, beside a one-regex keyword baseline.",
    )
    e.add_argument("file", metavar="FILE.jsonl", help="labelled posts (see tests/corpus/README.md)")
    e.add_argument("--split", help="score only posts whose 'split' field has this value")
    e.add_argument("--errors", action="store_true", help="list the posts it got wrong")
    e.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    e.set_defaults(handler=run_eval)


def _home(value: str | None) -> str | None:
    if value and lookup_region(value) is None:
        raise InputError(
            f"--home-region {value!r}: unknown region; give a name such as "
            "'Смоленская область', 'Kharkiv Oblast' or a code such as RU-SMO"
        )
    return value


def _date(value: str | None, where: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(  # noqa: B904 - the message says all; the parser's adds nothing
            f"{where}: date {value!r} is not ISO 8601 (e.g. 2025-11-24T06:10:00+03:00)"
        )
    if parsed.tzinfo is None:
        raise InputError(f"{where}: date {value!r} needs a UTC offset (e.g. +00:00)")
    return parsed


def run_classify(args: argparse.Namespace) -> int:
    sources = [bool(args.text), bool(args.jsonl), args.sample]
    if sum(sources) != 1:
        raise InputError("give exactly one of: TEXT, --jsonl FILE, --sample")
    if args.text:
        result = classify(
            args.text, home_region=_home(args.home_region), posted_at=_date(args.date, "--date")
        )
        print(describe(args.text, result, explain=args.explain))
        return 0
    if args.sample:
        sample = resources.files("bot").joinpath("data/sample_posts.jsonl")
        with sample.open(encoding="utf-8") as fh:
            for row in map(json.loads, fh):
                result = classify(row["text"], home_region=row.get("home_region"))
                print(describe(row["text"], result, explain=args.explain))
                print()
        return 0
    if args.jsonl == "-":
        return classify_jsonl(sys.stdin, sys.stdout, sys.stderr, source="<stdin>")
    path = Path(args.jsonl)
    if not path.is_file():
        raise InputError(f"{path}: no such file (give a JSON lines file, or '-' for stdin)")
    with path.open(encoding="utf-8") as fh:
        return classify_jsonl(fh, sys.stdout, sys.stderr, source=str(path))


def classify_jsonl(lines: Iterable[str], out: IO[str], err: IO[str], *, source: str) -> int:
    """One JSON line out per good line in; bad lines reported with their number, then exit 1."""
    bad = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError("needs an object with a string 'text'")
            home = row.get("home_region")
            if home is not None and lookup_region(home) is None:
                raise ValueError(f"unknown home_region {home!r}")
            result = classify(
                row["text"], home_region=home, posted_at=_date(row.get("date"), f"line {n}")
            )
        except (ValueError, InputError) as exc:
            bad += 1
            print(f"{source}:{n}: skipped: {exc}", file=err)
            continue
        out.write(json.dumps({**row, **result.to_dict()}, ensure_ascii=False) + "\n")
    if bad:
        print(f"{source}: {bad} bad line(s) skipped", file=err)
    return 1 if bad else 0


def describe(text: str, c: Classification, *, explain: bool = False) -> str:
    """A readable verdict: label, confidence, then only the fields that say something."""
    lines = [f"{c.label.value}  (confidence {c.confidence:.2f}, lang {c.lang})"]
    facts: list[tuple[str, Any]] = [
        ("threat", c.threat_state),
        ("destroyed", c.drones_destroyed),
        ("launched", c.drones_launched),
        ("outcome", ", ".join(sorted(c.outcome))),
        ("weapons", ", ".join(sorted(c.weapons))),
        ("regions", ", ".join(f"{r.name_en} ({r.code})" for r in c.regions)),
        ("places", ", ".join(c.places)),
        (
            "casualties",
            c.casualties
            and f"{c.casualties}"
            + (f" (killed {c.killed})" if c.killed else "")
            + (f" (injured {c.injured})" if c.injured else ""),
        ),
        ("damage", c.damage),
        ("time", c.time_window and c.time_window.text),
    ]
    lines += [f"  {name:<11}{value}" for name, value in facts if value not in (None, "")]
    if explain:
        lines.append("  evidence:")
        lines += [f"    {e.rule:<38} {e.text!r} @{e.start}" for e in c.evidence] or ["    (none)"]
    lines.append(f"  classifier {c.classifier_version}")
    return "\n".join(lines)


def _read_gold(path: str, split: str | None) -> list:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file (give a labelled JSON lines corpus)")
    with p.open(encoding="utf-8") as fh:
        posts = list(parse_gold(fh, source=str(p)))
    if split:
        posts = [g for g in posts if g.split == split]
        if not posts:
            raise InputError(f"{p}: no posts with split={split!r}")
    return posts


def run_eval(args: argparse.Namespace) -> int:
    posts = _read_gold(args.file, args.split)
    ours = evaluate(posts, classify)
    base = evaluate(posts, keyword_baseline)
    if args.json:
        print(json.dumps(figures(ours, base), ensure_ascii=False))
        return 0
    print("\n".join(format_report(ours, base, args.file)))
    if args.errors:
        print("\n".join(format_errors(ours)))
    return 0


def figures(ours: Report, base: Report) -> dict[str, Any]:
    def one(r: Report) -> dict[str, Any]:
        out: dict[str, Any] = {"accuracy": round(r.accuracy, 4)}
        for label in LABELS:
            p, rc, f1 = r.prf(label)
            out[label] = {"precision": round(p, 4), "recall": round(rc, 4), "f1": round(f1, 4)}
        for name in FIELD_NAMES:
            rate = r.fields[name].rate
            out[f"{name}_exact"] = None if rate is None else round(rate, 4)
        return out

    return {
        "posts": ours.posts,
        "classifier_version": CLASSIFIER_VERSION,
        "classifier": one(ours),
        "keyword_baseline": one(base),
    }


def format_report(ours: Report, base: Report, name: str) -> Iterator[str]:
    yield f"{name}: {ours.posts} posts, classifier {CLASSIFIER_VERSION} vs keyword baseline"
    yield ""
    yield f"{'label':<14}{'P':>7}{'R':>7}{'F1':>7}   {'base P':>7}{'base R':>7}{'base F1':>8}"
    for label in LABELS:
        p, r, f = ours.prf(label)
        bp, br, bf = base.prf(label)
        yield f"{label:<14}{p:>7.3f}{r:>7.3f}{f:>7.3f}   {bp:>7.3f}{br:>7.3f}{bf:>8.3f}"
    yield f"{'accuracy':<14}{ours.accuracy:>21.3f}   {base.accuracy:>22.3f}"
    yield ""
    yield f"{'exact match':<18}{'classifier':>14}{'baseline':>14}"
    for field_name in FIELD_NAMES:
        s, b = ours.fields[field_name], base.fields[field_name]
        if s.total:
            yield (
                f"{field_name:<18}{s.rate:>8.3f} ({s.correct}/{s.total})".ljust(40)
                + f"{b.rate:>8.3f}"
            )
    yield ""
    yield "confusion (rows gold, columns predicted):"
    yield " " * 14 + "".join(f"{label[:12]:>14}" for label in LABELS)
    for gold in LABELS:
        yield f"{gold:<14}" + "".join(f"{ours.confusion[(gold, p)]:>14}" for p in LABELS)


def format_errors(report: Report) -> Iterator[str]:
    yield ""
    yield f"{len(report.errors)} post(s) with a wrong label or field:"
    for gold, got, wrong in report.errors:
        yield f"- {gold.id}: wrong {', '.join(wrong)}"
        yield (
            f"    gold: {gold.label} drones={_show(gold.drones)} launched={gold.launched} "
            f"regions={sorted(gold.regions or [])} casualties={gold.casualties} "
            f"damage={gold.damage}"
        )
        yield (
            f"    got:  {got.label.value} drones={got.drones_destroyed} "
            f"launched={got.drones_launched} regions={sorted(r.code for r in got.regions)} "
            f"casualties={got.casualties} damage={got.damage}"
        )
        yield "    text: " + gold.text[:300].replace("\n", " / ")


def _show(value: Any) -> Any:
    return "-" if value is MISSING else value
