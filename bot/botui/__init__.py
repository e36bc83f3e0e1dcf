"""The subscriber bot: commands and buttons (thin; the work is in `bot.alerts`).

context      Request / Reply / Button and the handler context (no Telethon)
dispatch     routing and the checks every command passes (groups, budget, admins)
user         subscriber commands;  buttons: the menus' button presses
admin        ADMIN_IDS commands;   keyboards: inline keyboards (pure)
archive      what /latest, /stats and /channels read
texts        the bot's words in ru / uk / en (admin_texts: the admins')
app          Telethon events -> dispatch -> messages
service      the alert stage composed: bot client, sender, commands, enqueuer
"""
