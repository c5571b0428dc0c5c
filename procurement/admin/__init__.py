"""Admin registrations of procurement, one module per area (imported here so Django's autodiscovery finds them)."""

from . import agencies, records, tenders  # noqa: F401
