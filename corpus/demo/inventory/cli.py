"""Command-line entry point: load the exports, replay orders, print reports."""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__, reports
from .events import EventBus
from .importer import ImportFailed, read_orders_file, read_stock_file, sniff_delimiter
from .models import Catalog, InsufficientStock, Order, StockMovement, Warehouse


class ReorderPlanner:
    """Queues a purchase for every product that falls to or below its reorder level."""

    def __init__(self, warehouse: Warehouse, bus: EventBus) -> None:
        self.warehouse = warehouse
        self.pending: dict[str, int] = {}
        bus.subscribe("stock_changed", self.on_stock_changed)

    def on_stock_changed(self, sku: str, level: int, movement: StockMovement) -> None:
        product = self.warehouse.catalog.get(sku)
        if level <= product.reorder_level:
            self.pending[sku] = max(product.reorder_level * 2 - level, 1)
        else:
            self.pending.pop(sku, None)

    def place_purchases(self) -> int:
        """Receive everything pending (the demo's suppliers deliver instantly)."""
        received = 0
        for sku, quantity in sorted(self.pending.items()):
            self.warehouse.receive(sku, quantity, reason="restock")
            received += quantity
        return received


class AuditLog:
    """The last few stock changes, for the summary. Does not keep itself alive via the bus."""

    def __init__(self, bus: EventBus, limit: int = 50) -> None:
        self.entries: deque[str] = deque(maxlen=limit)
        bus.subscribe_weak("stock_changed", self.record)

    def record(self, sku: str, level: int, movement: StockMovement) -> None:
        self.entries.append(f"{movement.reason}: {sku} {movement.delta:+d} -> {level}")


class Application:
    def __init__(self, stock_path: Path) -> None:
        if sniff_delimiter(stock_path) != ",":
            raise ImportFailed(f"{stock_path.name}: expected a comma-separated export")
        self.bus = EventBus()
        loaded = read_stock_file(stock_path)
        self.skipped = loaded.skipped
        self.catalog = Catalog(loaded.products)
        self.warehouse = Warehouse("main", self.catalog, self.bus)
        self.planner = ReorderPlanner(self.warehouse, self.bus)
        self.audit = AuditLog(self.bus)
        for sku, quantity in loaded.quantities.items():
            self.warehouse.receive(sku, quantity, reason="opening balance")

    def process(self, orders: Sequence[Order]) -> tuple[int, list[str]]:
        fulfilled = 0
        failures = []
        for order in orders:
            try:
                self.warehouse.fulfil(order)
            except InsufficientStock as exc:
                failures.append(f"  {order.reference} ({reports.order_skus(order)}): {exc}")
                continue
            fulfilled += 1
            self.planner.place_purchases()
        return fulfilled, failures

    def simulate(self, days: int, seed: int) -> int:
        """Random walk-in sales, restocked overnight. Returns the number of sales."""
        rng = random.Random(seed)
        skus = [product.sku for product in self.catalog if self.warehouse.level(product.sku)]
        sales = 0
        for day in range(days):
            if day:
                self.planner.place_purchases()
            for _ in range(rng.randint(3, 8)):
                sku = rng.choice(skus)
                quantity = rng.randint(1, 3)
                if self.warehouse.level(sku) >= quantity:
                    self.warehouse.apply(StockMovement(sku, -quantity, f"walk-in day {day}"))
                    sales += 1
        self.warehouse.compact_history(keep=10_000)
        return sales


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inventory", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--stock", type=Path, required=True, help="stock export (CSV)")
    parser.add_argument("--orders", type=Path, help="orders export")
    parser.add_argument("--days", type=int, default=0, help="simulate this many days of walk-in sales")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--discontinue", action="append", default=[], metavar="SKU")
    parser.add_argument("command", choices=("summary", "valuation", "low-stock"))
    return parser


def run(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    app = Application(args.stock)
    for sku in app.warehouse.drop_discontinued(set(args.discontinue)):
        app.planner.pending.pop(sku, None)

    orders = read_orders_file(args.orders, app.catalog) if args.orders else []
    fulfilled, failures = app.process(orders)
    sales = app.simulate(args.days, args.seed) if args.days else 0

    total, value_lines = reports.valuation(app.warehouse)
    sections: list[list[str]] = []
    if args.command in ("summary", "valuation"):
        sections.append([f"Stock value: {reports.format_money(total)}", *value_lines])
    if args.command in ("summary", "low-stock"):
        sections.append(reports.low_stock_report(app.warehouse))
    if args.command == "summary":
        digest = reports.movement_digest(app.warehouse, ("order", "walk-in", "restock"))
        sections.append([reports.order_summary(order, app.catalog) for order in orders])
        sections.append(
            [
                f"Orders: {fulfilled} fulfilled, {len(failures)} refused",
                *failures,
                f"Walk-in: {sales} sales; all outgoing: {reports.sales_summary(app.warehouse)}",
                "Units moved: " + ", ".join(f"{k} {v}" for k, v in digest.items()),
                f"Events published: {app.bus.published}, "
                f"subscribers: {app.bus.subscriber_count('stock_changed')}",
                f"Skipped input lines: {len(app.skipped)}",
                "Most valuable stock:",
                *reports.top_products(app.warehouse),
                "Last movements:",
                *(f"  {entry}" for entry in list(app.audit.entries)[-3:]),
            ]
        )
    out.write(reports.render(f"Inventory {app.warehouse.name}", sections))
    return 0
