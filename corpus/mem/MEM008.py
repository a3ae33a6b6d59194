"""MEM008: module-level lists that grow on every call and never shrink."""
import time

_history = []
_seen: list = list()


def record(event):
    _history.append((time.time(), event))  # expect: MEM008


def observe(url):
    entry = {"url": url, "at": time.time()}
    _seen.append(entry)  # expect: MEM008


# --- near misses --------------------------------------------------------------------------

_handlers = []


def register(handler):
    _handlers.append(handler)  # a parameter: a registry of callers' objects
    return handler


_trimmed = []


def log(message):
    _trimmed.append(f"{time.time()}: {message}")
    if len(_trimmed) > 1000:
        del _trimmed[:500]


_drained = []


def push(item):
    _drained.append(str(item))


def drain():
    while _drained:
        yield _drained.pop()


_startup = []
_startup.append(time.time())


_passed = []


def note(x):
    _passed.append(repr(x))


def flush(sink):
    sink.write_all(_passed)


class Widget:
    pass


_instances = []


def make_widget():
    w = Widget()
    _instances.append(w)  # a fresh object, but read and cleared below
    return w


def close_all():
    _instances.clear()
