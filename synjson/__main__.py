"""``python -m synjson``: the ``synjson`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
