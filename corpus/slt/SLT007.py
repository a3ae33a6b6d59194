"""SLT007: subclasses of immutable builtins and namedtuples without __slots__ = ()."""
import collections
import enum
import typing
from collections import namedtuple
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

Pair = namedtuple("Pair", "left right")


class Point(namedtuple("Point", "x y")):  # expect: SLT007
    """A 2-D point."""

    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5


class Span(Pair):  # expect: SLT007
    def width(self):
        return self.right - self.left


class Identifier(str):  # expect: SLT007
    def quoted(self):
        return '"' + self + '"'


class Flags(int):  # expect: SLT007
    pass


class Blob(bytes):  # expect: SLT007
    pass


class Vector(tuple, Generic[T]):  # expect: SLT007
    def dot(self, other):
        return sum(a * b for a, b in zip(self, other))


class Coord(NamedTuple):
    lat: float
    lon: float


class GeoCoord(Coord):  # expect: SLT007
    def hemisphere(self):
        return "N" if self.lat >= 0 else "S"


class Slotted(collections.namedtuple("Slotted", "a b")):
    __slots__ = ()


class Deeper(Slotted):  # expect: SLT007
    pass


class Version(typing.NamedTuple("Version", [("major", int), ("minor", int)])):  # expect: SLT007
    pass


# --- near misses --------------------------------------------------------------------------


class Color(str, enum.Enum):
    RED = "red"


class Markup(str):
    def __new__(cls, text, escaped=False):
        self = super().__new__(cls, text)
        return self

    def __init__(self, text, escaped=False):
        self.escaped = escaped


class Already(tuple):
    __slots__ = ()


class Mixin:
    def describe(self):
        return repr(self)


class Mixed(tuple, Mixin):
    pass


class Plain(Coord, Generic[T]):  # expect: SLT007
    pass


class OnePerLine(int): pass  # expect: SLT007


class Custom(list):
    pass
