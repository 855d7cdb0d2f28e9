#include "mcu_kernels/internal/conv_impl.h"

#if defined(__ARM_FEATURE_DSP)
#include "mcu_kernels/internal/dsp_s8.h"

/* The sum of n int8 values, wrapped: SMLAD of each half-word pair with (1, 1). */
static inline uint32_t conv_s8_sum(const int8_t *v, int32_t n)
{
    const int32_t ones = 0x00010001;
    int32_t wide = 0, k;
    uint32_t sum;
    for (k = 0; k + 4 <= n; k += 4) {
        const int32_t word = mcu_read_s8x4(v + k);
        wide = __smlad(__sxtb16(word), ones, wide);
        wide = __smlad(mcu_sxtb16_ror8(word), ones, wide);
    }
    for (sum = (uint32_t)wide; k < n; ++k) {
        sum += (uint32_t)(int32_t)v[k];
    }
    return sum;
}

/* mcu_conv_outside_weight_sum of a CONV_2D filter: a filter row's weights are contiguous, so the
 * taps outside the window are a whole row or the runs left and right of it. */
static inline uint32_t conv_s8_outside_weight_sum(const int8_t *w, const mcu_conv_geometry_t *g, int32_t depth,
                                                  mcu_conv_window_t window)
{
    const int32_t row = g->filter_width * depth;
    uint32_t sum = 0;
    int32_t fy;
    for (fy = 0; fy < g->filter_height; ++fy, w += row) {
        if (fy < window.fy0 || fy >= window.fy1 || window.fx0 == window.fx1) {
            sum += conv_s8_sum(w, row);
        } else {
            sum += conv_s8_sum(w, window.fx0 * depth)
                   + conv_s8_sum(w + window.fx1 * depth, (g->filter_width - window.fx1) * depth);
        }
    }
    return sum;
}

/* The output of channel oc from its sum over the whole filter (MCU_CONV_RESULT_S8's arithmetic). */
static inline int8_t conv_s8_result(const mcu_conv_s8_params_t *p, int32_t oc, uint32_t acc)
{
    return (int8_t)mcu_requantize_output((int32_t)(acc + (uint32_t)p->bias[oc]), p->multiplier[oc], p->shift[oc],
                                         p->output_offset, p->activation_min, p->activation_max);
}

/* The sum of channel oc's taps inside a window, made the whole filter's: a clipped window takes
 * the skipped taps' share of the folded input offset back out. */
static inline uint32_t conv_s8_windowed(const mcu_conv_s8_params_t *p, const int8_t *w, uint32_t acc,
                                        mcu_conv_window_t window)
{
    if (window.clipped && p->input_offset != 0) {
        acc -= (uint32_t)p->input_offset * conv_s8_outside_weight_sum(w, &p->geometry, p->filter_depth, window);
    }
    return acc;
}

/* Filters of at most this many weights per output channel take the patch path. */
#define CONV_S8_PATCH_MAX 256

/* n bytes from src to dst, four at a time while it can. */
static inline void conv_s8_copy(int8_t *dst, const int8_t *src, int32_t n)
{
    for (; n >= 4; n -= 4, dst += 4, src += 4) {
        const int32_t word = mcu_read_s8x4(src);
        memcpy(dst, &word, sizeof word);
    }
    for (; n > 0; --n) {
        *dst++ = *src++;
    }
}

/* n copies of the byte in every byte of `fill` at dst, four at a time while it can. */
static inline void conv_s8_fill(int8_t *dst, int32_t fill, int32_t n)
{
    for (; n >= 4; n -= 4, dst += 4) {
        memcpy(dst, &fill, sizeof fill);
    }
    for (; n > 0; --n) {
        *dst++ = (int8_t)fill;
    }
}

/* The patch of the output pixel whose first tap reads input (in_y0, in_x0): its taps' `depth`
 * input channels from x (the image + the group's first input channel) in the filter's order,
 * the taps outside the image as the input zero point (in every byte of `pad`), whose products
 * take the folded bias's share of those taps back out. */
