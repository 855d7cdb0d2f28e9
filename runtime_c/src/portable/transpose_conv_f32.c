#include <stddef.h>

#include "mcu_kernels/transpose_conv.h"

void mcu_transpose_conv_f32(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_transpose_conv_f32_params_t p = *(const mcu_transpose_conv_f32_params_t *)params;
    const mcu_transpose_conv_geometry_t *g = &p.geometry;
    const int32_t input_row = g->input_width * g->input_channels;
    const int32_t filter_row = g->filter_width * g->input_channels;
    const int32_t filter_size = g->filter_height * filter_row;
    float *out = p.output;
    int32_t b, oy, ox, oc, iy, ix, ic;
    for (b = 0; b < g->batches; ++b) {
        const float *image = p.input + b * g->input_height * input_row;
        for (oy = 0; oy < g->output_height; ++oy) {
            int32_t iy0, iy1;
            mcu_transpose_conv_sources(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height,
                                       &iy0, &iy1);
            for (ox = 0; ox < g->output_width; ++ox) {
                int32_t ix0, ix1;
                mcu_transpose_conv_sources(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width,
                                           &ix0, &ix1);
                for (oc = 0; oc < g->output_channels; ++oc) {
                    const float *filter = p.weights + oc * filter_size;
                    float acc = 0.0f;
                    for (iy = iy0; iy <= iy1; ++iy) {
                        const float *filter_y = filter + (oy + g->pad_height - iy * g->stride_height) * filter_row;
                        for (ix = ix0; ix <= ix1; ++ix) {
                            const float *x = image + iy * input_row + ix * g->input_channels;
                            const float *w = filter_y + (ox + g->pad_width - ix * g->stride_width) * g->input_channels;
                            for (ic = 0; ic < g->input_channels; ++ic) {
                                acc += x[ic] * w[ic];
                            }
                        }
                    }
                    if (p.bias != NULL) {
                        acc += p.bias[oc];
                    }
                    /* std::min(std::max(acc, min), max), NaN and signed zeros included. */
                    acc = acc < p.activation_min ? p.activation_min : acc;
                    *out++ = p.activation_max < acc ? p.activation_max : acc;
                }
            }
        }
    }
}
