"""Sources: turn the outside world into `Post` objects and pipeline events.

Each source only emits; storing, classifying and alerting happen in the pipeline.

    tgexport          Telegram Desktop "Export chat history" (JSON), streamed with ijson
    webpreview_html   a saved or fetched https://t.me/s/NAME page, parsed with selectolax
"""

from __future__ import annotations

import re

_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_PREFIXES = ("https://", "http://", "t.me/s/", "t.me/", "telegram.me/", "@")


def normalize_username(value: str) -> str:
    """`@Name`, `t.me/Name` or `https://t.me/s/Name` -> `name`, the form the DB keys on.

    Raises ValueError (the caller knows which argument it was) when the rest is not a
    Telegram username: 4-32 letters, digits and underscores, starting with a letter.
    """
    name = value.strip()
    for prefix in _PREFIXES:
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
    name = name.split("?", 1)[0].strip("/")
    if not _USERNAME.fullmatch(name):
        raise ValueError(
            f"{value!r} is not a Telegram channel username "
            "(4-32 letters, digits or _, starting with a letter; e.g. 'mod_russia')"
        )
    return name.lower()
