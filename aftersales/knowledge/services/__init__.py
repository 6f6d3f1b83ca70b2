"""Every write of the knowledge base goes through a function in this package."""
