import enum


class Kind(enum.Enum):
    """Members are defined by subclasses."""
