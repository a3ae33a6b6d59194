from .base import Entity, Loose


class LineItem(Entity):  # expect: SLT001
    def __init__(self, id, sku, qty):
        super().__init__(id)
        self.sku = sku
        self.qty = qty


class Customer(Loose):  # a base in another module keeps the dict
    def __init__(self, name):
        self.name = name


class Address:  # a subclass elsewhere reads vars(self)
    def __init__(self, street):
        self.street = street
