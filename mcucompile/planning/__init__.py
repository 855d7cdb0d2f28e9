"""Operator scheduling and static memory planning: order -> liveness -> arena offsets."""
