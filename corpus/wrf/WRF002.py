"""WRF002 global-instance-registry: corpus.

Flagged (at the store of ``self``): a method that adds ``self`` to a
module-level container (``_connections.append(self)``,
``_BY_DSN[self.dsn] = self``, ``_pending.insert(0, self)``,
``_BY_NAME.setdefault(self.name, self)``) or a class-level one
(``Model.registry.append(self)``, ``Connection.open_connections.add(self)``,
and ``self.instances.append(self)`` where ``instances`` is a class attribute)
when nothing in the module ever removes entries from it.  Module and class
attributes live as long as the program, so every registered instance does too.

Deliberately NOT flagged here:
- weak containers: a module-level ``weakref.WeakSet()``, a class-level
  ``weakref.WeakValueDictionary()``;
- containers the module shrinks somewhere (``remove``, ``discard``, ``pop``,
  ``clear``, ``del``), typically in ``close()``;
- Enum classes (``Enum``, ``enum.Enum``, ``IntEnum``), whose members are
  singletons that live as long as the class;
- storing something other than ``self``: a name, a ``weakref.ref(self)``;
- local containers, and module-level functions that register their argument.
"""

import enum
import weakref
from enum import Enum, IntEnum


# --------------------------------------------------------------------------
# Strong module-level registries that only grow


_connections = []
_BY_DSN = {}
_pending = []
_BY_NAME = {}


class Connection:
    open_connections = set()

    def __init__(self, dsn):
        self.dsn = dsn
        _connections.append(self)  # expect: WRF002
        _BY_DSN[self.dsn] = self  # expect: WRF002
        Connection.open_connections.add(self)  # expect: WRF002


class Migration:
    def __init__(self, name):
        self.name = name

    def schedule(self, urgent=False):
        if urgent:
            _pending.insert(0, self)  # expect: WRF002
        else:
            _pending.append(self)  # expect: WRF002


class Model:
    registry = []

    def __init__(self, table):
        self.table = table
        Model.registry.append(self)  # expect: WRF002
        _BY_NAME.setdefault(self.table, self)  # expect: WRF002


class Plugin:
    """A class-level list reached through self: the class keeps every plugin forever
    (no cycle of the instance's own: the garbage collector can never free them)."""

    instances = []

    def __init__(self, name):
        self.name = name
        self.instances.append(self)  # expect: WRF002


# --------------------------------------------------------------------------
# Weak registries


_live_sessions = weakref.WeakSet()


class Session:
    by_id = weakref.WeakValueDictionary()
    _counter = 0

    def __init__(self):
        Session._counter += 1
        self.id = Session._counter
        _live_sessions.add(self)
        Session.by_id[self.id] = self


# --------------------------------------------------------------------------
# Registries that shrink


_open_files = []
_workers = {}


class ManagedFile:
    def __init__(self, path):
        self.path = path
        _open_files.append(self)

    def close(self):
        _open_files.remove(self)


class Worker:
    def __init__(self, worker_id):
        self.worker_id = worker_id
        _workers[worker_id] = self

    def stop(self):
        del _workers[self.worker_id]


class Cache:
    entries = {}

    def __init__(self, key):
        self.key = key
        Cache.entries[key] = self

    @classmethod
    def evict(cls, key):
        cls.entries.pop(key, None)
        Cache.entries.pop(key, None)


# --------------------------------------------------------------------------
# Enum members are singletons


_STATUS_BY_CODE = {}
_COLORS_BY_HEX = {}
_PRIORITY_BY_LABEL = {}


class Status(Enum):
    OK = 200
    NOT_FOUND = 404

    def __init__(self, code):
        _STATUS_BY_CODE[code] = self


class Color(enum.Enum):
    RED = "#ff0000"
    GREEN = "#00ff00"

    def __init__(self, hex_value):
        _COLORS_BY_HEX[hex_value.lower()] = self


class Priority(IntEnum):
    LOW = 1
    HIGH = 2

    def __init__(self, level):
        _PRIORITY_BY_LABEL[self.name.lower()] = self


# --------------------------------------------------------------------------
# Not self, or not global


_names = []
_refs = []
_handles = []


class Handle:
    def __init__(self, name):
        self.name = name
        _names.append(self.name)
        _refs.append(weakref.ref(self))
        seen = []
        seen.append(self)
        self.seen_count = len(seen)


def track(handle):
    _handles.append(handle)
    return handle
