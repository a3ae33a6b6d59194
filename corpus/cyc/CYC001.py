"""CYC001 reference-cycle: corpus.

Flagged: reference cycles between instances of the project's classes, where the
*same* instance provably flows back to itself -- a parent that keeps its
children while each child keeps its parent (built by a constructor, by
``parent.children.append(self)``, or by ``child.parent = self``), an object that
hands a bound method of itself to a helper it owns (``self._stream`` keeps
``self._on_close``), an ORM session whose identity map keeps objects that point
back at the session, and chains of constructors (``super().__init__``, helper
methods) that pass ``self`` along and store it.  The finding is reported once
per cycle, at the reference the message says to make weak: when an object keeps
something it was *given* (its parent, its bus, an object added to it), the
reference it took; when it *created* or owns the other object, the reference
that object took back to it (``Presenter.model``, ``IOStream._close_callback``).

Deliberately NOT flagged here:
- back-pointers held through ``weakref.ref`` / ``weakref.proxy``, callbacks
  registered as ``weakref.WeakMethod``, identity maps that are
  ``weakref.WeakValueDictionary`` and child sets that are ``weakref.WeakSet``
  (also when the parent arrives as an unannotated argument, ``Checkbox``);
- a controller that installs its bound method on a view it keeps only
  through ``weakref.proxy`` (``CanvasController``): the view keeps the
  controller, the controller does not keep the view;
- cycles the code visibly takes apart: the back-pointer or callback is set to
  ``None``, deleted or cleared in ``close()`` / ``__exit__`` / ``detach()``;
- bound methods of *other* objects (``self.read = self._file.read``), static
  methods and class methods handed to a helper (they keep no instance);
- helpers that only read from their owner (``self.title = owner.title``) or are
  used and dropped (``Formatter(self).render()``);
- chains that never loop back to the same object: a singly linked list
  (``self.head = Entry(value, self.head)``), a tree whose children know only
  their parent's id;
- module-level code.

Some cycles below are real (CPython needs the cyclic collector to free them)
but the engine does not model the container they go through (a dict of lists:
``self._handlers.setdefault(topic, []).append(cb)``); they keep their
annotation.
"""

from __future__ import annotations

import io
import weakref
import xml.parsers.expat


# --------------------------------------------------------------------------
# GUI widget tree


class Widget:
    """Widgets register with their parent and keep it: a parent/child cycle."""

    def __init__(self, parent: Widget | None = None, name: str = ""):
        self.name = name
        self.parent = parent  # expect: CYC001
        self.children = []
        if parent is not None:
            parent.children.append(self)

    def path(self):
        parts = []
        node = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "/".join(reversed(parts))


class Frame:
    """A frame knows its parent through a weak reference: no cycle."""

    def __init__(self, parent=None):
        self._parent = weakref.ref(parent) if parent is not None else None
        self.children = []
        if parent is not None:
            parent.children.append(self)

    @property
    def parent(self):
        return self._parent() if self._parent is not None else None


class Layout:
    """The parent adds a child and then tells it who its parent is."""

    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)
        item.layout = self  # expect: CYC001


class LayoutItem:
    def __init__(self, widget_name):
        self.widget_name = widget_name
        self.layout = None


class TreeItem:
    """Outline items keep their parent until detach() takes them out of the tree."""

    def __init__(self, text):
        self.text = text
        self.parent = None
        self.children = []

    def add_child(self, item: TreeItem):
        self.children.append(item)
        item.parent = self

    def detach(self):
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None


class Segment:
    """A polyline grows by chaining new segments: each keeps the next, none loops back."""

    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.next = None

    def extend(self, dx, dy):
        self.next = Segment(self.x + dx, self.y + dy)
        return self.next


class Panel:
    """Keeps its children in a WeakSet: a child's strong parent link makes no cycle."""

    def __init__(self, title):
        self.title = title
        self.children = weakref.WeakSet()


class Checkbox:
    def __init__(self, parent, label):
        self.label = label
        self.parent = parent
        parent.children.add(self)


class Toolbar:
    """Buttons know only the toolbar's id, never the toolbar: no cycle."""

    def __init__(self, toolbar_id):
        self.toolbar_id = toolbar_id
        self.buttons = []

    def add_button(self, label):
        self.buttons.append(ToolButton(label, owner_id=self.toolbar_id))


class ToolButton:
    def __init__(self, label, owner_id):
        self.label = label
        self.owner_id = owner_id


# --------------------------------------------------------------------------
# AST / DOM trees built through constructors


class SyntaxNode:
    def __init__(self, kind, parent=None):
        self.kind = kind
        self.parent = parent  # expect: CYC001
        self.children = []

    def add(self, kind):
        node = SyntaxNode(kind, parent=self)
        self.children.append(node)
        return node


