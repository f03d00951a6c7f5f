"""Saving rows: every row a service writes is validated against its model first."""
