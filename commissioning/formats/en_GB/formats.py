"""Dates in the NHS digital service manual's style ("1 April 2015": no leading zero, the month
in full, no comma), so `{{ day }}` and `|date` without a format print them that way. Times
("9:30am") have no Django format letter: pages use the `nhs_time`/`nhs_datetime` filters
(commissioning/dates.py). Input formats are Django's en_GB ones, unchanged."""

DATE_FORMAT = "j F Y"  # '1 April 2015'
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, G:i"  # a fallback only: pages print times with |nhs_datetime
SHORT_DATETIME_FORMAT = "j F Y, G:i"
