"""Service requests end to end: tickets, warranty decisions, SLA clocks, work orders,
service reports, quotes and callbacks (SPEC §3)."""
