"""pandium-server: a self-hostable implementation of the Pandium v2 API."""

__version__ = "0.1.0"
