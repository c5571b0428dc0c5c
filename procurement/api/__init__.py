"""The procurement API (/api/v1/procurement/), one module per area; each module defines `urlpatterns`."""

urlpatterns: list = []
