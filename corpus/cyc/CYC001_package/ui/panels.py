"""Panels that listen to the application's event bus."""

from .. import EventBus, WeakEventBus
from ..models import Order


class OrderPanel:
    """Keeps the bus it subscribes to: panel -> bus -> bound method -> panel."""

    def __init__(self, bus: EventBus, order: Order):
        self.bus = bus  # expect: CYC001
        self.order = order
        self.refreshes = 0
        bus.subscribe(self.refresh)

    def refresh(self, event):
        self.refreshes += 1


class LiveTotal:
    """Keeps a weak bus: the bus holds only a WeakMethod of the widget."""

    def __init__(self, bus: WeakEventBus, order: Order):
        self.bus = bus
        self.order = order
        bus.subscribe(self.recompute)

    def recompute(self, event):
        return self.order.total


class StatusLabel:
    """Does not keep the bus: no cycle, but the bus keeps the label forever."""

    def __init__(self, bus: EventBus):
        self.text = ""
        bus.subscribe(self.update)  # expect: WRF001

    def update(self, event):
        self.text = str(event)
