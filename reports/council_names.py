"""A council's name as a key: what tells councils apart in the names reports print.

Plain text functions (no models), so that the models, the importer and the councils
table all normalise names the same way.
"""

import re
import unicodedata

# Words around a council's name that do not tell councils apart, removed from the start
# (PREFIXES) and the end (SUFFIXES) of a name until none is left. Longest first.
PREFIXES = [
    "the ",
    "council of the ",
    "royal borough of ",
    "london borough of ",
    "metropolitan borough of ",
    "city and county of ",
    "county borough of ",
    "borough of ",
    "county of ",
    "city of ",
    "county ",  # County Durham
    "inspection of ",
]
SUFFIXES = [
    " children and families trust",
    " children s services trust",
    " children s social care services",
    " children s social care",
    " children s services",
    " children s trust",
    " childrens services",
    " childrens trust",
    " metropolitan district council",
    " metropolitan borough council",
    " metropolitan borough",
    " metropolitan district",
    " county borough council",
    " county council",
    " borough council",
    " district council",
    " city council",
    " unitary authority",
    " corporation",
    " council",
    " borough",
    " county of",  # "Herefordshire, County of", with its comma gone
    " city of",  # "Bristol, City of"
    " county",
    " city",
]
# Names whose words include one of the above: kept as they are.
KEPT = {"city of london"}


def name_key(name):
    """`name` reduced to what tells councils apart: lower case, "&" as "and", no
    punctuation, and without "the", "Council", "Borough of", "Children's Services"…"""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)  # apostrophes, hyphens, commas, full stops
    text = " ".join(text.split())
    while text not in KEPT:
        shorter = strip_once(text)
        if shorter == text:
            break
        text = shorter
    return text


def strip_once(text):
    """`text` without one of the SUFFIXES, else without one of the PREFIXES (suffixes
    first, so "City of London Corporation" stops at "city of london")."""
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    for prefix in PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text
