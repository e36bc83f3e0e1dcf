"""Offline fakes of uavwatch's external peers, for tests and benches.

``FakeTelegram`` is a Telegram server that the real Telethon client talks to in-process
(see ``telegram.py``). Import as ``from fakes import FakeTelegram``: ``tests/`` is on
``sys.path`` through pytest's rootdir-relative import of ``tests/conftest.py``.
"""

from .telegram import FakeTelegram
from .telegram_sender import FakeSender, NotFaked, RpcFail
from .telegram_world import BotLimiter, ManualClock, Received

__all__ = [
    "BotLimiter",
    "FakeSender",
    "FakeTelegram",
    "ManualClock",
    "NotFaked",
    "Received",
    "RpcFail",
]