class Element:
    """DOM element whose children keep only a weak proxy of their parent."""

    def __init__(self, tag, parent=None):
        self.tag = tag
        self.parent = weakref.proxy(parent) if parent is not None else None
        self.children = []

    def append_child(self, tag):
        child = Element(tag, self)
        self.children.append(child)
        return child


class TextNode:
    """The text node copies what it needs from its owner instead of keeping it."""

    def __init__(self, owner, text):
        self.text = text
        self.lang = owner.lang
        self.depth = owner.depth + 1


class Paragraph:
    def __init__(self, lang="en", depth=0):
        self.lang = lang
        self.depth = depth
        self.runs = []

    def add_text(self, text):
        self.runs.append(TextNode(self, text))


class Entry:
    def __init__(self, value, next_entry=None):
        self.value = value
        self.next = next_entry


class Stack:
    """A singly linked list: each entry keeps the next one, nothing loops back."""

    def __init__(self):
        self.head = None
        self.size = 0

    def push(self, value):
        self.head = Entry(value, self.head)
        self.size += 1

    def pop(self):
        entry = self.head
        self.head = entry.next
        self.size -= 1
        return entry.value


# --------------------------------------------------------------------------
# Chains of constructors


class Presenter:
    def __init__(self, model):
        self.model = model  # expect: CYC001


class View:
    def __init__(self, model):
        self.presenter = Presenter(model)


class DocumentModel:
    """model -> view -> presenter -> model, through two constructors."""

    def __init__(self, text):
        self.text = text
        self.view = View(self)


class BaseControl:
    def __init__(self, form):
        self.form = form  # expect: CYC001


class TextField(BaseControl):
    def __init__(self, form, label):
        super().__init__(form)
        self.label = label


class Form:
    """The field keeps the form through its base class constructor."""

    def __init__(self):
        self.email = TextField(self, "E-mail")


class Formatter:
    def __init__(self, report):
        self.report = report

    def render(self):
        return "\n".join(self.report.lines)


class Report:
    """The formatter is created, used and dropped: it is never stored on self."""

    def __init__(self, lines):
        self.lines = lines

    def to_text(self):
        return Formatter(self).render()


# --------------------------------------------------------------------------
# ORM session and identity map


class Session:
    """Objects added to the session keep it; its identity map keeps them."""

    def __init__(self, engine):
        self.engine = engine
        self.identity_map = {}

    def add(self, obj):
        self.identity_map[obj.key] = obj
        obj.session = self  # expect: CYC001

    def get(self, key):
        return self.identity_map.get(key)


class WeakSession:
    """The identity map holds its objects weakly (SQLAlchemy's design)."""

    def __init__(self, engine):
        self.engine = engine
        self.identity_map = weakref.WeakValueDictionary()

    def add(self, obj):
        self.identity_map[obj.key] = obj
        obj.session = self

    def get(self, key):
        return self.identity_map.get(key)


class DetachingSession:
    """Objects keep the session until it closes, and close() detaches them."""

    def __init__(self):
        self._objects = {}

    def add(self, obj):
        self._objects[obj.key] = obj
        obj.session = self

    def close(self):
        for obj in self._objects.values():
            obj.session = None
        self._objects.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class Record:
    def __init__(self, key, **fields):
        self.key = key
        self.fields = fields
        self.session = None


# --------------------------------------------------------------------------
# HTTP client: connection pool


class PooledConnection:
    def __init__(self, host, pool):
        self.host = host
        self.sock = None
        self._attach(pool)

    def _attach(self, pool):
        self._pool = pool  # expect: CYC001

    def release(self):
        self._pool.put_back(self)


class ConnectionPool:
    """The pool keeps idle connections; each connection keeps its pool."""

    def __init__(self, host, size=4):
        self.host = host
        self._idle = []
        for _ in range(size):
            conn = PooledConnection(host, pool=self)
            self._idle.append(conn)

    def put_back(self, conn):
        self._idle.append(conn)


class Response:
    def __init__(self, status, body):
        self.status = status
        self._body = io.BytesIO(body)
        self.read = self._body.read
        self.readline = self._body.readline


# --------------------------------------------------------------------------
# Streams and callbacks handed to an owned helper (Tornado's IOStream case)


class IOStream:
    def __init__(self, sock):
        self.sock = sock
        self._close_callback = None

    def set_close_callback(self, callback):
        self._close_callback = callback  # expect: CYC001

    def _signal_closed(self):
        if self._close_callback is not None:
            self._close_callback()


class RequestHandler:
    """handler -> stream -> bound method handler.on_connection_close -> handler."""

    def __init__(self, sock):
        self.stream = IOStream(sock)
        self.stream.set_close_callback(self.on_connection_close)

    def on_connection_close(self):
        self.finished = True


class ClosableStream:
    def __init__(self, sock):
        self.sock = sock
        self._on_close = None

    def set_close_callback(self, callback):
        self._on_close = callback

    def close(self):
        self.sock = None
        self._on_close = None


