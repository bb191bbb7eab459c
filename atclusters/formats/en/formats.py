# Short dates in English as the EU institutions write them (Interinstitutional Style Guide,
# "Dates": day, month, year), not the U.S. month/day order of Django's en formats: on a
# European portal 03/04/2026 is the 3rd of April. Everything not set here comes from Django's
# en formats.
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
