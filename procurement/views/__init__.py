"""Pages of procurement, one module per area; each module defines its own `urlpatterns`."""

urlpatterns: list = []