class StreamingHandler:
    """Same shape, but the stream drops the callback when it closes."""

    def __init__(self, sock):
        self.stream = ClosableStream(sock)
        self.stream.set_close_callback(self.on_connection_close)

    def on_connection_close(self):
        self.finished = True


class LoggingHandler:
    """A static method keeps no instance alive: no cycle."""

    def __init__(self, sock):
        self.stream = IOStream(sock)
        self.stream.set_close_callback(self.log_close)

    @staticmethod
    def log_close():
        print("connection closed")


class WebSocketConnection:
    def __init__(self, url):
        self.url = url
        self.on_message = None
        self.on_error = None


class ChatClient:
    """The client stores its own bound methods on the connection it owns."""

    def __init__(self, url):
        self.conn = WebSocketConnection(url)
        self.conn.on_message = self.handle_message  # expect: CYC001
        self.history = []

    def handle_message(self, message):
        self.history.append(message)


class WeakChatClient:
    """The connection gets WeakMethods: it does not keep the client."""

    def __init__(self, url):
        self.conn = WebSocketConnection(url)
        self.conn.on_message = weakref.WeakMethod(self.handle_message)
        self.conn.on_error = print
        self.history = []

    def handle_message(self, message):
        self.history.append(message)


class CanvasView:
    def __init__(self):
        self.on_click = None
        self.shapes = []


class CanvasController:
    """Keeps only a weakref.proxy of the view it installs its handler on: no cycle."""

    def __init__(self, view):
        self.view = weakref.proxy(view)
        self.view.on_click = self.handle_click

    def handle_click(self, x, y):
        self.view.shapes.append((x, y))


# --------------------------------------------------------------------------
# Parser with callback handlers


class FeedParser:
    """pyexpat's parser object keeps its handlers, and self keeps the parser."""

    def __init__(self):
        self.titles = []
        self._in_title = False
        self._parser = xml.parsers.expat.ParserCreate()
        self._parser.StartElementHandler = self._start  # expect: CYC001

    def _start(self, name, attrs):
        self._in_title = name == "title"

    def feed(self, data):
        self._parser.Parse(data, False)


class Timer:
    def __init__(self, interval, callback):
        self.interval = interval
        self.callback = callback  # expect: CYC001


class Poller:
    """poller -> timer -> bound method poller.poll -> poller."""

    def __init__(self, interval):
        self.timer = Timer(interval, callback=self.poll)
        self.polls = 0

    def poll(self):
        self.polls += 1


class Heartbeat:
    """A class method is bound to the class, not to the instance: no cycle."""

    beats = 0

    def __init__(self, interval):
        self.timer = Timer(interval, callback=self.beat_all)

    @classmethod
    def beat_all(cls):
        cls.beats += 1


# --------------------------------------------------------------------------
# Plugin host and event bus held by their subscribers


class PluginHost:
    def __init__(self):
        self.plugins = {}

    def register(self, plugin):
        self.plugins[plugin.name] = plugin


class AuditPlugin:
    """plugin -> host -> host.plugins -> plugin."""

    name = "audit"

    def __init__(self, host: PluginHost):
        self.host = host  # expect: CYC001
        host.register(self)


class MetricsPlugin:
    """Registers with the host but does not keep it: no cycle.  The host never lets
    plugins go, though, so each plugin lives as long as its host (WRF001)."""

    name = "metrics"

    def __init__(self, host: PluginHost):
        self.host_name = type(host).__name__
        host.register(self)  # expect: WRF001


class TopicBus:
    """Handlers per topic, kept in a dict of lists."""

    def __init__(self):
        self._handlers = {}

    def subscribe(self, topic, handler):
        self._handlers.setdefault(topic, []).append(handler)

    def publish(self, topic, payload):
        for handler in self._handlers.get(topic, ()):
            handler(payload)


class Dashboard:
    """dashboard -> bus -> bus._handlers["tick"] -> bound method -> dashboard."""

    def __init__(self, bus: TopicBus):
        self.bus = bus  # expect: CYC001
        self.ticks = 0
        bus.subscribe("tick", self.on_tick)

    def on_tick(self, payload):
        self.ticks += 1


class ListenerSet:
    def __init__(self):
        self._listeners = []

    def add(self, listener):
        self._listeners.append(listener)


class WeakDashboard:
    """Registers a WeakMethod with the bus it keeps: no cycle."""

    def __init__(self, listeners: ListenerSet):
        self.listeners = listeners
        listeners.add(weakref.WeakMethod(self.on_tick))

    def on_tick(self, payload):
        return payload


# --------------------------------------------------------------------------
# Module-level code: objects wired together once, living as long as the module


ROOT_WIDGET_NAME = "root"
DEFAULT_POOL_SIZE = 4
_default_stack = Stack()
_default_stack.push(ROOT_WIDGET_NAME)
