#include "mcu_kernels/conv.h"

void mcu_depthwise_conv_f32(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_depthwise_conv_f32_params_t p = *(const mcu_depthwise_conv_f32_params_t *)params;
    const mcu_conv_geometry_t *const g = &p.geometry;
    const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;
    const int32_t tap_step = g->dilation_width * g->input_depth;
    float *out = p.output;
    int32_t b, oy, ox, ic, m, fy, fx;
    for (b = 0; b < g->batches; ++b) {
        const float *image = p.input + b * g->input_height * g->input_width * g->input_depth;
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
                    const float *x = image + first_tap + ic;
                    for (m = 0; m < p.depth_multiplier; ++m) {
                        const int32_t oc = ic * p.depth_multiplier + m;
                        const float *w = p.filter + oc;
                        float total = 0.0f;
                        float clamped;
                        for (fy = fy0; fy < fy1; ++fy) {
                            const float *x_row = x + (fy - fy0) * row_step;
                            const float *w_row = w + fy * g->filter_width * g->output_depth;
                            for (fx = fx0; fx < fx1; ++fx) {
                                total += x_row[(fx - fx0) * tap_step] * w_row[fx * g->output_depth];
                            }
                        }
                        total += p.bias != NULL ? p.bias[oc] : 0.0f;
                        /* std::min(std::max(total, min), max), NaN and signed zeros included. */
                        clamped = total < p.activation_min ? p.activation_min : total;
                        *out++ = p.activation_max < clamped ? p.activation_max : clamped;
                    }
                }
            }
        }
    }
}
