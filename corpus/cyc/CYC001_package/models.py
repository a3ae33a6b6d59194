"""Customers and orders."""

import weakref

from . import lines
from .lines import Discount as OrderDiscount


class Customer:
    def __init__(self, name):
        self.name = name
        self.orders = []

    def place_order(self):
        order = Order(self)
        self.orders.append(order)
        return order


class Order:
    def __init__(self, customer):
        self._customer = weakref.ref(customer)
        self.lines = []
        self.discounts = []
        self.session_id = None

    def add_line(self, sku, quantity, unit_price):
        line = lines.OrderLine(self, sku, quantity, unit_price)
        self.lines.append(line)
        return line

    def add_discount(self, code, percent):
        self.discounts.append(OrderDiscount(self, code, percent))

    @property
    def total(self):
        gross = sum(line.total for line in self.lines)
        for discount in self.discounts:
            gross -= gross * discount.percent / 100
        return gross
