"""Event buses used by the UI layer."""

import weakref


class EventBus:
    """Keeps strong references to every callback, forever."""

    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(callback)

    def publish(self, event):
        for callback in self._subscribers:
            callback(event)


class WeakEventBus:
    """Keeps WeakMethods and prunes the dead ones when publishing."""

    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(weakref.WeakMethod(callback))

    def publish(self, event):
        alive = []
        for ref in self._subscribers:
            callback = ref()
            if callback is not None:
                callback(event)
                alive.append(ref)
        self._subscribers = alive
