/* The shared body of the MEAN kernels (reduce.h). Each kernel's .c file instantiates
 * MCU_DEFINE_MEAN once, so that a model links only the variants it uses. */
#ifndef MCU_KERNELS_INTERNAL_REDUCE_IMPL_H
#define MCU_KERNELS_INTERNAL_REDUCE_IMPL_H

#include <stdint.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/reduce.h"

/* Steps a row-major odometer over the first `rank` dimensions of `walk` and returns `offset`
 * moved to the next position (back to the start after the last one). */
static inline int32_t mcu_reduce_step(const mcu_reduce_walk_t *walk, int32_t rank, int32_t *index, int32_t offset)
{
    int32_t d;
    for (d = rank - 1; d >= 0; --d) {
        if (++index[d] < walk->dims[d]) {
            return offset + walk->strides[d];
        }
        index[d] = 0;
        offset -= (walk->dims[d] - 1) * walk->strides[d];
    }
    return offset;
}

/* Defines `void name(const void *params)`: for each output, acc starts as `start` and
 * `acc += (acc_type)cell` sums its cells in the input's row-major order, then
 * `output[o] = result`; start and result are expressions of acc (an `acc_type`) and p, a local
 * copy of the parameters (output stores cannot alias it). */
#define MCU_DEFINE_MEAN(name, params_type, type, acc_type, start, result)                                           \
    void name(const void *params)                                                                                   \
    {                                                                                                               \
        const params_type p = *(const params_type *)params;                                                         \
        /* The innermost reduced dimension is a plain loop; the odometer walks the others. */                       \
        const int32_t outer_rank = p.reduced.rank - 1;                                                              \
        const int32_t inner = p.reduced.dims[outer_rank];                                                           \
        const int32_t inner_stride = p.reduced.strides[outer_rank];                                                 \
        const int32_t rows = p.count / inner;                                                                       \
        int32_t kept_index[MCU_REDUCE_MAX_DIMS] = {0};                                                              \
        int32_t base = 0;                                                                                           \
        int32_t o, r, i;                                                                                            \
        for (o = 0; o < p.outputs; ++o) {                                                                           \
            int32_t row_index[MCU_REDUCE_MAX_DIMS] = {0};                                                           \
            int32_t row = base;                                                                                     \
            acc_type acc = start;                                                                                   \
            for (r = 0; r < rows; ++r) {                                                                            \
                const type *x = p.input + row;                                                                      \
                for (i = 0; i < inner; ++i) {                                                                       \
                    acc += (acc_type)x[i * inner_stride];                                                           \
                }                                                                                                   \
                row = mcu_reduce_step(&p.reduced, outer_rank, row_index, row);                                      \
            }                                                                                                       \
            p.output[o] = result;                                                                                   \
            base = mcu_reduce_step(&p.kept, p.kept.rank, kept_index, base);                                         \
        }                                                                                                           \
    }

#endif /* MCU_KERNELS_INTERNAL_REDUCE_IMPL_H */
