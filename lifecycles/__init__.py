"""Status lifecycles: the moves a model's `status` may make, written down once per model.

Each app's `states.py` holds its models' tables; every status write goes through them.
"""
