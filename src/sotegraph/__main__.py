"""``python -m sotegraph``."""

from sotegraph.cli import main

main()
