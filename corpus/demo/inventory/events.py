"""A tiny synchronous publish/subscribe bus.

The warehouse publishes ``stock_changed`` after every movement; planners, loggers and the CLI
subscribe to the topics they care about. Handlers are called in subscription order.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import Any, Callable

Handler = Callable[..., None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._weak_handlers: dict[str, list[weakref.WeakMethod]] = defaultdict(list)
        self.published = 0

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call ``handler(**payload)`` for every event published on ``topic``."""
        self._handlers[topic].append(handler)

    def subscribe_weak(self, topic: str, method: Handler) -> None:
        """Like :meth:`subscribe` for a bound method, without keeping its object alive."""
        self._weak_handlers[topic].append(weakref.WeakMethod(method))

    def unsubscribe(self, topic: str, handler: Handler) -> None:
        handlers = self._handlers.get(topic)
        if handlers and handler in handlers:
            handlers.remove(handler)

    def publish(self, topic: str, **payload: Any) -> int:
        """Deliver an event and return how many handlers received it."""
        self.published += 1
        delivered = 0
        # A handler may subscribe or unsubscribe while we deliver: iterate over a snapshot.
        for handler in tuple(self._handlers.get(topic, ())):
            handler(**payload)
            delivered += 1

        weak = self._weak_handlers.get(topic)
        if weak:
            alive = []
            for ref in weak:
                method = ref()
                if method is None:
                    continue
                method(**payload)
                delivered += 1
                alive.append(ref)
            self._weak_handlers[topic] = alive
        return delivered

    def subscriber_count(self, topic: str) -> int:
        strong = len(self._handlers.get(topic, ()))
        weak = sum(1 for ref in self._weak_handlers.get(topic, ()) if ref() is not None)
        return strong + weak

    def topics(self) -> list[str]:
        return sorted(set(self._handlers) | set(self._weak_handlers))
