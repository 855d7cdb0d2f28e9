"""Placeholder: filled in as the family is written."""
KERNELS = {}
