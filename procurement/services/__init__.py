"""Writes in procurement, one module per area: rounds, agencies (profile, roster, qualification),
tenders (tenders, bids, experts, scoring, award), packages, ocds (releases, validation), ocds_bulk (per-year files, paged list, records)."""
