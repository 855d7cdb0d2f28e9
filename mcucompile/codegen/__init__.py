"""C code generation: model data and the operator table as C99 sources over runtime_c/."""
