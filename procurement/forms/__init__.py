"""Forms of procurement pages, one module per area."""
