"""Order lines and discounts."""

import weakref


class OrderLine:
    def __init__(self, order, sku, quantity, unit_price):
        self.order = order  # expect: CYC001
        self.sku = sku
        self.quantity = quantity
        self.unit_price = unit_price

    @property
    def total(self):
        return self.quantity * self.unit_price


class Discount:
    def __init__(self, order, code, percent):
        self._order = weakref.ref(order)
        self.code = code
        self.percent = percent

    @property
    def order(self):
        return self._order()
