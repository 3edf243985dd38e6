"""``python -m aggregator`` is the ``emuseum`` command."""

from aggregator.cli import main

main()
