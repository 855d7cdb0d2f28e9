#include "mcu_kernels/internal/conv_impl.h"

#if defined(__ARM_FEATURE_DSP)
#include "mcu_kernels/internal/dsp_s8.h"

/* How one call of depthwise_conv_s8_taps reads its input: */
enum {
    DW_WORD,      /* four input channels, one to each of four output channels (depth multiplier 1) */
    DW_BROADCAST, /* one input channel to four output channels */
    DW_SINGLE     /* one input channel to one output channel */
};

/* acc[k] += sum over n taps of x[t * x_step] * w[t * w_step] for the mode's channels k: SXTB16
 * splits a word into channels (0, 2) and (1, 3) (a broadcast byte into two copies), and
 * SMLABB / SMLATT multiply-accumulate the halves, one output channel each. */
static inline void depthwise_conv_s8_taps(int mode, const int8_t *x, int32_t x_step, const int8_t *w, int32_t w_step,
                                          int32_t n, int32_t acc[4])
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    if (mode == DW_SINGLE) {
        uint32_t sum = (uint32_t)a0;
        for (; n > 0; --n, x += x_step, w += w_step) {
            sum += (uint32_t)((int32_t)*x * *w);
        }
        acc[0] = (int32_t)sum;
        return;
    }
    for (; n > 0; --n, x += x_step, w += w_step) {
        const int32_t xw = mode == DW_WORD ? mcu_read_s8x4(x) : (int32_t)((uint32_t)(uint8_t)*x * 0x10001u);
        const int32_t ww = mcu_read_s8x4(w);
        const int32_t x_even = __sxtb16(xw), w_even = __sxtb16(ww);
        const int32_t x_odd = mode == DW_WORD ? mcu_sxtb16_ror8(xw) : x_even, w_odd = mcu_sxtb16_ror8(ww);
        a0 = __smlabb(x_even, w_even, a0);
        a2 = __smlatt(x_even, w_even, a2);
        a1 = __smlabb(x_odd, w_odd, a1);
        a3 = __smlatt(x_odd, w_odd, a3);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* The sums of the output channels from w on (filter + first output channel) over the whole
 * filter: taps inside the image read the input from x (input of the window's first tap + input
 * channel), the others `pad`, the input zero point, whose products take the folded bias's share
 * of those taps back out. */
static inline void depthwise_conv_s8_window(int mode, const mcu_conv_geometry_t *g, mcu_conv_window_t window,
                                            const int8_t *x, const int8_t *w, const int8_t *pad, int32_t acc[4])
{
    const int32_t w_step = g->output_depth;
    const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;
    const int32_t tap_step = g->dilation_width * g->input_depth;
    int32_t fy;
    acc[0] = acc[1] = acc[2] = acc[3] = 0;
    for (fy = 0; fy < g->filter_height; ++fy, w += g->filter_width * w_step) {
        if (fy < window.fy0 || fy >= window.fy1) {
            depthwise_conv_s8_taps(mode, pad, 0, w, w_step, g->filter_width, acc);
            continue;
        }
        if (window.fx0 > 0) {
            depthwise_conv_s8_taps(mode, pad, 0, w, w_step, window.fx0, acc);
        }
        depthwise_conv_s8_taps(mode, x + (fy - window.fy0) * row_step, tap_step, w + window.fx0 * w_step, w_step,
                               window.fx1 - window.fx0, acc);
        if (window.fx1 < g->filter_width) {
            depthwise_conv_s8_taps(mode, pad, 0, w + window.fx1 * w_step, w_step, g->filter_width - window.fx1, acc);
        }
    }
}

static inline int8_t depthwise_conv_s8_result(const mcu_depthwise_conv_s8_params_t *p, int32_t oc, int32_t acc)
{
    return (int8_t)mcu_requantize_output((int32_t)((uint32_t)acc + (uint32_t)p->bias[oc]), p->multiplier[oc],
                                         p->shift[oc], p->output_offset, p->activation_min, p->activation_max);
}

/* Four output channels at a time: four input channels for depth multiplier 1, else four of one
 * input channel's group; leftover channels one at a time. */
void mcu_depthwise_conv_s8(const void *params)
{
    const mcu_depthwise_conv_s8_params_t p = *(const mcu_depthwise_conv_s8_params_t *)params;
    const mcu_conv_geometry_t *const g = &p.geometry;
    const int32_t multiplier = p.depth_multiplier;
    const int8_t zero_point = (int8_t)-p.input_offset;
    const int8_t pad[4] = {zero_point, zero_point, zero_point, zero_point};
    int8_t *out = p.output;
    int32_t b, oy, ox, c, oc, k;
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p.input + b * g->input_height * g->input_width * g->input_depth;
        for (oy = 0; oy < g->output_height; ++oy) {
            const int32_t in_y0 = oy * g->stride_height - g->pad_top;
            int32_t fy0, fy1;
            mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);
            for (ox = 0; ox < g->output_width; ++ox, out += g->output_depth) {
                const int32_t in_x0 = ox * g->stride_width - g->pad_left;
                int32_t fx0, fx1, acc[4];
                mcu_conv_window_t window;
                const int8_t *x;
                mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);
                window = mcu_conv_window(g, fy0, fy1, fx0, fx1);
                x = image + mcu_conv_window_start(g, in_y0, in_x0, window);
                oc = 0;
                if (multiplier == 1) {
                    for (; oc + 4 <= g->output_depth; oc += 4) {
                        depthwise_conv_s8_window(DW_WORD, g, window, x + oc, p.filter + oc, pad, acc);
                        for (k = 0; k < 4; ++k) {
                            out[oc + k] = depthwise_conv_s8_result(&p, oc + k, acc[k]);
                        }
                    }
                }
                for (c = oc / multiplier; oc < g->output_depth; ++c) {
                    const int32_t group_end = (c + 1) * multiplier;
                    for (; oc + 4 <= group_end; oc += 4) {
                        depthwise_conv_s8_window(DW_BROADCAST, g, window, x + c, p.filter + oc, pad, acc);
                        for (k = 0; k < 4; ++k) {
                            out[oc + k] = depthwise_conv_s8_result(&p, oc + k, acc[k]);
                        }
                    }
                    for (; oc < group_end; ++oc) {
                        depthwise_conv_s8_window(DW_SINGLE, g, window, x + c, p.filter + oc, pad, acc);
                        out[oc] = depthwise_conv_s8_result(&p, oc, acc[0]);
                    }
                }
            }
        }
    }
}

#else

MCU_DEFINE_DEPTHWISE_CONV_2D(mcu_depthwise_conv_s8, mcu_depthwise_conv_s8_params_t, int8_t, int8_t, uint32_t,
                             MCU_CONV_PRODUCT_S8, MCU_CONV_RESULT_S8)

#endif
