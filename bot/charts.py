"""`uavwatch chart`: daily incident counts per region as a PNG (matplotlib, extra `charts`).

Draws with matplotlib's object API and the Agg canvas directly instead of pyplot, so no
display is needed and no global backend state is touched. matplotlib is imported through an
injectable function, so the "extra not installed" path is testable without uninstalling it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.search import DailySeries

CHARTS_MISSING = "Charts need the 'charts' extra: pip install 'uavwatch[charts]'"
# Wide enough for a month of daily ticks; 100 dpi keeps the file small for a chat or a wiki.
_FIGSIZE = (11.0, 5.5)
_DPI = 100
# A chat photo: 800 x 450 px reads well on a phone and stays a few tens of kilobytes.
_CHAT_FIGSIZE = (8.0, 4.5)
_YLABEL = "incident posts per day (UTC)"
# Markers help to read a short series; on long ones they clutter the line.
_MARKER_MAX_DAYS = 45

MatplotlibParts = tuple[Any, Any, Any]  # (Figure, FigureCanvasAgg, MaxNLocator)


def import_matplotlib() -> MatplotlibParts:
    """The three matplotlib pieces used; raises ImportError without the `charts` extra."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    return Figure, FigureCanvasAgg, MaxNLocator


def render_daily_incidents(
    series: DailySeries,
    out: Path,
    *,
    title: str,
    names: Mapping[str, str] | None = None,
    import_matplotlib: Callable[[], MatplotlibParts] = import_matplotlib,
) -> None:
    """One line per region (legend: `names[code]` or the code) over the series' days."""
    if not series.days:
        raise InputError(
            "no incidents with a region in the chosen period: nothing to draw "
            "(widen it with --days or --since, or check `uavwatch stats`)"
        )
    figure = _draw(series, title, names or {}, _YLABEL, _FIGSIZE, import_matplotlib)
    try:
        figure.savefig(out, format="png")
    except OSError as exc:
        raise InputError(f"cannot write chart to {out}: {exc.strerror or exc}") from None


def daily_incidents_png(
    series: DailySeries,
    *,
    title: str,
    ylabel: str = _YLABEL,
    names: Mapping[str, str] | None = None,
    figsize: tuple[float, float] = _CHAT_FIGSIZE,
    import_matplotlib: Callable[[], MatplotlibParts] = import_matplotlib,
) -> bytes:
    """The same chart as PNG bytes, phone-sized by default (the daily digest's photo).
    CPU-bound: call it in a worker thread from async code."""
    figure = _draw(series, title, names or {}, ylabel, figsize, import_matplotlib)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw(
    series: DailySeries,
    title: str,
    names: Mapping[str, str],
    ylabel: str,
    figsize: tuple[float, float],
    import_matplotlib: Callable[[], MatplotlibParts],
) -> Any:
    try:
        figure_cls, canvas_cls, int_locator = import_matplotlib()
    except ImportError:
        raise InputError(CHARTS_MISSING) from None
    figure = figure_cls(figsize=figsize, dpi=_DPI)
    canvas_cls(figure)
    axes = figure.add_subplot()
    marker = "o" if len(series.days) <= _MARKER_MAX_DAYS else None
    for code, counts in series.counts.items():
        label = f"{code} {names[code]}" if code in names else code
        axes.plot(series.days, counts, label=label, marker=marker, linewidth=1.6)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(int_locator(integer=True))
    axes.grid(True, alpha=0.3)
    if series.counts:
        axes.legend(loc="upper left", fontsize="small")
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure
