# British English, as a European newsroom and its sources write dates
# ("6 December 2026", "9 May 2025"; Django's "en" is American), with the time
# zone after a date and time ("6 December 2026, 18:15 CET"): see
# ``newsroom/formats/fr``. Only display formats: what editors type is read as
# Django reads it for English.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
