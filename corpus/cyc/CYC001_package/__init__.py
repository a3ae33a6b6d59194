"""CYC001 reference-cycle across modules: corpus package (checked as one unit).

A small order-management app.  Flagged: cycles whose links live in different
modules and are reached through relative imports (``from .lines import
OrderLine as Line``, ``from . import lines``), aliases (``UnitOfWork as UoW``)
and re-exports through this ``__init__`` (``ui/panels.py`` imports
``EventBus`` from ``..``):

- ``Order`` (models.py) keeps its lines; ``OrderLine`` (lines.py) keeps its
  order -- reported at the back-pointer in lines.py;
- ``Session`` (session.py) keeps a ``UnitOfWork`` (uow.py) that keeps the
  session -- reported in uow.py;
- ``OrderPanel`` (ui/panels.py) keeps the ``EventBus`` (events.py) whose
  subscriber list keeps the panel's bound method -- reported where the panel
  takes the bus it was given (``self.bus = bus``).

Deliberately NOT flagged: ``Order`` keeps its customer through
``weakref.ref``, ``Discount`` keeps its order through ``weakref.ref``, the
session's identity map stores ids rather than back-pointers, ``WeakEventBus``
stores ``WeakMethod`` objects, and this ``__init__`` only re-exports names.
``StatusLabel`` subscribes to a bus it does not keep: no cycle, but the bus
never lets it go (WRF001).
"""

from .events import EventBus, WeakEventBus
from .models import Customer, Order
from .session import Session as DbSession

__all__ = ["Customer", "DbSession", "EventBus", "Order", "WeakEventBus"]
