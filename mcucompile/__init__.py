"""mcucompile: TensorFlow Lite models to plain C for Cortex-M, bit-exact with TFLM."""

__version__ = "0.1.0"
