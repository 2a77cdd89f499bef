"""What changed, in words people read: word-level differences and fields' labels.

Used by the conflict panel of a refused save (the text the other person saved against
what this person typed) and by history (each version against the one before). The
difference is marked up with ``<del>`` and ``<ins>``, each carrying a text label for
screen readers and a legend on the page, so that it is not told by colour alone (nor
by strike-through alone).
"""

import difflib
import re

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

# Words, each with the spaces after it (and the text's leading spaces on their own), so
# that joining the pieces gives the text back and spaces alone never count as a match.
WORDS = re.compile(r"^\s+|\S+\s*")
# Below this share of words in common, a text was rewritten rather than edited: it is
# shown as all removed and all added, not as a scatter of matching small words.
REWRITTEN = 0.3


def words(text):
    return WORDS.findall(text or "")


def word_diff(old, new, *, removed="removed", added="added"):
    """HTML of ``new`` against ``old``: words only in ``old`` in ``<del>``, words only in
    ``new`` in ``<ins>``, each labelled (``removed``/``added``) for screen readers.
    Everything is escaped."""
    before, after = words(old), words(new)
    # Compared without their spaces: "other." at the end matches "other. " mid-text.
    matcher = difflib.SequenceMatcher(
        None, [w.strip() for w in before], [w.strip() for w in after], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    if before and after and matcher.ratio() < REWRITTEN:
        opcodes = [("replace", 0, len(before), 0, len(after))]
    pieces = []
    for operation, i1, i2, j1, j2 in opcodes:
        if operation == "equal":
            pieces.append(format_html("{}", "".join(after[j1:j2])))
            continue
        if operation in ("delete", "replace"):
            gone = "".join(before[i1:i2])
            pieces.append(_marked("del", removed, gone))
            if operation == "replace" and gone == gone.rstrip():
                pieces.append(" ")  # "old new", not "oldnew"
        if operation in ("insert", "replace"):
            pieces.append(_marked("ins", added, "".join(after[j1:j2])))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


MARKED = {
    tag: "{}<" + tag + ' class="word-change"><span class="visually-hidden">[{}: </span>{}'
    '<span class="visually-hidden">]</span></' + tag + ">{}"
    for tag in ("del", "ins")
}


def _marked(tag, label, text):
    stripped = text.strip()
    if not stripped:  # only spaces changed: nothing a reader would see
        return format_html("{}", text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return format_html(MARKED[tag], lead, label, stripped, trail)


def is_long_text(field):
    return isinstance(field, models.TextField)


def shown_value(field, value):
    """A field's value as the admin shows it: a choice's label (“In progress”, not
    ``in-progress``), a related record's name, a date in words, “(empty)”."""
    if value in (None, ""):
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.many_to_one:
        if isinstance(value, models.Model):
            return str(value)
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(a removed {field.verbose_name})"
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(field, models.DateField):
        return date_format(value, "j F Y")
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    return str(value)


def field_change(model, name, old, new, *, removed="removed", added="added"):
    """One changed field, ready for a template: {"label", "diff" (long text, as a word
    diff), "old" and "new" (shown values)}."""
    field = model._meta.get_field(name)
    change = {
        "label": str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:],
        "old": shown_value(field, old),
        "new": shown_value(field, new),
        "diff": None,
    }
    if is_long_text(field):
        change["diff"] = word_diff(
            "" if old is None else str(old),
            "" if new is None else str(new),
            removed=removed,
            added=added,
        )
    return change
