"""SLT004: a name in __slots__ that the class body also binds."""


class Config:
    __slots__ = ("debug", "level", "name")
    debug = False  # expect: SLT004
    level: int = 0  # expect: SLT004
    name: str  # a bare annotation binds nothing

    def __init__(self, level):
        self.level = level


class Node:
    __slots__ = {"parent": "the parent node", "label": "text"}

    def label(self):  # expect: SLT004
        return "node"


class Pair:
    __slots__ = "first", "second"
    first, other = None, None  # expect: SLT004


# --- near misses --------------------------------------------------------------------------


class Fine:
    __slots__ = ("_value",)

    @property
    def value(self):
        return self._value


class Conditional:
    __slots__ = ("mode",)
    if False:
        mode = "never"


class NotLiteral:
    __slots__ = tuple(["a"])
    a = 1
