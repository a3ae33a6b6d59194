"""MEM003: module- and class-level dicts used as caches without eviction."""
from collections import OrderedDict

_parsed = {}
_by_url = OrderedDict()


def parse(path):
    if path not in _parsed:
        _parsed[path] = open(path).read()  # expect: MEM003
    return _parsed[path]


def fetch(url, session):
    page = _by_url.get(url)
    if page is None:
        page = session.get(url)
        _by_url[url] = page  # expect: MEM003
    return page


class Geocoder:
    _lookups = {}

    def locate(self, address):
        try:
            return self._lookups[address]
        except KeyError:
            result = self._lookups[address] = self._query(address)  # expect: MEM003
            return result

    def _query(self, address):
        return address


# --- near misses --------------------------------------------------------------------------

_evicted = {}


def cached(key, compute):
    if key in _evicted:
        return _evicted[key]
    if len(_evicted) > 1000:
        _evicted.clear()
    _evicted[key] = value = compute(key)
    return value


_registry = {}


def register(name, handler):
    _registry[name] = handler  # no lookup in the same function: a registry


def lookup(name):
    return _registry[name]


_by_type = {}


def adapter_for(obj):
    if type(obj) not in _by_type:
        _by_type[type(obj)] = make_adapter(obj)
    return _by_type[type(obj)]


def make_adapter(obj):
    return obj


_popped = {}


def remember(key, value):
    if key not in _popped:
        _popped[key] = value


def forget(key):
    _popped.pop(key, None)


_shared = {}


def memo(key):
    if key not in _shared:
        _shared[key] = key * 2
    return _shared[key]


def reset_all(caches=(_shared,)):
    for c in caches:
        c.clear()


class PerInstance:
    _memo = {}

    def __init__(self):
        self._memo = {}

    def get(self, key):
        if key not in self._memo:
            self._memo[key] = key
        return self._memo[key]
