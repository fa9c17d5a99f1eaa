# English dates as the United Nations writes them (1 March 2018), not Django's US default;
# the other five languages use Django's formats for their locale.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j F"
