"""Forms of delivery pages, one module per area."""
