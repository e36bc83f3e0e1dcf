"""`python -m bot` is the same as the `uavwatch` command."""

from bot.cli import main

raise SystemExit(main())
