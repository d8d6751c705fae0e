"""Who the command line acts as: a named system context per command, as the audit log records it.

The CLI is run by whoever operates the installation (with the database file in hand), so it takes
what the secretariat may take; it is never a made-up person: `system:review import` says in the
audit log which command did what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from review.access import Actor, system

if TYPE_CHECKING:
    from review.store import Store


def command_actor(args) -> Actor:
    """The system context of the command being run (`review <command> [<action>]`)."""
    words = ["review", args.command] + ([args.action] if getattr(args, "action", None) else [])
    return system(" ".join(words))


def command_store(args) -> "Store":
    """The database a command works on (`--db`): an existing file, opened and migrated (a missing one
    is refused, naming it, rather than created). Used as `with command_store(args) as store:`, which
    closes it however the command ends."""
    from review.store import open_store

    return open_store(args.db, create=False)
