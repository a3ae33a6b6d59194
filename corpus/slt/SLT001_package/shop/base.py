class Entity:
    __slots__ = ("id",)

    def __init__(self, id):
        self.id = id


class Loose:
    pass
