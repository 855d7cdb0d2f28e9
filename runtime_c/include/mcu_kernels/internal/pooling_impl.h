/* The shared body of the AVERAGE_POOL_2D and MAX_POOL_2D kernels (pooling.h). Each kernel's .c
 * file instantiates MCU_DEFINE_POOL once, so that a model links only the variants it uses. */
#ifndef MCU_KERNELS_INTERNAL_POOLING_IMPL_H
#define MCU_KERNELS_INTERNAL_POOLING_IMPL_H

#include <stdint.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/internal/clamp_f32.h"
#include "mcu_kernels/pooling.h"

/* The input rows (or columns) [*start, *end) under output position `out`'s window. */
static inline void mcu_pool_window(int32_t out, int32_t stride, int32_t pad, int32_t filter, int32_t size,
                                   int32_t *start, int32_t *end)
{
    const int32_t origin = out * stride - pad;
    *start = origin < 0 ? 0 : origin;
    *end = origin + filter < size ? origin + filter : size;
}

/* Defines `void name(const void *params)`: for each output, in NHWC order, acc starts as `start`
 * and becomes `step` for each cell of the clipped window, row by row, then `*out++ = result`:
 *   start   an expression of `corner` (the window's first cell, a `const type *`);
 *   step    an expression of acc (an `acc_type`) and `cell` (a `type`);
 *   result  an expression of acc, rows and columns (the window's extent, int32_t) and p,
 * p being a local copy of the parameters (output stores cannot alias it). */
#define MCU_DEFINE_POOL(name, params_type, type, acc_type, start, step, result)                                     \
    void name(const void *params)                                                                                   \
    {                                                                                                               \
        const params_type p = *(const params_type *)params;                                                         \
        const mcu_pool_geometry_t *g = &p.geometry;                                                                 \
        const int32_t row_stride = g->input_width * g->channels;                                                    \
        type *out = p.output;                                                                                       \
        int32_t b, oy, ox, c, y, x;                                                                                 \
        for (b = 0; b < g->batches; ++b) {                                                                          \
            const type *image = p.input + b * g->input_height * row_stride;                                         \
            for (oy = 0; oy < g->output_height; ++oy) {                                                             \
                int32_t y0, y1;                                                                                     \
                mcu_pool_window(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height, &y0, &y1);  \
                for (ox = 0; ox < g->output_width; ++ox) {                                                          \
                    int32_t x0, x1;                                                                                 \
                    mcu_pool_window(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width, &x0, &x1);  \
                    for (c = 0; c < g->channels; ++c) {                                                             \
                        const int32_t rows = y1 - y0;                                                               \
                        const int32_t columns = x1 - x0;                                                            \
                        const type *corner = image + y0 * row_stride + x0 * g->channels + c;                        \
                        acc_type acc = start;                                                                       \
                        for (y = 0; y < rows; ++y) {                                                                \
                            const type *row = corner + y * row_stride;                                              \
                            for (x = 0; x < columns; ++x) {                                                         \
                                const type cell = row[x * g->channels];                                             \
                                acc = step;                                                                         \
                            }                                                                                       \
                        }                                                                                           \
                        *out++ = result;                                                                            \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

/* The int8 and int16 average: round half away from zero, then C's truncating division, as TFLM. */
static inline int32_t mcu_pool_average_i32(int32_t sum, int32_t count)
{
    return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

#endif /* MCU_KERNELS_INTERNAL_POOLING_IMPL_H */
