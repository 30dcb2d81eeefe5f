# Django's English formats, with the time zone after a date and time
# ("Dec. 6, 2026, 6:15 p.m. CET"): see ``newsroom/formats/fr``.
DATETIME_FORMAT = "N j, Y, P T"
