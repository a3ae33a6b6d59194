"""inventory: a small stock-keeping application.

It keeps a catalog of products, stock levels per warehouse, customer orders, and produces
plain-text reports. Stock changes are published on an in-process event bus so that other parts of
the application (reorder planning, the audit log) can react without the warehouse knowing them.
"""

from .events import EventBus
from .models import Catalog, InsufficientStock, Order, OrderLine, Product, StockMovement, Warehouse

__all__ = [
    "Catalog",
    "EventBus",
    "InsufficientStock",
    "Order",
    "OrderLine",
    "Product",
    "StockMovement",
    "Warehouse",
]

__version__ = "0.3.1"
