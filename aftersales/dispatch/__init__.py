"""智能派工 (SPEC §9): the pure planning model (``planning/``), the planner service that
builds it from open work and rosters, stores and publishes plans, and the dispatcher screen."""
