"""SLT006: weak references to instances of slotted classes without __weakref__."""
import weakref
from dataclasses import dataclass
from weakref import WeakMethod


class Node:
    __slots__ = ("parent", "children")

    def __init__(self):
        self.parent = None
        self.children = []

    def add(self, child):
        child.parent = weakref.ref(self)  # expect: SLT006
        self.children.append(child)


class Listener:
    __slots__ = ("name",)

    def __init__(self, bus):
        self.name = "l"
        bus.subscribe(WeakMethod(self.on_event))  # expect: SLT006
        weakref.finalize(self, print, "gone")  # expect: SLT006

    def on_event(self, event):
        return event


@dataclass(slots=True)
class Handle:
    fd: int

    def watch(self):
        return weakref.proxy(self)  # expect: SLT006


class Root:
    __slots__ = ()

    def me(self):
        return weakref.ref(self)  # expect: SLT006


class Leaf(Root):
    __slots__ = ("v",)


def make(bus):
    return Node(), Listener(bus), Handle(3), Leaf()


# --- near misses --------------------------------------------------------------------------


class WithWeakref:
    __slots__ = ("a", "__weakref__")

    def me(self):
        return weakref.ref(self)


@dataclass(slots=True, weakref_slot=True)
class WeakHandle:
    fd: int

    def watch(self):
        return weakref.ref(self)


class Plain:
    def me(self):
        return weakref.ref(self)


class NeverInstantiated:
    __slots__ = ()

    def me(self):
        return weakref.ref(self)


def more():
    return WithWeakref(), WeakHandle(1), Plain()
