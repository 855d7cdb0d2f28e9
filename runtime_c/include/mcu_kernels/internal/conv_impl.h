/* The shared body of the CONV_2D and DEPTHWISE_CONV_2D kernels (conv.h). Each kernel's .c file
 * instantiates MCU_DEFINE_CONV_2D or MCU_DEFINE_DEPTHWISE_CONV_2D once, so that a model links only
 * the variants it uses. */
#ifndef MCU_KERNELS_INTERNAL_CONV_IMPL_H
#define MCU_KERNELS_INTERNAL_CONV_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/conv.h"
#include "mcu_kernels/internal/clamp_f32.h"

/* The filter taps [fy0, fy1) x [fx0, fx1) of one output pixel whose input lies inside the image. */
typedef struct {
    int32_t fy0, fy1;
    int32_t fx0, fx1;
    int clipped; /* some taps fall outside the image */
} mcu_conv_window_t;

/* The window of the tap ranges [fy0, fy1) and [fx0, fx1) from mcu_conv_tap_range. */
static inline mcu_conv_window_t mcu_conv_window(const mcu_conv_geometry_t *g, int32_t fy0, int32_t fy1, int32_t fx0,
                                                int32_t fx1)
{
    mcu_conv_window_t window;
    window.fy0 = fy0;
    window.fy1 = fy1;
    window.fx0 = fx0;
    window.fx1 = fx1;
    window.clipped = fy0 != 0 || fy1 != g->filter_height || fx0 != 0 || fx1 != g->filter_width;
    return window;
}

/* The filter taps [*first, *end) of one axis whose input index start + tap * dilation lies in
 * [0, size): a window clipped to the image. */
static inline void mcu_conv_tap_range(int32_t start, int32_t size, int32_t taps, int32_t dilation,
                                      int32_t *first, int32_t *end)
{
    const int32_t room = size - start; /* taps t with t * dilation < room are inside */
    int32_t low, high;
    if (dilation == 1) { /* no division: Cortex-M0 has no divide instruction */
        low = start >= 0 ? 0 : -start;
        high = room <= 0 ? 0 : room;
    } else {
        low = start >= 0 ? 0 : (dilation - 1 - start) / dilation;
        high = room <= 0 ? 0 : (room + dilation - 1) / dilation;
    }
    if (high > taps) {
        high = taps;
    }
    *first = low < high ? low : high;
    *end = high;
}

/* Where, within one image, the clipped window's first tap (fy0, fx0) reads: the index of its input
 * pixel times input_depth; 0 for an empty window, so that no pointer is formed outside the image. */
static inline int32_t mcu_conv_window_start(const mcu_conv_geometry_t *g, int32_t in_y0, int32_t in_x0,
                                            mcu_conv_window_t window)
{
    if (window.fy0 == window.fy1 || window.fx0 == window.fx1) {
        return 0;
    }
    return ((in_y0 + window.fy0 * g->dilation_height) * g->input_width + in_x0 + window.fx0 * g->dilation_width)
           * g->input_depth;
}

/* The weights of one output channel at the taps outside the clipped window, summed with wrapping:
 * tap (fy, fx) starts at w[(fy * filter_width + fx) * tap_stride] and has `depth` consecutive weights. */
static inline uint32_t mcu_conv_outside_weight_sum(const int8_t *w, const mcu_conv_geometry_t *g, int32_t tap_stride,
                                                   int32_t depth, mcu_conv_window_t window)
{
    uint32_t sum = 0;
    int32_t fy, fx, d;
    for (fy = 0; fy < g->filter_height; ++fy) {
        const int row_inside = fy >= window.fy0 && fy < window.fy1;
        for (fx = 0; fx < g->filter_width; ++fx) {
            const int8_t *tap = w + (fy * g->filter_width + fx) * tap_stride;
            if (row_inside && fx >= window.fx0 && fx < window.fx1) {
                continue;
            }
            for (d = 0; d < depth; ++d) {
                sum += (uint32_t)(int32_t)tap[d];
            }
        }
    }
    return sum;
}

/* Defines `void name(const void *params)` for either operator: output channel oc belongs to group
 * oc / group_output_depth, which reads the `depth` input channels from group * depth on; the
 * weight of tap (fy, fx) and input channel d is w[(fy * filter_width + fx) * tap_stride + d], with
 * w = filter + oc * channel_stride (depth, group_output_depth, channel_stride and tap_stride being
 * expressions of p and g). For each output, in NHWC order, `acc += product` sums the taps inside
 * the image from 0 in TFLM's order (filter row, filter column, input channel), then
 * `*out++ = result`:
 *   product  an expression of `input` (a `type`) and `weight` (a `filter_type`);
 *   result   an expression of acc (an `acc_type`), oc, w, window (the mcu_conv_window_t), p, g,
 *            tap_stride and depth,
 * p being a local copy of the parameters (output stores cannot alias it) and g its geometry. */
