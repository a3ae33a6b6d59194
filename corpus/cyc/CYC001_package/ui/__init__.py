"""UI widgets of the order app."""

from .panels import OrderPanel, StatusLabel

__all__ = ["OrderPanel", "StatusLabel"]
