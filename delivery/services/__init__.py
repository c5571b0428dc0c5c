"""Writes in delivery, one module per area: plans (P3–P8), reports (S1–S4), focus (S5)."""
