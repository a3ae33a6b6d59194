"""CYC002 bound-method-stored-on-self: corpus.

Flagged: a bound method of the instance stored on that same instance --
``self.on_data = self.handle_data``, the same inside a container attribute
(``self.handlers.append(self.on_close)``, ``self.dispatch = {"GET": self.do_get}``,
``self.callbacks["close"] = self.on_close``), through ``functools.partial``
(``partial(self.send, retries=3)``), an annotated assignment or a tuple
assignment, when the method is an instance method of the class or of a base
class in the project.  Each such store is a cycle of one object: the bound
method's ``__self__`` is the instance.

Deliberately NOT flagged here:
- static methods, class methods, properties and cached properties read
  through ``self`` (none of them keeps the instance);
- bound methods of *other* objects: ``self.read = self._file.read``,
  ``self.on_save = self.store.save``, ``self._discard = self._pending.discard``;
- the *result* of a call (``self.total = self.compute_total()``), a plain
  function taken from the class (``self.render_fn = Renderer.render``) and
  module functions (``self.encode = json.dumps``);
- ``weakref.WeakMethod(self.on_tick)``;
- bound methods stored on self but dropped again in ``close()``,
  ``__exit__`` or ``dispose()`` (set to None, deleted, or the container cleared);
- bound methods used locally or passed to calls that do not keep them
  (``sorted(rows, key=self.sort_key)``);
- class-level dispatch tables of plain functions.

``ToolPalette.context`` mixes a plain attribute and a bound method in one
dict/list display: still a cycle, and annotated as one.  ``CommandPalette``
has a ``remove(name)`` method that pops one user command; it is an ordinary
API method, not a teardown, and the built-in "save" entry keeps the cycle.
"""

import functools
import json
import weakref
from functools import cached_property, partial
from typing import Callable


# --------------------------------------------------------------------------
# Network protocol


class LineProtocol:
    """asyncio-style protocol that points its data callback at its own method."""

    def __init__(self, transport):
        self.transport = transport
        self.on_data = self.handle_data  # expect: CYC002
        self.on_line: Callable[[bytes], None] = self.handle_line  # expect: CYC002

    def handle_data(self, data):
        for line in data.splitlines():
            self.on_line(line)

    def handle_line(self, line):
        self.transport.write(line.upper())


class ClosingProtocol:
    """Same shape, but close() drops the callbacks and breaks the cycle."""

    def __init__(self, transport):
        self.transport = transport
        self.on_data = self.handle_data
        self.on_eof = self.handle_eof

    def handle_data(self, data):
        self.transport.write(data)

    def handle_eof(self):
        self.close()

    def close(self):
        self.on_data = None
        del self.on_eof
        self.transport = None


class FileReader:
    """Callbacks of other objects: the file and the set, not self."""

    def __init__(self, fileobj, pending):
        self._file = fileobj
        self._pending = pending
        self.read = self._file.read
        self.readline = self._file.readline
        self._discard = self._pending.discard

    def next_record(self):
        line = self.readline()
        self._discard(line)
        return line


# --------------------------------------------------------------------------
# HTTP request handling


class RequestHandler:
    """A per-request dispatch table of bound methods."""

    def __init__(self, request):
        self.request = request
        self.dispatch = {"GET": self.do_get, "POST": self.do_post}  # expect: CYC002
        self.error_handlers = {}
        self.error_handlers[404] = self.not_found  # expect: CYC002

    def handle(self):
        method = self.dispatch.get(self.request.method, self.not_allowed)
        return method()

    def do_get(self):
        return 200

    def do_post(self):
        return 201

    def not_found(self):
        return 404

    def not_allowed(self):
        return 405


class JsonHandler(RequestHandler):
    """The method comes from a base class in the project."""

    def __init__(self, request):
        super().__init__(request)
        self.fallback = self.do_get  # expect: CYC002
        self.encode = json.dumps


class StaticRouter:
    """Class-level dispatch table of plain functions: nothing per instance."""

    def _serve_index(self):
        return "index.html"

    def _serve_favicon(self):
        return "favicon.ico"

    routes = {"/": _serve_index, "/favicon.ico": _serve_favicon}

    def __init__(self, root):
        self.root = root

    def serve(self, path):
        return self.routes[path](self)


