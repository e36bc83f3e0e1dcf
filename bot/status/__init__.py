"""`uavwatch status` and the bot's /health: the report (`report.py`), how it reads (`render.py`)."""

from bot.status.render import render_text, to_dict
from bot.status.report import (
    DEFAULT_STALE,
    ChannelStatus,
    JobStatus,
    OutboxStatus,
    ParkedDelivery,
    PartStatus,
    StatusReport,
    age_parts,
    age_text,
    gather_status,
    load_status,
    read_status,
    stale_after,
)

__all__ = [
    "DEFAULT_STALE",
    "ChannelStatus",
    "JobStatus",
    "OutboxStatus",
    "ParkedDelivery",
    "PartStatus",
    "StatusReport",
    "age_parts",
    "age_text",
    "gather_status",
    "load_status",
    "read_status",
    "render_text",
    "stale_after",
    "to_dict",
]
