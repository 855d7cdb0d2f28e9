#include "mcu_fixedpoint.h"
#include "mcu_kernels/pooling.h"

/* The emitter checks that a window's sum fits int32 (at most 2^31 / |type min| cells). */
void mcu_avg_pool_s8(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_pool_s8_params_t p = *(const mcu_pool_s8_params_t *)params;
    const mcu_pool_geometry_t *g = &p.geometry;
    const int32_t row_stride = g->input_width * g->channels;
    int8_t *out = p.output;
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p.input + b * g->input_height * row_stride;
        for (oy = 0; oy < g->output_height; ++oy) {
            int32_t y0, y1;
            mcu_pool_window(oy, g->stride_height, g->pad_height, g->filter_height, g->input_height, &y0, &y1);
            for (ox = 0; ox < g->output_width; ++ox) {
                int32_t x0, x1, count;
                mcu_pool_window(ox, g->stride_width, g->pad_width, g->filter_width, g->input_width, &x0, &x1);
                count = (y1 - y0) * (x1 - x0);
                for (c = 0; c < g->channels; ++c) {
                    const int8_t *corner = image + y0 * row_stride + x0 * g->channels + c;
                    int32_t acc = 0;
                    for (y = 0; y < y1 - y0; ++y) {
                        const int8_t *cell = corner + y * row_stride;
                        for (x = 0; x < x1 - x0; ++x) {
                            acc += cell[x * g->channels];
                        }
                    }
                    /* Round half away from zero, then C's truncating division, as TFLM. */
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    *out++ = (int8_t)mcu_clamp_i32(acc, p.activation_min, p.activation_max);
                }
            }
        }
    }
}
