"""python -m alerts --url URL [--day YYYY-MM-DD] --json: the day's alerts as JSON; nothing is stored or sent."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from alerts.cli import json_cli
    from alerts.rules import evaluate

    return json_cli("python -m alerts", __doc__.splitlines()[0], evaluate, argv, day_required=False,
                    day_help="YYYY-MM-DD (default: yesterday)")


if __name__ == "__main__":
    raise SystemExit(main())