#define MCU_DEFINE_CONV_KERNEL(name, params_type, type, filter_type, acc_type, group_depth, group_outputs,          \
                               channel_stride, tap_stride_value, product, result)                                   \
    void name(const void *params)                                                                                   \
    {                                                                                                               \
        const params_type p = *(const params_type *)params;                                                         \
        const mcu_conv_geometry_t *const g = &p.geometry;                                                           \
        const int32_t depth = (group_depth);                                                                        \
        const int32_t group_output_depth = (group_outputs);                                                         \
        const int32_t filter_step = (channel_stride);                                                               \
        const int32_t tap_stride = (tap_stride_value);                                                              \
        const int32_t row_step = g->dilation_height * g->input_width * g->input_depth;                              \
        const int32_t tap_step = g->dilation_width * g->input_depth;                                                \
        type *out = p.output;                                                                                       \
        int32_t b, oy, ox, group_start, oc, fy, fx, d;                                                              \
        for (b = 0; b < g->batches; ++b) {                                                                          \
            const type *image = p.input + b * g->input_height * g->input_width * g->input_depth;                    \
            for (oy = 0; oy < g->output_height; ++oy) {                                                             \
                const int32_t in_y0 = oy * g->stride_height - g->pad_top;                                           \
                int32_t fy0, fy1;                                                                                   \
                mcu_conv_tap_range(in_y0, g->input_height, g->filter_height, g->dilation_height, &fy0, &fy1);       \
                for (ox = 0; ox < g->output_width; ++ox) {                                                          \
                    const int32_t in_x0 = ox * g->stride_width - g->pad_left;                                       \
                    int32_t fx0, fx1;                                                                               \
                    mcu_conv_window_t window;                                                                       \
                    const type *x;                                                                                  \
                    mcu_conv_tap_range(in_x0, g->input_width, g->filter_width, g->dilation_width, &fx0, &fx1);      \
                    window = mcu_conv_window(g, fy0, fy1, fx0, fx1);                                                \
                    /* Each group of output channels reads the next `depth` input channels. */                      \
                    for (group_start = 0, x = image + mcu_conv_window_start(g, in_y0, in_x0, window);               \
                         group_start < g->output_depth; group_start += group_output_depth, x += depth) {            \
                        for (oc = group_start; oc < group_start + group_output_depth; ++oc) {                       \
                            const filter_type *w = p.filter + oc * filter_step;                                     \
                            acc_type acc = 0;                                                                       \
                            for (fy = fy0; fy < fy1; ++fy) {                                                        \
                                const type *x_row = x + (fy - fy0) * row_step;                                      \
                                const filter_type *w_row = w + fy * g->filter_width * tap_stride;                   \
                                for (fx = fx0; fx < fx1; ++fx) {                                                    \
                                    const type *x_tap = x_row + (fx - fx0) * tap_step;                              \
                                    const filter_type *w_tap = w_row + fx * tap_stride;                             \
                                    for (d = 0; d < depth; ++d) {                                                   \
                                        const type input = x_tap[d];                                                \
                                        const filter_type weight = w_tap[d];                                        \
                                        acc += product;                                                             \
                                    }                                                                               \
                                }                                                                                   \
                            }                                                                                       \
                            *out++ = result;                                                                        \
                        }                                                                                           \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

/* CONV_2D: filter [output_depth][filter_height][filter_width][filter_depth]. */
#define MCU_DEFINE_CONV_2D(name, params_type, type, filter_type, acc_type, product, result)                         \
    MCU_DEFINE_CONV_KERNEL(name, params_type, type, filter_type, acc_type, p.filter_depth, p.group_output_depth,    \
                           g->filter_height * g->filter_width * p.filter_depth, p.filter_depth, product, result)

/* DEPTHWISE_CONV_2D: filter [1][filter_height][filter_width][output_depth]; every input channel
 * is a group of depth_multiplier output channels (the constant depth 1 leaves no channel loop). */
#define MCU_DEFINE_DEPTHWISE_CONV_2D(name, params_type, type, filter_type, acc_type, product, result)               \
    MCU_DEFINE_CONV_KERNEL(name, params_type, type, filter_type, acc_type, 1, p.depth_multiplier, 1,                \
                           g->output_depth, product, result)

/* The products and results of each type, for the macros above. */

/* float32: one rounding per multiply and per add (no FMA); the bias (or +0.0), then the clamp. */
#define MCU_CONV_PRODUCT_F32 (input * weight)
#define MCU_CONV_RESULT_F32                                                                                         \
    mcu_clamp_f32(acc + (p.bias != NULL ? p.bias[oc] : 0.0f), p.activation_min, p.activation_max)

/* int8: unsigned sums wrap exactly like TFLM's int32 accumulator, without undefined behaviour.
 * The bias holds the input offset folded over the whole filter; a clipped window takes the
 * skipped taps' share back out. */
#define MCU_CONV_PRODUCT_S8 ((uint32_t)((int32_t)input * (int32_t)weight))
/* The share of the folded input offset that belongs to the taps a clipped window skips. */
#define MCU_CONV_SKIPPED_OFFSET_S8                                                                                  \
    (window.clipped && p.input_offset != 0                                                                          \
         ? (uint32_t)p.input_offset * mcu_conv_outside_weight_sum(w, g, tap_stride, depth, window)                  \
         : 0u)
#define MCU_CONV_RESULT_S8                                                                                          \
    (int8_t)mcu_requantize_output((int32_t)(acc + (uint32_t)p.bias[oc] - MCU_CONV_SKIPPED_OFFSET_S8),               \
                                  p.multiplier[oc], p.shift[oc], p.output_offset, p.activation_min,                 \
                                  p.activation_max)

/* 16x8: int16 * int8 products, of which no int64 sum can overflow. */
#define MCU_CONV_PRODUCT_S16 ((int32_t)input * (int32_t)weight)

/* The 16x8 result from an int64 sum: the bias added (unsigned, so an extreme bias wraps as in TFLM
 * instead of being undefined), requantised from int64 and clamped. */
static inline int16_t mcu_conv_s16_result_64(int64_t sum, int64_t bias, int32_t multiplier, int32_t shift,
                                             int32_t activation_min, int32_t activation_max)
{
    const int64_t acc = (int64_t)((uint64_t)sum + (uint64_t)bias);
    return (int16_t)mcu_clamp_i32(mcu_multiply_by_quantized_multiplier_64(acc, multiplier, shift), activation_min,
                                  activation_max);
}

#endif /* MCU_KERNELS_INTERNAL_CONV_IMPL_H */
