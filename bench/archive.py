"""Archive throughput: import, reclassify and CSV export of N synthetic posts, each beside a
baseline measured in the same run on the same machine.

    .venv/bin/python bench/archive.py --posts 200000

1. Writes a Telegram Desktop export (`result.json`) of N posts made from templates (MoD
   reports, governors, Ukraine's Air Force, English wires, threats, everyday posts and the
   usual traps; about 30% incidents, some edited, entity-list texts, service messages).
2. `uavwatch import` of it (`bot.importer.import_paths`: both passes, classification, FTS;
   with 2+ CPUs the classifying is shared with a worker process, as `uavwatch import` does)
   -> import_posts_per_s; a plain sqlite3 `executemany` of the same rows into a bare table
   -> raw_insert_per_s (generation untimed); import_ratio = raw / import.
3. `uavwatch reclassify` with an injected classifier version -> reclassify_posts_per_s.
4. CSV export of every row (`bot.export`) -> csv_rows_per_s; `csv.writer` alone writing the
   same tuples (fetch untimed) -> csv_writer_rows_per_s.
5. peak_rss_mb from getrusage (this process), worker_peak_rss_mb (the import's worker
   process, 0 without one); cpus: how many this process may use. Targets: import >=
   8,000/s, reclassify >= 5,000/s, CSV >= 100,000 rows/s, peak RSS < 300 MB at 1,000,000
   posts.

Prints a table, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from bot.classify import CLASSIFIER_VERSION
from bot.classify_ahead import usable_cpus
from bot.export import ExportFilter, export_to_path, iter_export_rows
from bot.importer import import_paths
from bot.pipeline import Pipeline
from bot.storage import Database, connect_reader

CHANNEL_ID = 1_500_000_001
CHANNEL_NAME = "Синтетический канал (бенчмарк)"
START = datetime(2025, 1, 1, tzinfo=UTC)
TARGETS = {
    "import_posts_per_s": 8_000,
    "reclassify_posts_per_s": 5_000,
    "csv_rows_per_s": 100_000,
}

# (genitive, instrumental) forms of Russian regions; Ukrainian oblasts in the locative.
RU_REGIONS = (
    ("Брянской области", "Брянской областью"),
    ("Курской области", "Курской областью"),
    ("Белгородской области", "Белгородской областью"),
    ("Смоленской области", "Смоленской областью"),
    ("Орловской области", "Орловской областью"),
    ("Калужской области", "Калужской областью"),
    ("Тульской области", "Тульской областью"),
    ("Воронежской области", "Воронежской областью"),
    ("Ростовской области", "Ростовской областью"),
    ("Липецкой области", "Липецкой областью"),
)
UA_REGIONS = ("Харківщині", "Сумщині", "Одещині", "Київщині", "Полтавщині", "Дніпропетровщині")
EN_REGIONS = ("Bryansk", "Kursk", "Belgorod", "Smolensk", "Oryol", "Voronezh")
MONTHS_UK = ("січня", "лютого", "березня", "квітня", "травня", "червня")


def _mod(r: random.Random) -> str:
    parts = r.sample(RU_REGIONS, r.randint(1, 4))
    counts = [r.randint(1, 25) for _ in parts]
    listing = ", ".join(
        f"{n} — над территорией {gen}" for n, (gen, _) in zip(counts, parts, strict=True)
    )
    hour = r.choice((20, 21, 22, 23))
    return (
        f"В период с {hour}.00 до {hour + 1}.00 мск дежурными средствами ПВО перехвачены "
        f"и уничтожены {sum(counts)} украинских беспилотных летательных аппаратов "
        f"самолетного типа: {listing}."
    )


def _drones_downed(n: int) -> str:
    """Russian number agreement: сбит беспилотник / сбиты 3 беспилотника / сбиты 7 беспилотников."""
    if n == 1:
        return "сбит беспилотник"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"сбиты {n} беспилотника"
    return f"сбиты {n} беспилотников"


def _governor(r: random.Random) -> str:
    _, inst = r.choice(RU_REGIONS)
    harm = r.choice(
        (
            "Пострадавших нет, повреждений нет.",
            f"Повреждены окна в {r.randint(2, 9)} частных домах, пострадавших нет.",
            f"Ранены {r.randint(2, 4)} человека, им оказывается помощь.",
        )
    )
    return (
        f"Этой ночью над {inst} силами ПВО {_drones_downed(r.randint(1, 12))}. {harm} "
        "На месте работают экстренные службы. Прошу сохранять спокойствие и доверять "
        "только официальной информации."
    )


def _ukraine(r: random.Random) -> str:
    launched = r.randint(20, 160)
    downed = r.randint(10, launched)
    return (
        f"У ніч на {r.randint(1, 28)} {r.choice(MONTHS_UK)} противник атакував {launched} "
        "ударними БпЛА типу Shahed та дронами-імітаторами. Станом на 09:00 збито/подавлено "
        f"{downed} ворожих БпЛА. Зафіксовано влучання на {r.choice(UA_REGIONS)}."
    )


def _english(r: random.Random) -> str:
    return (
        f"Air defences destroyed {r.randint(2, 90)} Ukrainian drones overnight, including "
        f"{r.randint(1, 9)} over the {r.choice(EN_REGIONS)} region, the ministry said. "
        "No casualties were reported."
    )


def _threat(r: random.Random) -> str:
    gen, _ = r.choice(RU_REGIONS)
    return r.choice(
        (
            f"Внимание! На территории {gen} объявлен режим беспилотной опасности. "
            "Оставайтесь в укрытиях, не подходите к окнам.",
            f"Отбой беспилотной опасности на территории {gen}. Спасибо за терпение.",
            f"Повітряна тривога на {r.choice(UA_REGIONS)}: загроза застосування ударних БпЛА.",
        )
    )


def _everyday(r: random.Random) -> str:
    return r.choice(
        (
            f"На дорогах области завершен ремонт {r.randint(3, 40)} км трассы. "
            "Следующий этап — освещение и новые остановки общественного транспорта.",
            f"В {r.randint(2, 30)} школах обновили спортзалы и столовые к новому учебному году. "
            "Благодарю строителей и родителей за помощь.",
            "Завтра ожидается сильный ветер и гололед. Будьте осторожны на дорогах, "
            "по возможности отложите поездки.",
            f"Семьи участников СВО получат выплаты до {r.randint(5, 25)} числа. "
            "Заявление можно подать в МФЦ или на портале госуслуг.",
            f"Собрали средства на {r.randint(5, 50)} FPV-дронов для наших бойцов, "
            "спасибо всем, кто помог!",
            "Прошли учения по отражению атаки БПЛА на объектах энергетики. "
            "Службы отработали слаженно.",
        )
    )


# (generator, weight): incidents (MoD, governors, Ukraine, English) are about 30%.
TEMPLATES = ((_mod, 10), (_governor, 9), (_ukraine, 7), (_english, 4), (_threat, 15))
_EVERYDAY_WEIGHT = 55


def message_text(r: random.Random) -> str:
    kinds = [t for t, _ in TEMPLATES] + [_everyday]
    weights = [w for _, w in TEMPLATES] + [_EVERYDAY_WEIGHT]
    return r.choices(kinds, weights)[0](r)


def messages(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """N posts in Desktop-export form, plus a service message after every 1,000th post."""
    r = random.Random(seed)
    moment = START
    message_id = 0
    for index in range(1, n + 1):
        moment += timedelta(seconds=r.randint(30, 600))
        unix = int(moment.timestamp())
        message_id += 1
        if index % 1000 == 0:
            yield {
                "id": message_id,
                "type": "service",
                "date": moment.strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(unix),
                "action": "pin_message",
                "text": "",
            }
            message_id += 1
        text = message_text(r)
        message: dict[str, Any] = {
            "id": message_id,
            "type": "message",
            "date": moment.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(unix),
            "from": CHANNEL_NAME,
            "from_id": f"channel{CHANNEL_ID}",
            "text": text,
        }
        if index % 7 == 0:  # entity-list form: a bold lead and a hashtag
            hashtag = {"type": "hashtag", "text": "#оперативно"}
            message["text"] = [{"type": "bold", "text": "Внимание!"}, f" {text} ", hashtag]
        if index % 20 == 0:
            edited = moment + timedelta(minutes=10)
            message["edited"] = edited.strftime("%Y-%m-%dT%H:%M:%S")
            message["edited_unixtime"] = str(int(edited.timestamp()))
        yield message


def write_export(folder: Path, n: int, seed: int) -> Path:
    """Streamed to disk: memory does not grow with N."""
    path = folder / "result.json"
    with path.open("w", encoding="utf-8") as out:
        head = {"name": CHANNEL_NAME, "type": "public_channel", "id": CHANNEL_ID}
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "messages": [\n')
        for index, message in enumerate(messages(n, seed)):
            if index:
                out.write(",\n")
            out.write(json.dumps(message, ensure_ascii=False))
        out.write("\n]}\n")
    return path


def plain_text(message: dict[str, Any]) -> str:
    """The text an importer stores: entity pieces joined in order."""
    text = message["text"]
    if isinstance(text, str):
        return text
    return "".join(p if isinstance(p, str) else p["text"] for p in text)


# --- measurements -----------------------------------------------------------------------


def measure_import(export: Path, db_path: Path, n: int) -> float:
    started = time.perf_counter()
    report = asyncio.run(import_paths(db_path, [export]))
    elapsed = time.perf_counter() - started
    if report.total("new") != n:
        raise SystemExit(f"the import stored {report.total('new')} new posts, expected {n}")
    return n / elapsed


# Rows handed to one executemany: the same order of batch as the pipeline's transactions.
RAW_BATCH = 2_000


def measure_raw_insert(folder: Path, n: int, seed: int) -> float:
    """executemany of the same (channel, id, date, text) rows into a bare WAL table."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE raw (channel_id INTEGER, message_id INTEGER, date TEXT, text TEXT,"
        " UNIQUE (channel_id, message_id))"
    )
    elapsed = 0.0
    batch: list[tuple[int, int, str, str]] = []
    stored = 0
    conn.execute("BEGIN")
    for message in messages(n, seed):
        if message["type"] != "message":
            continue
        date = datetime.fromtimestamp(int(message["date_unixtime"]), UTC).isoformat()
        batch.append((CHANNEL_ID, message["id"], date, plain_text(message)))
        if len(batch) == RAW_BATCH:
            elapsed += _timed_insert(conn, batch)
            stored += len(batch)
            batch = []
    elapsed += _timed_insert(conn, batch)
    stored += len(batch)
    started = time.perf_counter()
    conn.execute("COMMIT")
    elapsed += time.perf_counter() - started
    conn.close()
    return stored / elapsed


