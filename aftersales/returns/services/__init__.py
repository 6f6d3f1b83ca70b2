"""Every write of the returns domain goes through a function in this package."""
