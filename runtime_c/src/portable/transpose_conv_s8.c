#include <stddef.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/transpose_conv.h"

void mcu_transpose_conv_s8(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_transpose_conv_s8_params_t p = *(const mcu_transpose_conv_s8_params_t *)params;
    const mcu_transpose_conv_geometry_t *g = &p.geometry;
    const int32_t input_row = g->input_width * g->input_channels;
    const int32_t filter_row = g->filter_width * g->input_channels;
    const int32_t filter_size = g->filter_height * filter_row;
    int8_t *out = p.output;
    int32_t b, oy, ox, oc, iy, ix, ic;
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p.input + b * g->input_height * input_row;
        for (oy = 0; oy < g->output_height; ++oy) {
            int32_t iy0, iy1;
            mcu_transpose_conv_sources(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height,
                                       &iy0, &iy1);
            for (ox = 0; ox < g->output_width; ++ox) {
                int32_t ix0, ix1;
                mcu_transpose_conv_sources(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width,
                                           &ix0, &ix1);
                for (oc = 0; oc < g->output_channels; ++oc) {
                    const int8_t *filter = p.weights + oc * filter_size;
                    /* Unsigned sums wrap exactly like TFLM's int32 scratch buffer, without undefined behaviour. */
                    uint32_t acc = 0;
                    int32_t scaled;
                    for (iy = iy0; iy <= iy1; ++iy) {
                        const int8_t *filter_y = filter + (oy + g->pad_height - iy * g->stride_height) * filter_row;
                        for (ix = ix0; ix <= ix1; ++ix) {
                            const int8_t *x = image + iy * input_row + ix * g->input_channels;
                            const int8_t *w = filter_y + (ox + g->pad_width - ix * g->stride_width) * g->input_channels;
                            for (ic = 0; ic < g->input_channels; ++ic) {
                                acc += (uint32_t)(((int32_t)x[ic] + p.input_offset) * w[ic]);
                            }
                        }
                    }
                    if (p.bias != NULL) {
                        acc += (uint32_t)p.bias[oc];
                    }
                    scaled = mcu_multiply_by_quantized_multiplier((int32_t)acc, p.multiplier[oc], p.shift[oc]);
                    scaled = (int32_t)((uint32_t)scaled + (uint32_t)p.output_offset);
                    *out++ = (int8_t)mcu_clamp_i32(scaled, p.activation_min, p.activation_max);
                }
            }
        }
    }
}