static void conv_s8_gather(const mcu_conv_geometry_t *g, int32_t depth, const int8_t *x, int32_t in_y0, int32_t in_x0,
                           int32_t pad, int8_t *patch)
{
    const int32_t row = g->filter_width * depth;
    int32_t fy0, fy1, fx0, fx1, fy, fx;
    mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);
    mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);
    for (fy = 0; fy < g->filter_height; ++fy, patch += row) {
        const int8_t *x_tap;
        if (fy < fy0 || fy >= fy1 || fx0 == fx1) {
            conv_s8_fill(patch, pad, row);
            continue;
        }
        x_tap = x + ((in_y0 + fy * g->dilation_height) * g->input_width + in_x0 + fx0 * g->dilation_width)
                        * g->input_depth;
        conv_s8_fill(patch, pad, fx0 * depth);
        if (g->dilation_width == 1 && depth == g->input_depth) {
            conv_s8_copy(patch + fx0 * depth, x_tap, (fx1 - fx0) * depth);
        } else {
            for (fx = fx0; fx < fx1; ++fx, x_tap += g->dilation_width * g->input_depth) {
                conv_s8_copy(patch + fx * depth, x_tap, depth);
            }
        }
        conv_s8_fill(patch + fx1 * depth, pad, (g->filter_width - fx1) * depth);
    }
}

/* Small filters: two output pixels' patches by two output channels at a time, each pair of
 * channels one run of SMLADs over the whole filter, no window clipped. */
static void conv_s8_patches(const mcu_conv_s8_params_t *p)
{
    const mcu_conv_geometry_t *const g = &p->geometry;
    const int32_t depth = p->filter_depth;
    const int32_t filter_step = g->filter_height * g->filter_width * depth;
    const int32_t pad = (int32_t)((uint32_t)(uint8_t)-p->input_offset * 0x01010101u);
    int8_t patch0[CONV_S8_PATCH_MAX], patch1[CONV_S8_PATCH_MAX];
    int8_t *out = p->output;
    int32_t b, oy, ox, group_start, oc;
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p->input + b * g->input_height * g->input_width * g->input_depth;
        for (oy = 0; oy < g->output_height; ++oy) {
            const int32_t in_y0 = oy * g->stride_height - g->pad_top;
            for (ox = 0; ox < g->output_width; ox += 2) {
                const int32_t in_x0 = ox * g->stride_width - g->pad_left;
                const int pixels = ox + 1 < g->output_width ? 2 : 1;
                const int8_t *x = image;
                for (group_start = 0; group_start < g->output_depth; group_start += p->group_output_depth, x += depth) {
                    const int32_t group_end = group_start + p->group_output_depth;
                    conv_s8_gather(g, depth, x, in_y0, in_x0, pad, patch0);
                    if (pixels == 2) {
                        conv_s8_gather(g, depth, x, in_y0, in_x0 + g->stride_width, pad, patch1);
                    }
                    for (oc = group_start; oc < group_end; oc += 2) {
                        const int8_t *w0 = p->filter + oc * filter_step;
                        const int8_t *w1 = oc + 1 < group_end ? w0 + filter_step : w0; /* else a repeat */
                        uint32_t acc[4] = {0u, 0u, 0u, 0u}; /* pixel 0 x (w0, w1), pixel 1 x (w0, w1) */
                        mcu_dot_s8_2x2(patch0, pixels == 2 ? patch1 : patch0, w0, w1, filter_step, acc);
                        out[oc] = conv_s8_result(p, oc, acc[0]);
                        if (w1 != w0) {
                            out[oc + 1] = conv_s8_result(p, oc + 1, acc[1]);
                        }
                        if (pixels == 2) {
                            out[g->output_depth + oc] = conv_s8_result(p, oc, acc[2]);
                            if (w1 != w0) {
                                out[g->output_depth + oc + 1] = conv_s8_result(p, oc + 1, acc[3]);
                            }
                        }
                    }
                }
                out += pixels * g->output_depth;
            }
        }
    }
}

/* Two output pixels of a row (when their windows clip alike) by two output channels at a time on
 * SMLAD. A filter row's taps read one run of input when the filter spans every input channel
 * and the taps are adjacent (1x1 convolutions: one run per pixel), else one run per tap. */