class RetryingClient:
    """functools.partial keeps the bound method, and the method keeps self."""

    def __init__(self, session):
        self.session = session
        self.send_with_retry = functools.partial(self.send, retries=3)  # expect: CYC002
        self.get = partial(self.send, "GET")  # expect: CYC002

    def send(self, method="POST", retries=0):
        return self.session, method, retries


# --------------------------------------------------------------------------
# GUI: buttons, editors, key maps


class Button:
    def __init__(self, label):
        self.label = label
        self.click_handlers = []
        self.click_handlers.append(self.animate_press)  # expect: CYC002
        self.on_enter, self.on_leave = self.highlight, self.unhighlight  # expect: CYC002, CYC002

    def animate_press(self):
        return self.label

    def highlight(self):
        return True

    def unhighlight(self):
        return False


class ToolPalette:
    """A context dict/list with a plain attribute first and a bound method after it."""

    def __init__(self, config):
        self.config = config
        self.context = {"config": self.config, "render": self.render}  # expect: CYC002
        self.actions = [self.config, self.render]  # expect: CYC002

    def render(self):
        return self.config


class Editor:
    """Key bindings that are cleared when the editor is disposed."""

    def __init__(self, document):
        self.document = document
        self.keymap = {}
        self.keymap["ctrl+s"] = self.save
        self.keymap["ctrl+z"] = self.undo

    def save(self):
        return self.document

    def undo(self):
        return None

    def dispose(self):
        self.keymap.clear()


class CommandPalette:
    """remove() takes out one command by name; the built-in "save" entry stays."""

    def __init__(self):
        self.commands = {}
        self.commands["save"] = self.save  # expect: CYC002

    def add(self, name, command):
        self.commands[name] = command

    def remove(self, name):
        self.commands.pop(name, None)

    def save(self):
        return "saved"


class SortedTable:
    """Bound methods used for one call or kept in a local: nothing stored."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=self.sort_key)
        handler = self.on_select
        self.selected = handler(0)

    def sort_key(self, row):
        return row[0]

    def on_select(self, index):
        return self.rows[index] if self.rows else None


# --------------------------------------------------------------------------
# Not bound to the instance: static methods, class methods, properties


class HeaderParser:
    def __init__(self, raw):
        self.raw = raw
        self.parse = self.parse_header
        self.factory = self.from_bytes
        self.initial_size = self.size
        self.fingerprint = self.digest
        self.total = self.count_fields()

    @staticmethod
    def parse_header(line):
        name, _, value = line.partition(":")
        return name.strip(), value.strip()

    @classmethod
    def from_bytes(cls, data):
        return cls(data.decode("latin-1"))

    @property
    def size(self):
        return len(self.raw)

    @cached_property
    def digest(self):
        return hash(self.raw)

    def count_fields(self):
        return self.raw.count("\n")


class Renderer:
    def render(self, node):
        return str(node)


class Page:
    """A plain function taken from the class and a method of an owned object."""

    def __init__(self, store):
        self.store = store
        self.render_fn = Renderer.render
        self.on_save = self.store.save


# --------------------------------------------------------------------------
# Weak callbacks and teardown


class Ticker:
    """Keeps a WeakMethod of its own callback: no strong reference to self."""

    def __init__(self):
        self.count = 0
        self._callback = weakref.WeakMethod(self.on_tick)

    def on_tick(self):
        self.count += 1

    def fire(self):
        callback = self._callback()
        if callback is not None:
            callback()


class StateMachine:
    """State handlers are dropped when the machine stops, via a context manager."""

    def __init__(self):
        self.state = "idle"
        self.transitions = {}
        self.transitions["idle"] = self.on_idle
        self.current = self.on_idle

    def on_idle(self, event):
        return "running" if event == "start" else "idle"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.transitions.clear()
        self.current = None


class Scheduler:
    """A game loop that keeps its own tick method as the next step."""

    def __init__(self, clock):
        self.clock = clock
        self.next_step = self.tick  # expect: CYC002

    def tick(self):
        self.clock += 1
        return self.clock
