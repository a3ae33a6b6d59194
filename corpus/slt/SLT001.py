"""SLT001: plain data-holder classes created many times without __slots__."""
import abc
import weakref
from typing import Generic, TypeVar

T = TypeVar("T")


class Point:  # expect: SLT001
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5


def load_points(rows):
    return [Point(x, y) for x, y in rows]


class Sample:  # expect: SLT001
    def __init__(self, timestamp, value, unit="ms"):
        self.timestamp = timestamp
        self.value = value
        self.unit = unit

    def rescaled(self, factor):
        return Sample(self.timestamp, self.value * factor, self.unit)


def read_samples(stream):
    out = []
    for line in stream:
        ts, value = line.split(",")
        out.append(Sample(float(ts), float(value)))
    return out


class Slotted:
    __slots__ = ("name",)


class Leaf(Slotted):  # expect: SLT001
    def __init__(self, name, size):
        self.name = name
        self.size = size


class Box(abc.ABC, Generic[T]):  # expect: SLT001
    def __init__(self, item):
        self.item = item


class Tracked:  # expect: SLT001
    def __init__(self, key):
        self.key = key
        self.me = weakref.ref(self)


class Watched:  # expect: SLT001
    def __init__(self, key):
        self.key = key


def watch(keys, callback):
    refs = []
    for key in keys:
        obj = Watched(key)
        refs.append(weakref.ref(obj, callback))
    return refs


def build(items):
    leaves = list(map(Leaf, items, items))
    boxes = {Box(i) for i in items}
    tracked = []
    while items:
        tracked.append(Tracked(items.pop()))
    return leaves, boxes, tracked


# --- near misses --------------------------------------------------------------------------


class Created:  # created once, not in a loop
    def __init__(self, a):
        self.a = a


APP = Created(1)


class FewTimes:  # a loop over a literal tuple makes three
    def __init__(self, a):
        self.a = a


MODES = [FewTimes(m) for m in ("r", "w", "a")]


class Grows:  # another method adds an attribute: not a fixed set
    def __init__(self, a):
        self.a = a

    def cache(self):
        self.cached = self.a * 2


class Stateful:  # another method re-assigns attributes: a stateful object, not a data holder
    def __init__(self, stream):
        self.stream = stream
        self.offset = 0

    def advance(self, n):
        self.offset += n
        self.stream = self.stream[n:]


class UsesDict:  # the instance dict is used
    def __init__(self, **kw):
        self.__dict__.update(kw)


class SetAttr:
    def __init__(self, pairs):
        self.first = None
        for k, v in pairs:
            setattr(self, k, v)


class Proxy:
    def __init__(self, target):
        self.target = target

    def __getattr__(self, name):
        return getattr(self.target, name)


class Lazy:
    from functools import cached_property

    def __init__(self, n):
        self.n = n

    @cached_property
    def square(self):
        return self.n * self.n


class Unslotted:
    pass


class OnUnslottedBase(Unslotted):  # the base keeps a dict anyway
    def __init__(self, v):
        self.v = v


class LibraryBase(Exception):  # unknown / exception base
    def __init__(self, msg):
        super().__init__(msg)
        self.msg = msg


class Defaulted:  # attribute shadows a class variable: slots would clash
    kind = "plain"

    def __init__(self, kind):
        self.kind = kind


class Extended:  # code elsewhere adds attributes to instances
    def __init__(self, a):
        self.a = a


def decorate(values):
    for v in values:
        e = Extended(v)
        e.note = "extra"
        yield e


class Parent:  # a subclass needs a dict
    def __init__(self, a):
        self.a = a


class DynamicChild(Parent):
    def __init__(self, a):
        super().__init__(a)
        vars(self).update(extra=1)


class Conflicting:  # a subclass combines it with another slotted base
    def __init__(self, a):
        self.a = a


class OtherSlotted:
    __slots__ = ("b",)


class Both(Conflicting, OtherSlotted):
    pass


class Pickled:
    def __init__(self, a):
        self.a = a

    def __getstate__(self):
        return self.__dict__


class WithMeta(metaclass=abc.ABCMeta):
    def __init__(self, a):
        self.a = a


def many(values):
    for v in values:
        yield (Grows(v), Stateful(v), UsesDict(v=v), SetAttr([]), Proxy(v), Lazy(v))
        yield (OnUnslottedBase(v), LibraryBase(v), Defaulted(v), Parent(v), Conflicting(v))
        yield (Pickled(v), WithMeta(v), DynamicChild(v))
