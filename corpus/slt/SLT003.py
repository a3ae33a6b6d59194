"""SLT003: __slots__ defeated by a project base without __slots__."""
from dataclasses import dataclass
from typing import NamedTuple


class Shape:
    def area(self):
        raise NotImplementedError


class Circle(Shape):  # expect: SLT003
    __slots__ = ("r",)

    def __init__(self, r):
        self.r = r


class Middle(Shape):  # expect: SLT003
    __slots__ = ()


class Square(Middle):  # expect: SLT003
    __slots__ = ("side",)


class Dynamic:
    def __getattr__(self, name):
        return 0


@dataclass(slots=True)
class Tagged(Dynamic):  # expect: SLT003
    tag: str


# --- near misses --------------------------------------------------------------------------


class Root:
    __slots__ = ()


class Good(Root):
    __slots__ = ("a",)


class WantsDict(Shape):
    __slots__ = ("a", "__dict__")


class Pair(NamedTuple):
    a: int
    b: int


class FastPair(Pair):
    __slots__ = ()


class FromLibrary(Exception):
    __slots__ = ("code",)


class Meta(type):
    pass


class MetaBase(metaclass=Meta):
    pass


class ViaMeta(MetaBase):
    __slots__ = ("x",)
