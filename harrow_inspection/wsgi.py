"""WSGI entry point (gunicorn harrow_inspection.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")

application = get_wsgi_application()
