#include "mcu_fixedpoint.h"
#include "mcu_kernels/conv.h"

void mcu_depthwise_conv_s16(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_depthwise_conv_s16_params_t p = *(const mcu_depthwise_conv_s16_params_t *)params;
    const mcu_conv_geometry_t *const g = &p.geometry;
    const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;
    const int32_t tap_step = g->dilation_width * g->input_depth;
    int16_t *out = p.output;
    int32_t b, oy, ox, ic, m, fy, fx;
    for (b = 0; b < g->batches; ++b) {
        const int16_t *image = p.input + b * g->input_height * g->input_width * g->input_depth;
        for (oy = 0; oy < g->output_height; ++oy) {
            const int32_t in_y0 = oy * g->stride_height - g->pad_top;
            int32_t fy0, fy1;
            mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);
            for (ox = 0; ox < g->output_width; ++ox) {
                const int32_t in_x0 = ox * g->stride_width - g->pad_left;
                int32_t fx0, fx1, first_tap;
                mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);
                first_tap = mcu_conv_window_start(g, in_y0, in_x0, fy0, fy1, fx0, fx1);
                for (ic = 0; ic < g->input_depth; ++ic) {
                    const int16_t *x = image + first_tap + ic;
                    for (m = 0; m < p.depth_multiplier; ++m) {
                        const int32_t oc = ic * p.depth_multiplier + m;
                        const int8_t *w = p.filter + oc;
                        int64_t sum = 0; /* int16 * int8 products: no int64 sum of them can overflow */
                        int64_t acc;
                        int32_t scaled;
                        for (fy = fy0; fy < fy1; ++fy) {
                            const int16_t *x_row = x + (fy - fy0) * row_step;
                            const int8_t *w_row = w + fy * g->filter_width * g->output_depth;
                            for (fx = fx0; fx < fx1; ++fx) {
                                sum += (int32_t)x_row[(fx - fx0) * tap_step] * (int32_t)w_row[fx * g->output_depth];
                            }
                        }
                        /* Unsigned, so an extreme bias wraps (as in TFLM) instead of being undefined. */
                        acc = (int64_t)((uint64_t)sum + (uint64_t)p.bias[oc]);
                        scaled = mcu_multiply_by_quantized_multiplier_64(acc, p.multiplier[oc], p.shift[oc]);
                        *out++ = (int16_t)mcu_clamp_i32(scaled, p.activation_min, p.activation_max);
                    }
                }
            }
        }
    }
}
