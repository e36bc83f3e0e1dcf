"""`uavwatch chart`: a real PNG from matplotlib's Agg canvas, and the missing-extra message.

The PNG is checked by its structure (signature, IHDR size, decompressed pixel rows that are
not one flat colour), not by comparing images, so font or version changes cannot break it.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.charts import CHARTS_MISSING, MatplotlibParts, render_daily_incidents
from bot.cli import main
from bot.errors import InputError
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.search import DailySeries

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk, checking each CRC."""
    assert data[:8] == PNG_SIGNATURE
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        payload = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + payload) == crc
        chunks.append((kind, payload))
        pos += 12 + length
    return chunks


def assert_drawn_png(path: Path) -> tuple[int, int]:
    """A complete PNG whose pixels are not all one colour; returns (width, height)."""
    chunks = png_chunks(path.read_bytes())
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height = struct.unpack(">II", chunks[0][1][:8])
    pixels = zlib.decompress(b"".join(p for kind, p in chunks if kind == b"IDAT"))
    assert len(pixels) > width * height  # at least a byte per pixel, plus row filters
    assert len(set(pixels)) > 10  # lines, text and axes, not a blank canvas
    return width, height


SERIES = DailySeries(
    days=tuple(date(2025, 3, 1) + timedelta(days=i) for i in range(10)),
    counts={"RU-BRY": (1, 3, 0, 2, 5, 1, 0, 0, 4, 2), "UA-63": (0, 1, 1, 0, 0, 2, 3, 1, 0, 0)},
)


def test_render_writes_a_png_with_pixels(tmp_path: Path):
    out = tmp_path / "chart.png"
    render_daily_incidents(SERIES, out, title="test", names={"RU-BRY": "Bryansk Oblast"})
    assert assert_drawn_png(out) == (1100, 550)


def test_render_refuses_an_empty_series(tmp_path: Path):
    with pytest.raises(InputError, match="nothing to draw"):
        render_daily_incidents(DailySeries((), {}), tmp_path / "x.png", title="t")
    assert not (tmp_path / "x.png").exists()


def _no_matplotlib() -> MatplotlibParts:
    raise ImportError("No module named 'matplotlib'")


def test_without_matplotlib_one_line_says_which_extra(tmp_path: Path):
    with pytest.raises(InputError) as err:
        render_daily_incidents(
            SERIES, tmp_path / "x.png", title="t", import_matplotlib=_no_matplotlib
        )
    assert str(err.value) == CHARTS_MISSING
    assert "\n" not in str(err.value) and "uavwatch[charts]" in str(err.value)


async def test_cli_chart_from_archive(pipeline: Pipeline, db_path: Path, tmp_path: Path, capsys):
    start = datetime(2025, 3, 1, 5, tzinfo=UTC)
    texts = (
        "Над Брянской областью сбит беспилотник.",
        "Над территорией Курской области уничтожены два беспилотника.",
        "Ремонт дорог завершен.",
    )
    await pipeline.ingest_many(
        NewPost(Post("gov", None, i, start + timedelta(hours=7 * i), texts[i % 3], Source.LIVE))
        for i in range(1, 30)
    )
    out = tmp_path / "incidents.png"
    args = ["chart", "--out", str(out), "--top", "1", "--db", str(db_path)]
    assert main([*args, "--since", "2025-03-01", "--until", "2025-03-31"]) == 0
    assert "1 regions" in capsys.readouterr().out
    assert_drawn_png(out)
    assert main([*args, "--since", "2026-01-01"]) == 2
    assert "nothing to draw" in capsys.readouterr().err
