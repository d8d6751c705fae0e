"""The system context the tests set their data up with (cycles, users, imports run as the CLI would)."""

from review.access import system

SETUP = system("test set-up")
