#include "mcu_fixedpoint.h"
#include "mcu_kernels/conv.h"

void mcu_conv_s8(const void *params)
{
    /* A local copy: the compiler need not reload its fields after every store to the output. */
    const mcu_conv_s8_params_t p = *(const mcu_conv_s8_params_t *)params;
    const mcu_conv_geometry_t *const g = &p.geometry;
    const int32_t depth = p.filter_depth;
    const int32_t filter_size = g->filter_height * g->filter_width * depth; /* per output channel */
    const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;
    const int32_t tap_step = g->dilation_width * g->input_depth;
    int8_t *out = p.output;
    int32_t b, oy, ox, group_start, oc, fy, fx, d;
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p.input + b * g->input_height * g->input_width * g->input_depth;
        for (oy = 0; oy < g->output_height; ++oy) {
            const int32_t in_y0 = oy * g->stride_height - g->pad_top;
            int32_t fy0, fy1;
            mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);
            for (ox = 0; ox < g->output_width; ++ox) {
                const int32_t in_x0 = ox * g->stride_width - g->pad_left;
                int32_t fx0, fx1, first_tap;
                const int8_t *x;
                int clipped;
                mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);
                clipped = fy0 != 0 || fy1 != g->filter_height || fx0 != 0 || fx1 != g->filter_width;
                first_tap = mcu_conv_window_start(g, in_y0, in_x0, fy0, fy1, fx0, fx1);
                /* Each group of output channels reads the next `depth` input channels. */
                for (group_start = 0, x = image + first_tap; group_start < g->output_depth;
                     group_start += p.group_output_depth, x += depth) {
                    for (oc = group_start; oc < group_start + p.group_output_depth; ++oc) {
                        const int8_t *w = p.filter + oc * filter_size;
                        /* Unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour. */
                        uint32_t acc = (uint32_t)p.bias[oc];
                        int32_t scaled;
                        for (fy = fy0; fy < fy1; ++fy) {
                            const int8_t *x_row = x + (fy - fy0) * row_step;
                            const int8_t *w_row = w + fy * g->filter_width * depth;
                            for (fx = fx0; fx < fx1; ++fx) {
                                const int8_t *x_tap = x_row + (fx - fx0) * tap_step;
                                const int8_t *w_tap = w_row + fx * depth;
                                for (d = 0; d < depth; ++d) {
                                    acc += (uint32_t)((int32_t)x_tap[d] * (int32_t)w_tap[d]);
                                }
                            }
                        }
                        if (clipped && p.input_offset != 0) {
                            /* Skipped taps: take their share of the folded input offset back out. */
                            acc -= (uint32_t)p.input_offset
                                   * mcu_conv_outside_weight_sum(w, g->filter_height, g->filter_width, depth, depth,
                                                                 fy0, fy1, fx0, fx1);
                        }
                        scaled = mcu_multiply_by_quantized_multiplier((int32_t)acc, p.multiplier[oc], p.shift[oc]);
                        scaled = (int32_t)((uint32_t)scaled + (uint32_t)p.output_offset);
                        *out++ = (int8_t)mcu_clamp_i32(scaled, p.activation_min, p.activation_max);
                    }
                }
            }
        }
    }
}
