"""SLT002: dataclasses created many times without slots=True."""
import dataclasses
import functools
import weakref
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass
class Reading:  # expect: SLT002
    sensor: str
    value: float


@dataclass(frozen=True, order=True)
class Pixel:  # expect: SLT002
    x: int
    y: int
    color: int = 0
    tags: list = field(default_factory=list)
    SIZE: ClassVar[int] = 1


@dataclasses.dataclass()
class Edge:  # expect: SLT002
    src: int
    dst: int

    def __repr__(self):
        return f"Edge({self.src}->{self.dst}) " + super().__repr__()


@dataclass
class Observed:  # expect: SLT002
    name: str

    def watch(self):
        return weakref.ref(self)


def parse(lines):
    readings = [Reading(*line.split(",")) for line in lines]
    pixels = []
    for i, line in enumerate(lines):
        pixels.append(Pixel(i, len(line)))
    edges = [Edge(a, b) for a, b in zip(lines, lines[1:])]
    observed = [Observed(n) for n in lines]
    return readings, pixels, edges, observed


# --- near misses --------------------------------------------------------------------------


@dataclass(slots=True)
class AlreadySlotted:
    a: int


@dataclass(slots=False)
class Deliberate:
    a: int


@dataclass
class Once:
    a: int


CONFIG = Once(1)


@dataclass
class PostInit:
    a: int

    def __post_init__(self):
        self._cache = {}


@dataclass
class Cached:
    a: int

    @functools.cached_property
    def double(self):
        return self.a * 2


class PlainBase:
    pass


@dataclass
class OnPlainBase(PlainBase):
    a: int


@dataclass
class WithDictUse:
    a: int

    def as_dict(self):
        return dict(self.__dict__)


def many(values):
    for v in values:
        yield AlreadySlotted(v), Deliberate(v), PostInit(v), OnPlainBase(v), WithDictUse(v)
        yield Cached(v)
