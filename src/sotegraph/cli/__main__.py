"""``python -m sotegraph.cli``."""

from sotegraph.cli import main

main()
