"""MEM006: copy.deepcopy of the same unchanged object on every iteration."""
import copy
from copy import deepcopy

DEFAULTS = {"retries": 3, "headers": {"accept": "json"}}


def expand(rows, template):
    out = []
    for row in rows:
        record = copy.deepcopy(template)  # expect: MEM006
        record["id"] = row
        out.append(record)
    return out


def configs(names):
    return [deepcopy(DEFAULTS) for _ in names]  # expect: MEM006


class Builder:
    def __init__(self, base):
        self.base = base

    def build(self, n):
        for i in range(n):
            yield copy.deepcopy(self.base)  # expect: MEM006


# --- near misses --------------------------------------------------------------------------


def each(items):
    return [copy.deepcopy(item) for item in items]


def snapshots(state, events):
    history = []
    for event in events:
        state.update(event)
        history.append(copy.deepcopy(state))
    return history


def passed_on(template, rows, fill):
    for row in rows:
        fill(template, row)
        yield copy.deepcopy(template)


def small(template):
    return [copy.deepcopy(template) for _ in range(3)]


def shallow(template, rows):
    return [copy.copy(template) for _ in rows]
