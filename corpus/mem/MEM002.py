"""MEM002: unbounded caches on module functions with open-ended arguments."""
import functools
from functools import cache, lru_cache
from typing import Literal


@cache  # expect: MEM002
def parse_header(raw: str):
    return raw.split(":", 1)


@functools.lru_cache(maxsize=None)  # expect: MEM002
def resolve(path, strict=False):
    return path


@lru_cache(None)  # expect: MEM002
def tokenize(*parts):
    return parts


# --- near misses --------------------------------------------------------------------------


@lru_cache(maxsize=256)
def bounded(raw):
    return raw


@lru_cache
def default_bound(raw):
    return raw


@cache
def settings():
    return {"debug": False}


@cache
def mode_table(verbose: bool, mode: Literal["r", "w"]):
    return verbose, mode


class Holder:
    @staticmethod
    @cache
    def helper(x):
        return x


def outer():
    @cache
    def inner(x):
        return x

    return inner
