"""The site's addresses, reversed once per process instead of on every use.

An address depends on the URL configuration (the release) and the script prefix, never on
the data, yet Django's reverse() resolves it afresh on every call: on a finding's page
about eighteen times, more than its one database query costs. `address(name)` remembers
an address without parameters; `address_maker(name, **stand_ins)` reverses once with
stand-in values and returns a function that puts each call's values in their place, for
addresses whose parameters are slugs and numbers (which URL-quoting leaves as they are).
"""

from functools import cache

from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse


@cache
def _address(name, prefix):
    return reverse(name)


def address(name):
    """reverse(name) for an address without parameters, once per process and prefix."""
    return _address(name, get_script_prefix())


@cache
def _maker(name, prefix, stand_ins):
    url = reverse(name, kwargs=dict(stand_ins))
    pieces, order = [url], []
    for key, stand_in in stand_ins:
        text = str(stand_in)
        if url.count(text) != 1:
            raise ValueError(f"the stand-in {text!r} is not once in {url!r}")
        head, tail = pieces[-1].split(text)
        pieces[-1:] = [head, tail]
        order.append(key)
    if [key for key, _ in sorted(stand_ins, key=lambda item: url.index(str(item[1])))] != order:
        raise ValueError(f"give the stand-ins of {name!r} in the order of its address")
    return pieces, order


def address_maker(name, **stand_ins):
    """A function of the same keyword arguments giving reverse(name, kwargs=…), made from
    one reverse() with `stand_ins` (each a value that occurs once in the address, given
    in the address's order)."""
    pieces, order = _maker(name, get_script_prefix(), tuple(stand_ins.items()))

    def make(**values):
        parts = [pieces[0]]
        for key, piece in zip(order, pieces[1:], strict=True):
            parts += (str(values[key]), piece)
        return "".join(parts)

    return make


@cache
def _static_address(path, prefix):
    return static(path)


def static_address(path):
    """{% static path %}: a static file's address (with its content's hash in
    production), worked out once per process and prefix rather than on every page."""
    return _static_address(path, get_script_prefix())


def _forget_static_addresses(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_URL"):  # tests change them
        _static_address.cache_clear()


setting_changed.connect(_forget_static_addresses, dispatch_uid="harrow-static-addresses")
