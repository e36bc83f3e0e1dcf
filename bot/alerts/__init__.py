"""Alerts: from a stored post to a message in a subscriber's chat, exactly once (or twice at worst).

    matching     which subscribers an alert is for (pure)
    dedup        is a new post the same incident as a recent alert? (pure)
    i18n         every user-visible string in ru / uk / en (pure)
    format       headlines, alert messages, corrections, summaries, HTML-escaped (pure)
    ratelimit    token buckets and FloodWait pauses for Telegram's limits (pure)
    schedule     quiet hours, mute, time zones, retry backoff (pure)
    subscribers  repository: subscribers, their regions, kinds and channels
    records      repository: alerts (dedup groups) and the posts that reported them
    outbox       repository: outbox rows, what each chat was sent, queue health
    upkeep       repository: parked rows requeued, finished rows pruned
    enqueue      the pipeline hook: ingest results -> alerts -> outbox rows, same transaction
    transport    the seam to Telegram: Telethon (production) or the console (demo)
    delivery     what one due row becomes: a message, an edit, a reply, or nothing
    ledger       what the sender decided about rows, committed in batches, never blocking
    setbacks     FloodWait, a gone recipient, a lost connection, a failed attempt
    sender       the loop: due rows in priority order, within the limits, each marked delivered

Import the submodules directly; this package imports nothing on purpose (the CLI loads fast).
"""
