"""Domain model: products, the catalog, stock movements, orders and the warehouse."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Iterable, Iterator

from .events import EventBus

CENT = Decimal("0.01")
VOLUME_DISCOUNT = Decimal("0.05")
VOLUME_THRESHOLD = 10


class InsufficientStock(Exception):
    def __init__(self, sku: str, available: int, requested: int) -> None:
        super().__init__(f"{sku}: {requested} requested, {available} available")
        self.sku = sku
        self.available = available
        self.requested = requested


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    unit_price: Decimal
    reorder_level: int = 0


class Catalog:
    """All products the business sells, by SKU."""

    def __init__(self, products: Iterable[Product] = ()) -> None:
        self._products: dict[str, Product] = {}
        for product in products:
            self.add(product)

    def add(self, product: Product) -> None:
        self._products[product.sku] = product
        self.price_for.cache_clear()

    def get(self, sku: str) -> Product:
        try:
            return self._products[sku]
        except KeyError:
            raise KeyError(f"unknown SKU {sku!r}") from None

    def __contains__(self, sku: object) -> bool:
        return sku in self._products

    def __iter__(self) -> Iterator[Product]:
        return iter(self._products.values())

    def __len__(self) -> int:
        return len(self._products)

    @functools.lru_cache(maxsize=1024)  # expect: MEM001
    def price_for(self, sku: str, quantity: int = 1) -> Decimal:
        """Unit price for ``quantity`` items, after the volume discount."""
        price = self.get(sku).unit_price
        if quantity >= VOLUME_THRESHOLD:
            price *= 1 - VOLUME_DISCOUNT
        return price.quantize(CENT)


class StockMovement:  # expect: SLT001
    """One change to the stock level of a product: a receipt, a sale or an adjustment."""

    def __init__(self, sku: str, delta: int, reason: str, at: datetime | None = None) -> None:
        self.sku = sku
        self.delta = delta
        self.reason = reason
        self.at = at or datetime.now(timezone.utc)

    def __repr__(self) -> str:
        return f"StockMovement({self.sku!r}, {self.delta:+d}, {self.reason!r})"


class OrderLine:
    def __init__(self, order: Order, product: Product, quantity: int) -> None:
        self.order = order  # expect: CYC001
        self.product = product
        self.quantity = quantity

    @property
    def unit_price(self) -> Decimal:
        return self.product.unit_price

    @property
    def subtotal(self) -> Decimal:
        return self.product.unit_price * self.quantity

    def describe(self) -> str:
        return f"{self.order.reference}/{self.product.sku} x{self.quantity}"


class Order:  # expect: SLT001
    def __init__(self, reference: str, customer: str) -> None:
        self.reference = reference
        self.customer = customer
        self.lines: list[OrderLine] = []

    def add(self, product: Product, quantity: int) -> OrderLine:
        if quantity <= 0:
            raise ValueError(f"{self.reference}: quantity must be positive, got {quantity}")
        line = OrderLine(self, product, quantity)
        self.lines.append(line)
        return line

    def total(self) -> Decimal:
        return sum([line.unit_price * line.quantity for line in self.lines])  # expect: GEN001

    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def skus(self) -> list[str]:
        return [line.product.sku for line in self.lines]

    def __repr__(self) -> str:
        return f"Order({self.reference!r}, {self.customer!r}, lines={len(self.lines)})"


class Warehouse:
    """Stock levels for one site. Every change is recorded and published on the bus."""

    def __init__(self, name: str, catalog: Catalog, bus: EventBus) -> None:
        self.name = name
        self.catalog = catalog
        self.bus = bus
        self._levels: dict[str, int] = {}
        self.movements: list[StockMovement] = []

    def level(self, sku: str) -> int:
        return self._levels.get(sku, 0)

    def items(self) -> Iterator[tuple[Product, int]]:
        for sku, level in self._levels.items():
            yield self.catalog.get(sku), level

    def apply(self, movement: StockMovement) -> int:
        current = self._levels.get(movement.sku, 0)
        new_level = current + movement.delta
        if new_level < 0:
            raise InsufficientStock(movement.sku, current, -movement.delta)
        self._levels[movement.sku] = new_level
        self.movements.append(movement)
        self.bus.publish("stock_changed", sku=movement.sku, level=new_level, movement=movement)
        return new_level

    def receive(self, sku: str, quantity: int, reason: str = "receipt") -> int:
        if sku not in self.catalog:
            raise KeyError(f"unknown SKU {sku!r}")
        return self.apply(StockMovement(sku, quantity, reason))

    def fulfil(self, order: Order) -> list[StockMovement]:
        """Take the stock for every line of ``order``, or nothing if any line is short."""
        short = [line for line in order.lines if self.level(line.product.sku) < line.quantity]
        if short:
            first = short[0]
            raise InsufficientStock(first.product.sku, self.level(first.product.sku), first.quantity)
        movements = []
        for line in order.lines:
            movement = StockMovement(line.product.sku, -line.quantity, f"order {order.reference}")
            self.apply(movement)
            movements.append(movement)
        return movements

    def history(self, sku: str) -> Iterator[StockMovement]:
        return (m for m in self.movements if m.sku == sku)

    def drop_discontinued(self, discontinued: set[str]) -> list[str]:
        """Forget the stock of discontinued products; returns the SKUs dropped."""
        dropped = []
        for sku in list(filter(discontinued.__contains__, self._levels)):
            del self._levels[sku]
            dropped.append(sku)
        return dropped

    def compact_history(self, keep: int) -> int:
        """Keep only the newest ``keep`` movements; returns how many were discarded."""
        discarded = max(len(self.movements) - keep, 0)
        if discarded:
            del self.movements[:discarded]
        return discarded
