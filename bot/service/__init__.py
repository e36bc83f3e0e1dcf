"""`uavwatch run`: every part (watcher, web-preview poller, bot, sender, scheduler) in one loop."""
