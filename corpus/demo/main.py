"""Demo workload for the inventory application.

Loads the sample exports in ``data/``, replays the orders, simulates a month of walk-in sales and
prints the summary report. Run it with ``python3 main.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from inventory import cli

DATA = Path(__file__).resolve().parent / "data"


def main() -> int:
    return cli.run(
        [
            "--stock", str(DATA / "stock.csv"),
            "--orders", str(DATA / "orders.txt"),
            "--days", "30",
            "--discontinue", "DK-010",
            "summary",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
