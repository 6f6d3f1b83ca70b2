"""Every write of the approval engine and of the deadlines goes through this package."""
