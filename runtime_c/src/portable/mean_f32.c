#include "mcu_kernels/reduce.h"

void mcu_mean_f32(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_mean_f32_params_t p = *(const mcu_mean_f32_params_t *)params;
    /* The innermost reduced dimension is a plain loop; the odometer walks the others. */
    const int32_t outer_rank = p.reduced.rank - 1;
    const int32_t inner = p.reduced.dims[outer_rank];
    const int32_t inner_stride = p.reduced.strides[outer_rank];
    const int32_t rows = p.count / inner;
    int32_t kept_index[MCU_REDUCE_MAX_DIMS] = {0};
    int32_t base = 0;
    int32_t o, r, i;
    for (o = 0; o < p.outputs; ++o) {
        int32_t row_index[MCU_REDUCE_MAX_DIMS] = {0};
        int32_t row = base;
        float total = 0.0f;
        for (r = 0; r < rows; ++r) {
            const float *x = p.input + row;
            for (i = 0; i < inner; ++i) {
                total += x[i * inner_stride];
            }
            row = mcu_reduce_step(&p.reduced, outer_rank, row_index, row);
        }
        p.output[o] = total / p.count_float;
        base = mcu_reduce_step(&p.kept, p.kept.rank, kept_index, base);
    }
}
