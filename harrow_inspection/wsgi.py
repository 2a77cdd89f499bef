"""WSGI entry point (gunicorn harrow_inspection.wsgi).

Wrapped in the request size limit, which refuses an over-long body with 413 before
Django, or anyone, reads it (harrow_inspection/limits.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")

from harrow_inspection.limits import RequestSizeLimit

application = RequestSizeLimit(get_wsgi_application())
