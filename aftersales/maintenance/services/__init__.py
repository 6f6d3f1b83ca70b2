"""Writes of the maintenance domain: plans, generation of visits, inspections, overdue."""
