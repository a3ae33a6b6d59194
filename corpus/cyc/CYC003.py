"""CYC003 closure-stored-on-self: corpus.

Flagged: a lambda or nested function that refers to ``self``, or
``functools.partial(f, self)``, stored on ``self`` -- as an attribute or inside
a container attribute (``self.callbacks.append(lambda e: self.handle(e))``,
``self.validators["email"] = lambda v: self.check(v)``).  The closure's cell (or
the partial's arguments) keeps the instance, and the instance keeps the closure.
This is how pandas' ``Index._engine`` (built with ``lambda: self``) kept
indexes alive.

Deliberately NOT flagged here:
- closures that do not use ``self``: ``lambda item: item.priority``, a lambda
  over a local copy (``name = self.name``), a lambda whose *own* parameter is
  called ``self``, a nested helper that only formats its argument;
- closures over ``weakref.ref(self)`` instead of ``self``;
- closures that use ``self`` but are only passed to a call
  (``sorted(..., key=lambda r: self.rank(r))``) or returned, not stored;
- closures stored on *another* object that ``self`` does not keep
  (``button.on_click = lambda: self.save()`` with ``button`` an argument);
- closures stored on self and dropped in ``close()`` / ``__exit__``;
- lambdas at module level.

``Dialog`` uses the Tk idiom ``lambda s=self: s.close()``: the lambda does not
read ``self`` in its body, but its default argument keeps the instance in
``__defaults__`` -- a cycle all the same, annotated as one.
"""

import functools
import weakref
from typing import Callable


class Engine:
    def __init__(self, values):
        self.values = values


# --------------------------------------------------------------------------
# Data frames and indexes (pandas' Index._engine case)


class Index:
    def __init__(self, values):
        self.values = values
        self._engine_factory = lambda: Engine(self.values)  # expect: CYC003

    @property
    def engine(self):
        return self._engine_factory()


class WeakIndex:
    """The fix pandas shipped: the factory closes over a weak reference."""

    def __init__(self, values):
        self.values = values
        ref = weakref.ref(self)
        self._engine_factory = lambda: Engine(ref().values)

    @property
    def engine(self):
        return self._engine_factory()


class Column:
    """Closures that never touch self: a sort key and a formatter over a copy."""

    def __init__(self, name, values):
        self.name = name
        self.values = values
        self.sort_key = lambda item: (item is None, item)
        label = name.title()
        self.describe = lambda: f"<Column {label}>"
        self.getter = lambda self: self.values

        def _fmt(value):
            return f"{value:>10}"

        self.fmt = _fmt


# --------------------------------------------------------------------------
# Async task manager


class TaskManager:
    """A timeout handler defined inline and kept for later cancellation."""

    def __init__(self, loop):
        self.loop = loop
        self.tasks = set()

        def _on_timeout():
            for task in self.tasks:
                task.cancel()

        self._timeout_cb = _on_timeout  # expect: CYC003
        self._log = functools.partial(print_event, self)  # expect: CYC003

    def spawn(self, coro):
        task = self.loop.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def ranked(self):
        return sorted(self.tasks, key=lambda t: self.rank(t))

    def rank(self, task):
        return 0 if task.done() else 1

    def make_cancel(self):
        return lambda: self.cancel_all()

    def cancel_all(self):
        for task in self.tasks:
            task.cancel()


def print_event(manager, event):
    print(type(manager).__name__, event)


# --------------------------------------------------------------------------
# Forms and validation


class SignupForm:
    def __init__(self, fields):
        self.fields = fields
        self.errors = []
        self.validators = {}
        self.validators["email"] = lambda value: self.check_email(value)  # expect: CYC003
        self.on_submit = []
        self.on_submit.append(lambda: self.errors.clear())  # expect: CYC003

    def check_email(self, value):
        return "@" in value


class MainWindow:
    """Keyboard shortcuts as nested functions and an annotated resize hook."""

    def __init__(self, title):
        self.title = title
        self.size = (800, 600)
        self.shortcuts = {}

        def _quit():
            self.title = None

        self.shortcuts["ctrl+q"] = _quit  # expect: CYC003
        self.on_resize: Callable[[int, int], None] = lambda w, h: self.relayout(w, h)  # expect: CYC003

    def relayout(self, width, height):
        self.size = (width, height)


class SearchBox:
    """A closure over self handed to a button the box does not keep: no cycle."""

    def __init__(self, button):
        self.query = ""
        button.on_click = lambda: self.run(self.query)

    def run(self, query):
        return query


class ClickTarget:
    def __init__(self):
        self.on_click = None


class Dialog:
    """Tk-style command: the default argument captures self."""

    def __init__(self, title):
        self.title = title
        self.on_cancel = lambda s=self: s.close()  # expect: CYC003

    def close(self):
        return self.title


class Tooltip:
    """Keeps a closure over self until close() drops it."""

    def __init__(self, text):
        self.text = text
        self.on_hover = lambda: self.show()

    def show(self):
        return self.text

    def close(self):
        self.on_hover = None


class Animation:
    """A frame callback list cleared in __exit__."""

    def __init__(self, widget):
        self.widget = widget
        self.frame_callbacks = []
        self.frame_callbacks.append(lambda t: self.step(t))

    def step(self, t):
        return self.widget, t

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.frame_callbacks.clear()


# --------------------------------------------------------------------------
# Parser with callback handlers


class Tokenizer:
    def __init__(self, source):
        self.source = source
        self.pos = 0
        self.handlers = {  # expect: CYC003
            "ident": lambda text: self.emit("IDENT", text),
        }

    def emit(self, kind, text):
        self.pos += len(text)
        return kind, text


class Lexer:
    """Handlers that are plain functions of their arguments."""

    def __init__(self, source):
        self.source = source
        self.handlers = {
            "number": lambda text: ("NUMBER", int(text)),
            "string": lambda text: ("STRING", text[1:-1]),
        }


UPPER = lambda text: text.upper()
