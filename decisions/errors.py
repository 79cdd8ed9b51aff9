"""Why an action was not taken. Each message is meant for the person who tried it, as it stands."""


class DecisionError(Exception):
    """Base: an action refused with a reason; nothing was written."""

    exit_code = 1


class Refused(DecisionError):
    """The user's role may not take this action, or the item is in a state that does not allow it."""


class Conflict(DecisionError):
    """Someone else changed the item since it was read (optimistic locking)."""


class NotFound(DecisionError):
    """No item with that id."""


class BadInput(DecisionError):
    """A value the action cannot take (an empty countermeasure, an unknown root cause, an unknown user)."""

    exit_code = 2


class StoreNotUpgraded(DecisionError):
    """The store's schema is older (or newer) than this code; ``omniops db upgrade`` fixes the first."""

    exit_code = 3
