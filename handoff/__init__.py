"""The human handoff: the cases database that escalated conversations open (and, later, the
staff console that works them)."""
