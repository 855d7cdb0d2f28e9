"""Generated flatbuffer schema code (see the header of each module for how it was generated)."""
