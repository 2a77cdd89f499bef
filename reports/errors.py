"""The errors the reports app raises to say a file cannot become a report, kept apart from
the import pipeline so that the councils table can raise them too."""


class ReportParseError(Exception):
    """The file is not a report the importer can read; the message says what and where."""
