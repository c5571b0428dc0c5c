"""Admin registrations of delivery, one module per area (imported here so Django's autodiscovery finds them)."""

from . import plans, records, reports  # noqa: F401
