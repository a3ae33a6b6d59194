from .base import Feature


class Point(Feature):  # expect: SLT003
    __slots__ = ("lat", "lon")

    def __init__(self, lat, lon):
        self.lat = lat
        self.lon = lon
