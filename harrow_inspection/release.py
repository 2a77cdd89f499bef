"""Which code is running, for cache keys and ETags.

Kept pages and counts are keyed by the data version, which a deploy does not move: with a
shared cache (Redis outlives the app servers) or a proxy holding ETags, a new release
would otherwise go on serving pages its predecessor rendered until the next edit. So the
release is part of every cache key and ETag: `RELEASE` from the environment when the
operator sets one (a git commit, a build number), else a digest of the project's own
code and templates, the same on every machine that runs the same checkout.
"""

import hashlib
import os
from pathlib import Path

SOURCES = ("harrow_inspection", "reports", "judgements", "templates")
SUFFIXES = (".py", ".html", ".css", ".js", ".txt", ".xml")


def digest(base_dir: Path) -> str:
    hasher = hashlib.sha256()
    for top in SOURCES:
        for path in sorted((base_dir / top).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "node_modules" not in path.parts:
                hasher.update(str(path.relative_to(base_dir)).encode() + b"\0")
                hasher.update(path.read_bytes())
    return hasher.hexdigest()[:12]


def release(base_dir: Path) -> str:
    return os.environ.get("RELEASE", "").strip() or digest(base_dir)
