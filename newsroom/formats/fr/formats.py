# Django's French formats, with the time zone after a date and time
# ("6 décembre 2026 18:15 CET"): editors and journalists read times from a
# newsroom in Paris, wherever they are (Wagtail's lock banner uses it too).
DATETIME_FORMAT = "j F Y H:i T"
