from functools import lru_cache

from .kinds import Kind


class SubKind(Kind):  # an Enum through another module: singletons, exempt
    A = "a"

    @lru_cache(maxsize=None)
    def title(self):
        return self.value.title()


class Service:
    @lru_cache(maxsize=128)  # expect: MEM001
    def fetch(self, key):
        return key
