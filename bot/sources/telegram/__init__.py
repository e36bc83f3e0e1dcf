"""The Telegram watcher: live channels, catch-up, reconcile sweep, backfill (issue 4).

Modules (import what you need; this package file stays light because `bot.config` reads
`refs` and must not pay for importing Telethon):

    refs        pure: parse CHANNELS entries (usernames, t.me links, ids)
    convert     pure: Telethon messages -> `Post` (albums become one post)
    throttle    FloodWait scopes, capped backoff with jitter, history pacing (clock injected)
    history     paging GetHistory in both directions, one request per page
    peers       the watched channels and their cached peers (id + access hash) in the DB
    ingest      group commit into the pipeline + the alert/store-only decision
    channels    resolving channels once, membership, per-channel frontier and sync
    reconcile   the sweep that turns differences into EditedPost/DeletedPost
    watcher     the lifecycle: connect, catch up, live handlers, polling, reconnect
    backfill    `uavwatch backfill`: resumable history fill with progress
    client      client factory, session storage, login
"""
