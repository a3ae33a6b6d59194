"""MEM001: functools caches on instance methods keep every self alive."""
import enum
import functools
from functools import cache, lru_cache
from functools import lru_cache as memoize


class Repository:
    def __init__(self, root):
        self.root = root

    @lru_cache(maxsize=None)  # expect: MEM001
    def load(self, name):
        return open(f"{self.root}/{name}").read()

    @functools.lru_cache  # expect: MEM001
    def size(self, name):
        return len(self.load(name))

    @cache  # expect: MEM001
    def names(self):
        return tuple(sorted(self.root))

    @memoize(maxsize=32)  # expect: MEM001
    def checksum(self, name):
        return hash(self.load(name))

    @property
    @functools.cache  # expect: MEM001
    def label(self):
        return str(self.root)


# --- near misses --------------------------------------------------------------------------


class Tools:
    @staticmethod
    @lru_cache(maxsize=None)
    def parse(text):
        return text.split()

    @classmethod
    @functools.cache
    def default(cls):
        return cls()


class Color(enum.Enum):
    RED = 1

    @functools.lru_cache(maxsize=None)
    def describe(self):
        return self.name.lower()


class Level(enum.IntEnum):
    """Members are defined by subclasses."""


class Shade(Level):
    LIGHT = 1

    @cache
    def darker(self):
        return self.value - 1


def cache_like(func):
    return func


class Custom:
    @cache_like
    def compute(self):
        return 1
