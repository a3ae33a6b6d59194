"""Load products, opening stock and orders from the text exports of the old ERP system.

Stock file: comma-separated, one header line, ``#`` comments allowed::

    sku,name,unit_price,quantity,reorder_level
    KB-101,Mechanical keyboard,89.90,12,5

Orders file: one order per line, ``reference;customer;SKU:qty,SKU:qty``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .models import Catalog, Order, Product

REQUIRED_FIELDS = ("sku", "name", "unit_price", "quantity")


class ImportFailed(Exception):
    pass


@dataclass(slots=True)
class StockImport:
    products: list[Product] = field(default_factory=list)
    quantities: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _split(line: str, sep: str = ",") -> list[str]:
    return [cell.strip() for cell in line.split(sep)]


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def read_stock_file(path: Path) -> StockImport:
    result = StockImport()
    header: list[str] | None = None
    lineno = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh.readlines():  # expect: GEN003
            lineno += 1
            if _is_blank_or_comment(line):
                continue
            if header is None:
                header = _split(line)
                missing = [name for name in REQUIRED_FIELDS if name not in header]
                if missing:
                    raise ImportFailed(f"{path.name}: missing columns {', '.join(missing)}")
                continue

            cells = _split(line)
            if len(cells) != len(header):
                result.skipped.append((lineno, f"expected {len(header)} columns, got {len(cells)}"))
                continue
            row = dict(zip(header, cells))
            if any([not row[name] for name in REQUIRED_FIELDS]):  # expect: GEN001
                result.skipped.append((lineno, "empty required field"))
                continue
            try:
                price = Decimal(row["unit_price"])
                quantity = int(row["quantity"])
                reorder_level = int(row.get("reorder_level") or 0)
            except (InvalidOperation, ValueError) as exc:
                result.skipped.append((lineno, f"bad number: {exc}"))
                continue
            result.products.append(Product(row["sku"], row["name"], price, reorder_level))
            result.quantities[row["sku"]] = quantity
    if header is None:
        raise ImportFailed(f"{path.name}: no header line")
    return result


def parse_orders(text: str, catalog: Catalog) -> list[Order]:
    orders = []
    for raw in text.splitlines():
        if _is_blank_or_comment(raw):
            continue
        reference, customer, items = _split(raw, ";")
        order = Order(reference, customer)
        # The ERP leaves a trailing comma after the last item; skip empty entries.
        for item in [part.strip() for part in items.split(",") if part.strip()]:  # expect: GEN002
            sku, _, qty = item.partition(":")
            order.add(catalog.get(sku), int(qty or 1))
        orders.append(order)
    return orders


def read_orders_file(path: Path, catalog: Catalog) -> list[Order]:
    return parse_orders(path.read_text(encoding="utf-8"), catalog)


def sniff_delimiter(path: Path, candidates: str = ",;\t") -> str:
    """Guess the delimiter of a text export from its first few kilobytes."""
    with path.open(encoding="utf-8") as fh:
        sample = fh.readlines(4096)
    counts = {sep: sum(line.count(sep) for line in sample) for sep in candidates}
    return max(counts, key=counts.__getitem__)
