"""SLT005: assignments to attributes no slot declares."""
from dataclasses import dataclass


class Order:
    __slots__ = ("items", "owner")

    def __init__(self, items, owner):
        self.items = items
        self.owner = owner
        self.total = sum(i.price for i in items)  # expect: SLT005

    def close(self):
        self.closed = True  # expect: SLT005
        self.total = 0  # reported once per attribute


class Base:
    __slots__ = ("__secret", "name")

    def __init__(self):
        self.__secret = 1  # mangled to _Base__secret: declared


class Derived(Base):
    __slots__ = ("extra",)

    def reveal(self):
        self.__secret = 2  # expect: SLT005
        self.name = "n"
        self.extra = 3


@dataclass(slots=True)
class Record:
    key: str

    def __post_init__(self):
        self.cache = {}  # expect: SLT005


def use(rows):
    return [Order(r, None) for r in rows], Derived(), Record("k")


# --- near misses --------------------------------------------------------------------------


class WithProperty:
    __slots__ = ("_size",)

    def __init__(self):
        self.size = 3

    @property
    def size(self):
        return self._size

    @size.setter
    def size(self, value):
        self._size = value


class WithDictSlot:
    __slots__ = ("a", "__dict__")

    def __init__(self):
        self.b = 1


class OnLibraryBase(Exception):
    __slots__ = ("code",)

    def __init__(self):
        self.other = 1


class Unslotted:
    pass


class OnUnslotted(Unslotted):  # expect: SLT003
    __slots__ = ("a",)

    def __init__(self):
        self.b = 1


class AbstractMixin:
    __slots__ = ()

    def remember(self, value):
        self.memory = value


class Concrete(AbstractMixin):
    __slots__ = ("memory",)


class Redirecting:
    __slots__ = ("_data",)

    def __init__(self):
        object.__setattr__(self, "_data", {})
        self.anything = 1

    def __setattr__(self, name, value):
        self._data[name] = value


def more():
    return WithProperty(), WithDictSlot(), OnLibraryBase(), OnUnslotted(), Concrete(), Redirecting()
