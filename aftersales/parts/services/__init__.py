"""Every write of the parts domain goes through a function in this package."""
