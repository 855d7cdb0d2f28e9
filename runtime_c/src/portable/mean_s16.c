#include "mcu_fixedpoint.h"
#include "mcu_kernels/reduce.h"

void mcu_mean_s16(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_mean_s16_params_t p = *(const mcu_mean_s16_params_t *)params;
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
        /* Unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour. */
        uint32_t total = (uint32_t)p.sum_offset;
        int32_t scaled;
        for (r = 0; r < rows; ++r) {
            const int16_t *x = p.input + row;
            for (i = 0; i < inner; ++i) {
                total += (uint32_t)(int32_t)x[i * inner_stride];
            }
            row = mcu_reduce_step(&p.reduced, outer_rank, row_index, row);
        }
        scaled = mcu_multiply_by_quantized_multiplier((int32_t)total, p.multiplier, p.shift);
        scaled = (int32_t)((uint32_t)scaled + (uint32_t)p.output_zero_point);
        p.output[o] = (int16_t)mcu_clamp_i32(scaled, INT16_MIN, INT16_MAX);
        base = mcu_reduce_step(&p.kept, p.kept.rank, kept_index, base);
    }
}
