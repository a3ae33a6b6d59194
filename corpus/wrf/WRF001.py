"""WRF001 registry-keeps-subscriber: corpus.

Flagged (at the registration call): an object hands itself, a bound method of
itself, or a closure over itself to a registry -- a module-level instance
(``BUS.subscribe(self.on_event)``) or an annotated argument
(``bus: EventBus``) -- whose class stores the argument in a container and has
no way to take it out again (no ``remove``/``discard``/``pop``/``del``/``clear``
on that container and no method that rebinds it).  The registry keeps every
subscriber alive for as long as the registry lives.

Deliberately NOT flagged here:
- registries that can let go: an ``unsubscribe`` that removes, a ``reset``
  that clears, a ``prune`` that rebinds the container;
- weak registries (``weakref.WeakSet``) and ``weakref.WeakMethod`` callbacks;
- registering things that do not carry ``self``: module functions, bound
  methods of other objects (``self._log.info``), static methods;
- registries that keep a single callback in a plain attribute (replaced by the
  next registration) rather than a container;
- a registry created and dropped locally;
- receivers that ``self`` itself keeps: that is a cycle, reported by CYC001.

``Cue`` registers through ``TIMELINE.at(when, self.play)``, and the timeline
keeps ``(when, callback)`` tuples in a list it never shrinks; ``SettingsForm``
registers with a registry whose method is called ``add()``: in both cases the
registry keeps the subscriber all the same, annotated as such.
"""

import logging
import weakref


# --------------------------------------------------------------------------
# Registries


class EventBus:
    """Application-wide bus: strong references, no way to unsubscribe."""

    def __init__(self):
        self._listeners = []

    def subscribe(self, callback):
        self._listeners.append(callback)

    def publish(self, event):
        for callback in self._listeners:
            callback(event)


class Emitter:
    """Node-style emitter; listeners are objects with a handle() method."""

    def __init__(self):
        self._listeners = []

    def add_listener(self, listener):
        self._listeners.append(listener)

    def emit(self, payload):
        for listener in self._listeners:
            listener.handle(payload)


class Signal:
    """Django-style signal: receivers can be disconnected."""

    def __init__(self):
        self.receivers = []

    def connect(self, receiver):
        self.receivers.append(receiver)

    def disconnect(self, receiver):
        self.receivers.remove(receiver)

    def send(self, sender):
        for receiver in self.receivers:
            receiver(sender)


class WeakEmitter:
    """Listeners are held in a WeakSet."""

    def __init__(self):
        self._listeners = weakref.WeakSet()

    def add_listener(self, listener):
        self._listeners.add(listener)


class Scheduler:
    """Periodic jobs; reset() drops all of them."""

    def __init__(self):
        self._jobs = []

    def every(self, seconds, callback):
        self._jobs.append((seconds, callback))

    def reset(self):
        self._jobs.clear()


class Hub:
    """Pruned by rebinding the container to the live subscribers."""

    def __init__(self):
        self._subs = []

    def attach(self, sub):
        self._subs.append(sub)

    def prune(self):
        self._subs = [s for s in self._subs if getattr(s, "alive", True)]


class ListenerSet:
    """A registry whose registration method happens to be called add()."""

    def __init__(self):
        self._items = []

    def add(self, listener):
        self._items.append(listener)

    def notify(self, change):
        for listener in self._items:
            listener.changed(change)


class Timeline:
    """Callbacks scheduled at a time, kept with it in a tuple, never dropped."""

    def __init__(self):
        self._entries = []

    def at(self, when, callback):
        self._entries.append((when, callback))

    def run_until(self, now):
        for when, callback in self._entries:
            if when <= now:
                callback()


class ErrorReporter:
    """Keeps one hook in a plain attribute: the next registration replaces it."""

    def __init__(self):
        self._hook = None

    def set_hook(self, hook):
        self._hook = hook


class PluginRegistry:
    """Plugins by name, plus one-shot hooks that are popped when they run."""

    def __init__(self):
        self._plugins = {}
        self._once = []

    def register(self, name, plugin):
        self._plugins[name] = plugin

    def on_next_load(self, hook):
        self._once.append(hook)

    def load(self):
        while self._once:
            self._once.pop()()


