"""Who the command line acts as: a named system context per command, as the audit log records it.

The CLI is run by whoever operates the installation (with the database file in hand), so it takes
what the secretariat may take; it is never a made-up person: `system:review import` says in the
audit log which command did what.
"""

from __future__ import annotations

from review.access import Actor, system


def command_actor(args) -> Actor:
    """The system context of the command being run (`review <command> [<action>]`)."""
    words = ["review", args.command] + ([args.action] if getattr(args, "action", None) else [])
    return system(" ".join(words))
