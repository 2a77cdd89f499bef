"""One page size and one rule for page numbers, for the website and the API alike, so
that /api/findings/?page=2 holds what /findings/?page=2 shows."""

PAGE_SIZE = 20


def read_page(value, count, page_size=PAGE_SIZE):
    """(page number, None) for a usable `?page=` value, else (None, a message saying what
    to ask for instead)."""
    pages = max(1, -(-count // page_size))
    if not value.isdigit() or not 1 <= int(value) <= pages:
        return None, f"There is no page ‘{value[:20]}’: choose a page from 1 to {pages}."
    return int(value), None
