"""`review backup DIR` and `review restore DIR`: a checked copy of the database, and putting one back."""

from __future__ import annotations

from pathlib import Path

from review.cli_context import command_actor, command_store
from review.i18n import t
from review.store import default_path


def cmd_backup(args) -> int:
    from review import backup

    with command_store(args) as store:
        taken = backup.take(store, command_actor(args), args.directory)
    checked = backup.check(taken.folder)
    print(t("backup.taken", args.lang, path=taken.folder, tables=len(checked.tables),
            rows=sum(checked.tables.values()), sha=checked.sha256[:12]))
    return 0


def cmd_restore(args) -> int:
    from review import backup

    database = args.db or default_path()
    kept = backup.restore(args.directory, database)
    print(t("backup.restored", args.lang, path=database, source=args.directory))
    if kept:
        print(t("backup.kept", args.lang, path=kept))
    return 0


def register(sub) -> None:
    p = sub.add_parser("backup", help="a consistent, checksummed copy of the whole database in a new folder")
    p.add_argument("directory", type=Path)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="check a backup, then put it in place of the database (the app stopped)")
    p.add_argument("directory", type=Path)
    p.set_defaults(func=cmd_restore)