BUS = EventBus()
EMITTER = Emitter()
SAVED = Signal()
WEAK_EMITTER = WeakEmitter()
SCHEDULER = Scheduler()
HUB = Hub()
TIMELINE = Timeline()
SETTINGS_LISTENERS = ListenerSet()
REPORTER = ErrorReporter()
PLUGINS = PluginRegistry()

log = logging.getLogger(__name__)


def handle_event(event):
    log.debug("event %r", event)


# --------------------------------------------------------------------------
# GUI widgets subscribing to the application bus


class StatusBar:
    def __init__(self):
        self.text = ""
        BUS.subscribe(self.on_event)  # expect: WRF001

    def on_event(self, event):
        self.text = str(event)


class Toast:
    """A short-lived popup subscribes a closure over itself."""

    def __init__(self, message):
        self.message = message
        self.visible = True
        BUS.subscribe(lambda event: self.dismiss(event))  # expect: WRF001

    def dismiss(self, event):
        self.visible = False


class Inspector:
    """Registers a WeakMethod: the bus does not keep the inspector."""

    def __init__(self):
        self.events = 0
        BUS.subscribe(weakref.WeakMethod(self.on_event))

    def on_event(self, event):
        self.events += 1


class EventLogger:
    """Subscribes callables that do not carry self."""

    def __init__(self):
        self._log = logging.getLogger("events")
        BUS.subscribe(self._log.info)
        BUS.subscribe(handle_event)
        BUS.subscribe(self.format_event)

    @staticmethod
    def format_event(event):
        return repr(event)


class Panel:
    """Gets the bus as an annotated argument and does not keep it."""

    def __init__(self, title, bus: EventBus):
        self.title = title
        bus.subscribe(self.refresh)  # expect: WRF001

    def refresh(self, event):
        return self.title, event


class Sidebar:
    """Keeps the bus it subscribes to: a cycle, CYC001's business."""

    def __init__(self, bus: EventBus):
        self.bus = bus  # expect: CYC001
        bus.subscribe(self.refresh)

    def refresh(self, event):
        return event


class Preview:
    """A throwaway local bus: nothing outlives the constructor."""

    def __init__(self):
        bus = EventBus()
        bus.subscribe(self.render)
        bus.publish("init")

    def render(self, event):
        return event


# --------------------------------------------------------------------------
# Request handlers, jobs and plugins


class WebSocketHandler:
    """Registers itself as the listener object for its channel."""

    def __init__(self, channel):
        self.channel = channel
        EMITTER.add_listener(self)  # expect: WRF001

    def handle(self, payload):
        return self.channel, payload


class LiveCounter:
    def __init__(self):
        self.count = 0
        WEAK_EMITTER.add_listener(self)

    def handle(self, payload):
        self.count += 1


class AuditTrail:
    """Connects on open and disconnects on close."""

    def __init__(self):
        self.entries = []

    def open(self):
        SAVED.connect(self.record)

    def close(self):
        SAVED.disconnect(self.record)

    def record(self, sender):
        self.entries.append(sender)


class HealthCheck:
    def __init__(self, url):
        self.url = url
        SCHEDULER.every(30, callback=self.ping)

    def ping(self):
        return self.url


class SettingsForm:
    """Listens to settings changes through a registry method named add()."""

    def __init__(self):
        self.dirty = False
        SETTINGS_LISTENERS.add(self)  # expect: WRF001

    def changed(self, change):
        self.dirty = True


class Cue:
    """A media cue scheduled on the global timeline."""

    def __init__(self, when, clip):
        self.clip = clip
        TIMELINE.at(when, self.play)  # expect: WRF001

    def play(self):
        return self.clip


class Subscriber:
    def __init__(self):
        self.alive = True
        HUB.attach(self)


class CrashDialog:
    def __init__(self):
        self.shown = False
        REPORTER.set_hook(self.show)

    def show(self, error):
        self.shown = True


class ExportPlugin:
    def __init__(self, registry: PluginRegistry):
        self.formats = ("csv", "json")
        registry.register("export", self)  # expect: WRF001
        registry.on_next_load(self.warm_up)

    def warm_up(self):
        return self.formats


class ThemePlugin:
    def __init__(self):
        self.theme = "dark"
        PLUGINS.register("theme", self)  # expect: WRF001
