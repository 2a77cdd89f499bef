"""gunicorn's access log as JSON lines that are always valid JSON.

gunicorn's own SafeAtoms escapes only double quotes, so a path with a backslash or a
control character (which anyone may request) broke the line. This logger class escapes
every text atom as JSON does; the run command passes it as --logger-class.
"""

import json

from gunicorn.glogging import Logger, SafeAtoms


class JsonSafeAtoms(SafeAtoms):
    def __init__(self, atoms):
        dict.__init__(self)
        for key, value in atoms.items():
            # json.dumps escapes quotes, backslashes, control and non-ASCII characters;
            # [1:-1] drops the quotes it puts around the string.
            self[key] = json.dumps(value)[1:-1] if isinstance(value, str) else value


class JsonAccessLogger(Logger):
    atoms_wrapper_class = JsonSafeAtoms