void mcu_conv_s8(const void *params)
{
    const mcu_conv_s8_params_t p = *(const mcu_conv_s8_params_t *)params;
    const mcu_conv_geometry_t *const g = &p.geometry;
    const int32_t depth = p.filter_depth;
    const int32_t filter_step = g->filter_height * g->filter_width * depth;
    const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;
    const int32_t tap_step = g->dilation_width * g->input_depth;
    const int32_t pixel_step = g->stride_width * g->input_depth;
    const int contiguous = g->dilation_width == 1 && depth == g->input_depth;
    int32_t b, oy, ox, group_start, oc, fy, fx;
    if (filter_step <= CONV_S8_PATCH_MAX) {
        conv_s8_patches(&p);
        return;
    }
    for (b = 0; b < g->batches; ++b) {
        const int8_t *image = p.input + b * g->input_height * g->input_width * g->input_depth;
        for (oy = 0; oy < g->output_height; ++oy) {
            const int32_t in_y0 = oy * g->stride_height - g->pad_top;
            int32_t fy0, fy1, pixels;
            mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);
            for (ox = 0; ox < g->output_width; ox += pixels) {
                const int32_t in_x0 = ox * g->stride_width - g->pad_left;
                int8_t *out = p.output + ((b * g->output_height + oy) * g->output_width + ox) * g->output_depth;
                int32_t fx0, fx1, next0, next1;
                mcu_conv_window_t window;
                const int8_t *x;
                mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);
                window = mcu_conv_window(g, fy0, fy1, fx0, fx1);
                pixels = 1;
                if (ox + 1 < g->output_width) {
                    mcu_conv_tap_range(in_x0 + g->stride_width, g->input_width, g->filter_width, g->dilation_width,
                                       &next0, &next1);
                    pixels = next0 == fx0 && next1 == fx1 ? 2 : 1;
                }
                for (group_start = 0, x = image + mcu_conv_window_start(g, in_y0, in_x0, window);
                     group_start < g->output_depth; group_start += p.group_output_depth, x += depth) {
                    const int32_t group_end = group_start + p.group_output_depth;
                    for (oc = group_start; oc < group_end; oc += 2) {
                        const int8_t *w0 = p.filter + oc * filter_step;
                        const int8_t *w1 = oc + 1 < group_end ? w0 + filter_step : w0; /* else a repeat */
                        uint32_t acc[4] = {0u, 0u, 0u, 0u}; /* pixel 0 x (w0, w1), pixel 1 x (w0, w1) */
                        for (fy = fy0; fy < fy1 && fx0 < fx1; ++fy) {
                            const int8_t *x_row = x + (fy - fy0) * row_step;
                            const int32_t w_offset = (fy * g->filter_width + fx0) * depth;
                            const int8_t *x_next = pixels == 2 ? x_row + pixel_step : x_row; /* else a repeat */
                            if (contiguous) {
                                mcu_dot_s8_2x2(x_row, x_next, w0 + w_offset, w1 + w_offset, (fx1 - fx0) * depth, acc);
                                continue;
                            }
                            for (fx = 0; fx < fx1 - fx0; ++fx) {
                                const int32_t w_tap = w_offset + fx * depth;
                                mcu_dot_s8_2x2(x_row + fx * tap_step, x_next + fx * tap_step, w0 + w_tap, w1 + w_tap,
                                               depth, acc);
                            }
                        }
                        out[oc] = conv_s8_result(&p, oc, conv_s8_windowed(&p, w0, acc[0], window));
                        if (w1 != w0) {
                            out[oc + 1] = conv_s8_result(&p, oc + 1, conv_s8_windowed(&p, w1, acc[1], window));
                        }
                        if (pixels == 2) {
                            out[g->output_depth + oc] =
                                conv_s8_result(&p, oc, conv_s8_windowed(&p, w0, acc[2], window));
                            if (w1 != w0) {
                                out[g->output_depth + oc + 1] =
                                    conv_s8_result(&p, oc + 1, conv_s8_windowed(&p, w1, acc[3], window));
                            }
                        }
                    }
                }
            }
        }
    }
}

#else

MCU_DEFINE_CONV_2D(mcu_conv_s8, mcu_conv_s8_params_t, int8_t, int8_t, uint32_t, MCU_CONV_PRODUCT_S8, MCU_CONV_RESULT_S8)

#endif
