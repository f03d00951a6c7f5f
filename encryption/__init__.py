"""Secrets at rest: one cipher and one rotation for every encrypted column of every app."""
