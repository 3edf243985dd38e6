"""The one error a configuration can raise: files, settings and the museums they name."""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file, museum and field."""
