"""PostgreSQL's Django backend, starting the embedded server on the first connection."""

import functools
from pathlib import Path

from django.db.backends.postgresql import base

from harrow_inspection import embedded_db


@functools.cache
def _server(data_dir):
    """Start (or join) the server once per process; its socket folder."""
    return embedded_db.start(Path(data_dir))["HOST"]


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        if not self.settings_dict["HOST"]:
            self.settings_dict["HOST"] = _server(self.settings_dict["DATA_DIR"])
        return super().get_connection_params()
