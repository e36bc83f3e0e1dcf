"""Classifier throughput on one core, beside a bare keyword regex scan measured in the same run.

    python bench/classify.py [--posts 100000] [--corpus tests/corpus/posts.jsonl]

The corpus is repeated until --posts texts are classified. Prints a table, then one JSON line.
Targets (issue 2): >= 10,000 posts/s, and >= 0.2 of the bare keyword scan's rate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import CLASSIFIER_VERSION, classify  # noqa: E402

KEYWORDS = re.compile(r"беспилот|БПЛА|БпЛА|дрон|drone|UAV|шахед|Shahed", re.IGNORECASE)


def _rate(fn: Callable[[str, str | None], object], posts: list[tuple[str, str | None]]) -> float:
    start = time.perf_counter()
    for text, home in posts:
        fn(text, home)
    return len(posts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus" / "posts.jsonl")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    base = [(r["text"], r.get("home_region")) for r in rows]
    posts = (base * (args.posts // len(base) + 1))[: args.posts]

    _rate(lambda t, h: classify(t, home_region=h), posts[:2000])  # warm up caches
    baseline = _rate(lambda t, h: KEYWORDS.search(t), posts)
    ours = _rate(lambda t, h: classify(t, home_region=h), posts)
    ratio = ours / baseline
    mean_chars = sum(len(t) for t, _ in posts) / len(posts)

    print(
        f"classifier {CLASSIFIER_VERSION}, {len(posts):,} posts, {mean_chars:.0f} chars on average"
    )
    print(f"{'':<28}{'posts/s':>12}{'µs/post':>10}")
    print(f"{'keyword regex (baseline)':<28}{baseline:>12,.0f}{1e6 / baseline:>10.1f}")
    print(f"{'uavwatch classify':<28}{ours:>12,.0f}{1e6 / ours:>10.1f}")
    print(f"ratio {ratio:.3f} of the baseline (target >= 0.2); target >= 10,000 posts/s")
    print(
        json.dumps(
            {
                "posts": len(posts),
                "classify_posts_per_s": round(ours),
                "keyword_baseline_posts_per_s": round(baseline),
                "ratio": round(ratio, 4),
                "classifier_version": CLASSIFIER_VERSION,
            }
        )
    )


if __name__ == "__main__":
    main()