def _timed_insert(conn: sqlite3.Connection, batch: list[tuple[int, int, str, str]]) -> float:
    started = time.perf_counter()
    conn.executemany("INSERT INTO raw VALUES (?, ?, ?, ?)", batch)
    return time.perf_counter() - started


def measure_reclassify(db_path: Path) -> float:
    async def run() -> tuple[int, float]:
        async with await Database.open(db_path) as db:
            pipeline = Pipeline(db, classifier_version=f"{CLASSIFIER_VERSION}+bench")
            started = time.perf_counter()
            summary = await pipeline.reclassify()
            return summary.classified, time.perf_counter() - started

    classified, elapsed = asyncio.run(run())
    return classified / elapsed


def measure_csv(db_path: Path, folder: Path) -> float:
    conn = connect_reader(db_path)
    started = time.perf_counter()
    count = export_to_path(iter_export_rows(conn, ExportFilter()), "csv", folder / "all.csv")
    elapsed = time.perf_counter() - started
    conn.close()
    return count / elapsed


def measure_csv_writer(db_path: Path, folder: Path) -> float:
    """csv.writer alone over the same tuples, page by page; fetching is not timed."""
    conn = connect_reader(db_path)
    rows = iter_export_rows(conn, ExportFilter())
    elapsed = 0.0
    count = 0
    with (folder / "plain.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        while page := list(islice(rows, 5_000)):
            started = time.perf_counter()
            writer.writerows(page)
            elapsed += time.perf_counter() - started
            count += len(page)
    conn.close()
    return count / elapsed


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """ru_maxrss is in KiB on Linux (bytes on macOS); for RUSAGE_CHILDREN, the largest
    child that has ended (the import's worker)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- report -----------------------------------------------------------------------------


def run(n: int, seed: int, folder: Path) -> dict[str, Any]:
    steps: dict[str, Any] = {"posts": n}
    started = time.perf_counter()
    export = write_export(folder, n, seed)
    steps["generate_s"] = round(time.perf_counter() - started, 1)
    db_path = folder / "archive.db"
    steps["import_posts_per_s"] = round(measure_import(export, db_path, n))
    steps["raw_insert_per_s"] = round(measure_raw_insert(folder, n, seed))
    steps["import_ratio"] = round(steps["raw_insert_per_s"] / steps["import_posts_per_s"], 1)
    steps["reclassify_posts_per_s"] = round(measure_reclassify(db_path))
    steps["csv_rows_per_s"] = round(measure_csv(db_path, folder))
    steps["csv_writer_rows_per_s"] = round(measure_csv_writer(db_path, folder))
    steps["peak_rss_mb"] = round(peak_rss_mb(), 1)
    steps["worker_peak_rss_mb"] = round(peak_rss_mb(resource.RUSAGE_CHILDREN), 1)
    steps["cpus"] = usable_cpus()
    return steps


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{'measure':<24}{'value':>14}  target"]
    for key, value in result.items():
        target = TARGETS.get(key)
        if key in ("peak_rss_mb", "worker_peak_rss_mb"):
            mark = "< 300 at 1,000,000 posts"
        elif target is not None:
            mark = f">= {target:,}  {'ok' if value >= target else 'MISSED'}"
        else:
            mark = ""
        lines.append(f"{key:<24}{value:>14,}  {mark}".rstrip())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000, help="posts to generate")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--workdir", type=Path, help="keep files here (default: a temp dir)")
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = run(args.posts, args.seed, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="uavwatch-bench-") as tmp:
            result = run(args.posts, args.seed, Path(tmp))
    print(format_table(result))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
