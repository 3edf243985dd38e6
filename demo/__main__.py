"""``python -m demo``: what ``make demo`` runs (sample museums -> harvest -> searches -> web page)."""

from __future__ import annotations

import argparse
from pathlib import Path

from demo.run import run_demo


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="stop after the summary")
    parser.add_argument("--workdir", type=Path, default=Path("var/demo"), help="database and config of the demo")
    parser.add_argument("--count", type=int, default=400, help="objects per sample museum (times 4)")
    parser.add_argument("--port", type=int, default=8000, help="port of the web app on 127.0.0.1")
    parser.add_argument("--broken-museum", metavar="ID", help="after the harvests, a night in which this museum fails")
    parser.add_argument("--held-museum", metavar="ID", help="... and in which this museum's run is held (half deleted)")
    args = parser.parse_args()
    run_demo(
        args.workdir,
        count=args.count,
        serve=args.serve,
        port=args.port,
        broken_museum=args.broken_museum,
        held_museum=args.held_museum,
    )


if __name__ == "__main__":
    main()
