# Italian dates as Italians write them: "6 gennaio 2027", "venerdì 4 dicembre", no leading zeros. The lower-case
# month and weekday names are in our catalogue (welfare/portal/django_strings.py); what is not set here (input
# formats, separators) comes from Django's own Italian formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
