from . import models
from .models import Address, Customer


def parse(rows):
    items = []
    for row in rows:
        items.append(models.LineItem(row[0], row[1], int(row[2])))
        Customer(row[3])
        Address(row[4])
    return items
