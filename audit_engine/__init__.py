"""The website audit engine: a safe fetcher, a polite crawler, the checks and the scores."""
