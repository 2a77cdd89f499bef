"""Request body limits, enforced before a body is read (README, "Security").

Two layers, so that neither a 1 GB POST nor a chunked stream is ever read in full:

* ``RequestSizeLimit`` wraps the WSGI application (harrow_inspection/wsgi.py, so it runs
  in gunicorn's worker before Django): a request whose Content-Length is over the limit
  for its address gets 413 at once, and its body is never read. The report upload
  address may send UPLOAD_MAX_BYTES (and its form's few fields); every other address
  REQUEST_MAX_BYTES.
* ``LimitedUploadHandler``, first of Django's upload handlers: it counts the bytes of
  uploaded files as they arrive and stops reading (StopUpload) past UPLOAD_MAX_BYTES,
  whatever the headers said, and accepts files only from signed-in staff, so an
  anonymous multipart POST is never written to a temporary file.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the upload form's other fields and the multipart boundaries.
MULTIPART_ALLOWANCE = 64 * 1024

TOO_LARGE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Too large</title></head>
<body><h1>That request is too large</h1>
<p>This site accepts at most {limit} in one request. Nothing was saved.</p></body></html>
"""


def megabytes(count):
    return f"{count / (1024 * 1024):g} MB"


def upload_path():
    return f"/{settings.ADMIN_PATH}reports/importlog/import/"


def limit_for(path):
    """The most bytes a request to `path` may send."""
    if path == upload_path():
        return settings.UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE
    return settings.REQUEST_MAX_BYTES


class RequestSizeLimit:
    """WSGI middleware: 413 for a declared body over the limit, without reading it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        limit = limit_for(environ.get("PATH_INFO", ""))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            body = TOO_LARGE_PAGE.format(limit=megabytes(limit)).encode()
            start_response(
                "413 Content Too Large",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    # The unread body is still on its way: the connection cannot be reused.
                    ("Connection", "close"),
                ],
            )
            return [body]
        return self.application(environ, start_response)


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload past UPLOAD_MAX_BYTES; files only from signed-in staff."""

    received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_staff:
            self.request.upload_refused = "Only signed-in staff may upload files."
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.request.upload_refused = (
                f"That file is over {megabytes(settings.UPLOAD_MAX_BYTES)}: it cannot be a report."
            )
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
