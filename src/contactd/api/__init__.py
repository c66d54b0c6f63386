"""The HTTP edge: one adapter per API generation over the shared services."""
