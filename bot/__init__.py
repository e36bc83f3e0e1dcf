"""uavwatch: a Telegram channel monitor for UAV incident reports.

Data flows one way: sources -> pipeline -> storage -> classify -> alerts -> sender.
"""

__version__ = "0.1.0"
