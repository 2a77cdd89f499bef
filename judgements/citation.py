"""A finding's citation in a reference manager's formats: RIS and BibTeX.

The report is the work cited (Ofsted, the year it was published, the council and the
report's title); the paragraph number and the finding's permanent address say where in
it. Both formats are plain text a person copies or a reference manager imports."""

import re

BIBTEX_SPECIAL = re.compile(r"[&%$#_{}~^\\]")
BIBTEX_WORDS = {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def year_of(inspection):
    return (inspection.published_on or inspection.end_date).year


def ris(finding, url):
    inspection = finding.inspection
    lines = [
        ("TY", "RPRT"),
        ("AU", inspection.publisher),
        ("TI", f"{inspection.local_authority}: {inspection.title}"),
        ("PY", str(year_of(inspection))),
    ]
    if inspection.published_on:
        lines.append(("DA", f"{inspection.published_on:%Y/%m/%d}"))
    lines += [
        ("PB", inspection.publisher),
        ("SE", f"Paragraph {finding.number}"),
        (
            "N1",
            f"Inspection dates {inspection.start_date:%-d %B %Y} to "
            f"{inspection.end_date:%-d %B %Y}, paragraph {finding.number}.",
        ),
        ("UR", url),
    ]
    if inspection.source_url:
        lines.append(("L1", inspection.source_url))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines)


def bibtex_text(value):
    """Text in a BibTeX field: its special characters escaped."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_WORDS.get(m[0], "\\" + m[0]), value)


def bibtex(finding, url):
    inspection = finding.inspection
    key = f"ofsted-{inspection.slug}-p{finding.number}"
    fields = [
        ("author", "{" + bibtex_text(inspection.publisher) + "}"),
        ("title", bibtex_text(f"{inspection.local_authority}: {inspection.title}")),
        ("institution", bibtex_text(inspection.publisher)),
        ("year", str(year_of(inspection))),
        (
            "note",
            bibtex_text(
                f"Inspection dates {inspection.start_date:%-d %B %Y} to "
                f"{inspection.end_date:%-d %B %Y}, paragraph {finding.number}"
            ),
        ),
        ("url", url),
    ]
    if inspection.published_on:
        fields.insert(4, ("date", f"{inspection.published_on:%Y-%m-%d}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{key},\n{body}\n}}"
