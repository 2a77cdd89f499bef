"""Which council a report is about: from the name it prints (or Ofsted's URN) to a
LocalAuthority of the project's table. Never creates a council.

Reports print a council's name in many ways ("Bedford Borough Council", "Derby City
Council", "the Royal Borough of Kensington and Chelsea", "Medway Children's Services",
"Kent County Council children's services", "Birmingham Children's Trust"). `name_key`
reduces each to the words that tell councils apart; `resolve_authority` looks that key
up among the councils' names and their aliases (LocalAuthorityAlias, which staff can
add in the admin).
"""

import datetime
import difflib

from reports.council_names import name_key
from reports.errors import ReportParseError
from reports.models import LocalAuthority, LocalAuthorityAlias

__all__ = ["UnknownAuthority", "name_key", "resolve_authority"]


class UnknownAuthority(ReportParseError):
    """No council of the table has this name or alias; the message names the closest."""


def operating_on(authority, day):
    return (authority.opened is None or authority.opened <= day) and (
        authority.closed is None or day <= authority.closed
    )


def choose(candidates, on):
    """One of several councils with the same name (Dorset County Council until 2019,
    Dorset Council since): the one operating `on` that day, else the one still operating."""
    if len(candidates) > 1 and on is not None:
        candidates = [a for a in candidates if operating_on(a, on)] or candidates
    if len(candidates) > 1:
        candidates = [a for a in candidates if a.closed is None] or candidates
    return candidates[0]


def resolve_authority(
    printed_name: str, *, urn: str = "", on: datetime.date | None = None
) -> LocalAuthority:
    """The council `printed_name` names (with Ofsted's `urn`, when known, first).

    `on` (the first inspection day) picks between councils that share a name over time.
    Raises UnknownAuthority, naming the closest matches, when no council has the name.
    """
    if urn:
        by_urn = LocalAuthority.objects.filter(ofsted_urn=str(urn).strip()).first()
        if by_urn is not None:
            return by_urn
    key = name_key(printed_name)
    authorities = list(LocalAuthority.objects.all())
    named = [a for a in authorities if name_key(a.name) == key]
    if named:
        return choose(named, on)
    alias = LocalAuthorityAlias.objects.filter(key=key).select_related("authority").first()
    if alias is not None:
        return alias.authority
    raise UnknownAuthority(unknown_message(printed_name, key, authorities))


def unknown_message(printed_name, key, authorities):
    names = {name_key(a.name): a.name for a in authorities}
    for alias in LocalAuthorityAlias.objects.select_related("authority"):
        names.setdefault(alias.key, alias.authority.name)
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    suggestion = sorted({names[k] for k in close}, key=[names[k] for k in close].index)
    hint = (
        f"the closest are {', '.join(suggestion)}"
        if suggestion
        else "no council has a similar name"
    )
    return (
        f"no local authority in the councils table is called {printed_name!r} ({hint}). "
        "If the report names a council by another name, add it as a local authority "
        "alias in the admin and import again; nothing was imported."
    )
