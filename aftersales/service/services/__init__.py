"""Every write of the service domain goes through a function in this package."""
