"""Plain-text reports: stock valuation, low stock, order summaries and movement digests."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .models import CENT, Catalog, Order, Warehouse

# Formatted amounts, by (amount, currency). Reports format the same few prices over and over.
_MONEY_TEXT: dict[tuple[Decimal, str], str] = {}


def format_money(amount: Decimal, currency: str = "EUR") -> str:
    key = (amount, currency)
    text = _MONEY_TEXT.get(key)
    if text is None:
        text = f"{Decimal(amount).quantize(CENT):,} {currency}"
        _MONEY_TEXT[key] = text  # expect: MEM003
    return text


def valuation(warehouse: Warehouse) -> tuple[Decimal, list[str]]:
    """Total value of the stock on hand, and one line per stocked product."""
    stocked = [(product, level) for product, level in warehouse.items() if level > 0]
    total = sum((product.unit_price * level for product, level in stocked), Decimal(0))
    lines = [
        f"  {product.sku:<8} {level:>5} x {format_money(product.unit_price):>12}"
        for product, level in stocked
    ]
    return total, lines


def low_stock_report(warehouse: Warehouse) -> list[str]:
    lines = ["Low stock:"]
    for product, level in warehouse.items():
        if level <= product.reorder_level:
            lines.append(
                f"  {product.sku:<8} {product.name:<24} {level:>5} (reorder at {product.reorder_level})"
            )
    if len(lines) == 1:
        lines.append("  none")
    return lines


def order_summary(order: Order, catalog: Catalog) -> str:
    rows = [f"Order {order.reference} for {order.customer}: {order.item_count()} items"]
    discounted = [line for line in order.lines if line.quantity >= 10]  # expect: GEN004
    for line in discounted:
        price = catalog.price_for(line.product.sku, line.quantity)
        rows.append(f"  volume price {line.product.sku}: {format_money(price)} x {line.quantity}")
    rows.append(f"  total: {format_money(order.total())}")
    return "\n".join(rows)


def order_skus(order: Order) -> str:
    return ", ".join([line.product.sku for line in order.lines])


def sales_summary(warehouse: Warehouse) -> str:
    outgoing = [m for m in warehouse.movements if m.delta < 0]
    if not outgoing:
        return "no sales"
    units = 0
    for movement in outgoing:
        units -= movement.delta
    return f"{len(outgoing)} movements, {units} units"


def movement_digest(warehouse: Warehouse, reasons: Iterable[str]) -> dict[str, int]:
    """Units moved per reason prefix (e.g. ``order``, ``receipt``, ``restock``)."""
    watched = [reason.lower() for reason in reasons]
    digest: dict[str, int] = {}
    for movement in warehouse.movements:
        for reason in watched:
            if movement.reason.lower().startswith(reason):
                digest[reason] = digest.get(reason, 0) + abs(movement.delta)
                break
    return digest


def top_products(warehouse: Warehouse, count: int = 3) -> list[str]:
    ranked = sorted(warehouse.items(), key=lambda pair: pair[0].unit_price * pair[1], reverse=True)
    names = [product.name for product, _ in ranked[:count]]
    width = max((len(name) for name in names), default=0)
    return [f"  {name:<{width}}  #{rank}" for rank, name in enumerate(names, start=1)]


def render(title: str, sections: Iterable[Iterable[str]]) -> str:
    out = [title, "=" * len(title)]
    for section in sections:
        out.extend(section)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
