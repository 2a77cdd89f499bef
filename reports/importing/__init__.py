"""Reading Ofsted ILACS and single inspection framework (SIF) reports (PDF) into structured
data, and loading it.

`parse_report(path)` is pure (no database): it returns a ParsedReport or raises
ReportParseError. `load.import_report(...)` writes one into the database.
"""

from .parse import parse_lines, parse_report
from .result import ParsedReport, ReportParseError

#: Recorded in every ImportLog row; raise it when the parser's output changes.
#: 3: reads single inspection framework (SIF) reports too; 4: SIF summaries (page 1's
#: executive summary, 2014-15 unnumbered summaries of findings, paragraphs by font size)
PARSER_VERSION = "4"

__all__ = ["PARSER_VERSION", "ParsedReport", "ReportParseError", "parse_lines", "parse_report"]
