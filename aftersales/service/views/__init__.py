"""Web screens of the service flow (templates + htmx): agent workspace, dispatch board,
technician's jobs, customer portal, public token pages and the report PDF."""
