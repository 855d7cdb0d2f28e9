#include <float.h>

#include "mcu_kernels/pooling.h"

void mcu_max_pool_f32(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_pool_f32_params_t p = *(const mcu_pool_f32_params_t *)params;
    const mcu_pool_geometry_t *g = &p.geometry;
    const int32_t row_stride = g->input_width * g->channels;
    float *out = p.output;
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < g->batches; ++b) {
        const float *image = p.input + b * g->input_height * row_stride;
        for (oy = 0; oy < g->output_height; ++oy) {
            int32_t y0, y1;
            mcu_pool_window(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height, &y0, &y1);
            for (ox = 0; ox < g->output_width; ++ox) {
                int32_t x0, x1;
                mcu_pool_window(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width, &x0, &x1);
                for (c = 0; c < g->channels; ++c) {
                    const float *corner = image + y0 * row_stride + x0 * g->channels + c;
                    /* std::max(best, cell) from the lowest float: a NaN cell never wins. */
                    float best = -FLT_MAX;
                    for (y = 0; y < y1 - y0; ++y) {
                        const float *cell = corner + y * row_stride;
                        for (x = 0; x < x1 - x0; ++x) {
                            best = best < cell[x * g->channels] ? cell[x * g->channels] : best;
                        }
                    }
                    best = best < p.activation_min ? p.activation_min : best;
                    *out++ = p.activation_max < best ? p.activation_max : best;
                }
            }
        }
    }
}
