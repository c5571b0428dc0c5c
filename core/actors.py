"""The system as an actor. Services that the system may run on its own (data loading, beat tasks) accept
`actor=SYSTEM`; `actor=None` is a caller that forgot the actor and is refused like any outsider."""

from __future__ import annotations


class _System:
    """A sentinel actor: not a user, never authenticated, no primary key."""

    is_authenticated = False
    is_anonymous = False
    is_active = False
    pk = None
    id = None

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self):
        return "SYSTEM"


SYSTEM = _System()


def is_system(actor) -> bool:
    return actor is SYSTEM
