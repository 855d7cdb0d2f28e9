/* The shared body of the TRANSPOSE_CONV kernels (transpose_conv.h). Each kernel's .c file
 * instantiates MCU_DEFINE_TRANSPOSE_CONV once, so that a model links only the variants it uses. */
#ifndef MCU_KERNELS_INTERNAL_TRANSPOSE_CONV_IMPL_H
#define MCU_KERNELS_INTERNAL_TRANSPOSE_CONV_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/internal/clamp_f32.h"
#include "mcu_kernels/transpose_conv.h"

/* The input rows (or columns) [*first, *last] whose window covers output position `out`;
 * input position i reaches it through filter tap out + pad - i * stride. */
static inline void mcu_transpose_conv_sources(int32_t out, int32_t stride, int32_t pad, int32_t filter,
                                              int32_t size, int32_t *first, int32_t *last)
{
    const int32_t reach = out + pad; /* >= 0 */
    const int32_t lowest = reach - (filter - 1);
    *first = lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
    *last = reach / stride < size - 1 ? reach / stride : size - 1;
}

/* Defines `void name(const void *params)`: for each output, in NHWC order, `acc += product` sums
 * the input pixels and taps that hit it from 0, in increasing (input row, input column, input
 * channel) order, then `*out++ = result`:
 *   product  an expression of `input` (a `type`), `weight` (a `filter_type`) and p;
 *   result   an expression of acc (an `acc_type`), oc and p,
 * p being a local copy of the parameters (output stores cannot alias it). */
#define MCU_DEFINE_TRANSPOSE_CONV(name, params_type, type, filter_type, acc_type, product, result)                  \
    void name(const void *params)                                                                                   \
    {                                                                                                               \
        const params_type p = *(const params_type *)params;                                                         \
        const mcu_transpose_conv_geometry_t *g = &p.geometry;                                                       \
        const int32_t input_row = g->input_width * g->input_channels;                                               \
        const int32_t filter_row = g->filter_width * g->input_channels;                                             \
        const int32_t filter_size = g->filter_height * filter_row;                                                  \
        type *out = p.output;                                                                                       \
        int32_t b, oy, ox, oc, iy, ix, ic;                                                                          \
        for (b = 0; b < g->batches; ++b) {                                                                          \
            const type *image = p.input + b * g->input_height * input_row;                                          \
            for (oy = 0; oy < g->output_height; ++oy) {                                                             \
                int32_t iy0, iy1;                                                                                   \
                mcu_transpose_conv_sources(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height,  \
                                           &iy0, &iy1);                                                             \
                for (ox = 0; ox < g->output_width; ++ox) {                                                          \
                    int32_t ix0, ix1;                                                                               \
                    mcu_transpose_conv_sources(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width,  \
                                               &ix0, &ix1);                                                         \
                    for (oc = 0; oc < g->output_channels; ++oc) {                                                   \
                        const filter_type *filter = p.weights + oc * filter_size;                                   \
                        acc_type acc = 0;                                                                           \
                        for (iy = iy0; iy <= iy1; ++iy) {                                                           \
                            const filter_type *filter_y =                                                           \
                                filter + (oy + g->pad_height - iy * g->stride_height) * filter_row;                 \
                            for (ix = ix0; ix <= ix1; ++ix) {                                                       \
                                const type *x = image + iy * input_row + ix * g->input_channels;                    \
                                const filter_type *w =                                                              \
                                    filter_y + (ox + g->pad_width - ix * g->stride_width) * g->input_channels;      \
                                for (ic = 0; ic < g->input_channels; ++ic) {                                        \
                                    const type input = x[ic];                                                       \
                                    const filter_type weight = w[ic];                                               \
                                    acc += product;                                                                 \
                                }                                                                                   \
                            }                                                                                       \
                        }                                                                                           \
                        *out++ = result;                                                                            \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

#endif /* MCU_KERNELS_INTERNAL_TRANSPOSE_CONV_IMPL_H */
