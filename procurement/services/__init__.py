"""Writes in procurement, one module per area: rounds, agencies (profile, roster, qualification),
tenders (tenders, bids, experts, scoring, award), packages, ocds (export)."""
