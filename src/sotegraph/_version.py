"""The version of sotegraph (one place; the package root and the manifest read it)."""

__version__ = "0.1.0"
