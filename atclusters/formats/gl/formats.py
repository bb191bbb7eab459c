# Django's Galician formats set the separators but no grouping, so 12345 would print as 12345
# where Galician writes 12.345 (CLDR gl; the same as the Spanish and Portuguese official use of
# a point). Everything not set here comes from Django's gl formats.
NUMBER_GROUPING = 3
