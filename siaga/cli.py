"""The `siaga` command: a thin front over Django management commands.

`siaga import-territory ...` runs `manage.py import_territory ...`; `siaga bench routing ...` runs
`manage.py bench_routing ...`. `siaga demo` switches demo mode on before Django starts.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        print(
            "Commands: demo, serve, worker, token, import-territory, import-tps, bench NAME, and every manage.py command."
        )
        return
    command, rest = args[0], args[1:]
    if command == "demo":
        # Demo accounts exist only in demo mode; the flag must be set before settings are read.
        os.environ["SIAGA_DEMO_MODE"] = "true"
    if command == "serve":
        from siaga.core.management.commands.serve import serve_without_django

        serve_without_django(rest)
        return
    if command == "bench" and rest:
        command, rest = f"bench_{rest[0]}", rest[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["siaga", command.replace("-", "_"), *rest])


if __name__ == "__main__":
    main()
