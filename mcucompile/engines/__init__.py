"""Engines that run a compiled model: the Python reference, the host C build, (later) QEMU."""
