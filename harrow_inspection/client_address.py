"""The address of the person at the other end, behind a configured number of proxies.

Behind the TLS-terminating proxy the README describes, REMOTE_ADDR is the proxy's own
address for every visitor. Each proxy appends the address it received the request from
to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies of our own in front of the app,
the client is the entry that many places from the right. Everything left of it was
written by the client and is never believed. With TRUSTED_PROXY_COUNT=0 (the default:
no proxy) the header is ignored altogether.

django-axes keys its lockouts on this (AXES_CLIENT_IP_CALLABLE in settings.py).
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [hop for hop in chain if hop]
    if len(chain) < proxies:
        # Not through all our proxies (misconfigured, or reached directly): the only
        # address nobody could have written is the connection's.
        return remote
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
