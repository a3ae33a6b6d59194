"""Database session with an identity map."""

from .models import Order
from .uow import UnitOfWork as UoW


class Session:
    def __init__(self, dsn):
        self.dsn = dsn
        self.identity_map = {}
        self.uow = UoW(self)

    def add(self, order: Order):
        key = id(order)
        self.identity_map[key] = order
        order.session_id = id(self)
        self.uow.register_new(order)
        return key
