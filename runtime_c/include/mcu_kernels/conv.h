/* CONV_2D and DEPTHWISE_CONV_2D on NHWC tensors, as TFLM's reference kernels compute them.
 *
 * Filters are TFLite's: CONV_2D [output_depth][filter_height][filter_width][filter_depth], where
 * output channel oc reads the input channels of its group, (oc / group_output_depth) * filter_depth
 * onwards; DEPTHWISE_CONV_2D [1][filter_height][filter_width][output_depth], where output channel
 * oc reads input channel oc / depth_multiplier. Taps that fall outside the image are skipped. */
#ifndef MCU_KERNELS_CONV_H
#define MCU_KERNELS_CONV_H

#include <stddef.h>
#include <stdint.h>

/* Sizes of the input, filter window and output, and where the window of output (0, 0) starts:
 * output (oy, ox) reads input rows oy * stride_height - pad_top + fy * dilation_height. */
typedef struct {
    int32_t batches;
    int32_t input_height;
    int32_t input_width;
    int32_t input_depth;
    int32_t filter_height;
    int32_t filter_width;
    int32_t output_height;
    int32_t output_width;
    int32_t output_depth;
    int32_t stride_height;
    int32_t stride_width;
    int32_t dilation_height;
    int32_t dilation_width;
    int32_t pad_top;
    int32_t pad_left;
} mcu_conv_geometry_t;

/* int8: `bias` holds bias + input_offset * (sum of the output channel's filter), wrapped to int32
 * like TFLM's sums, so the inner loops multiply raw inputs; where the window is clipped the kernel
 * takes the skipped taps' share back out. One multiplier and shift per output channel. */
typedef struct {
    const int8_t *input;
    const int8_t *filter;
    const int32_t *bias;
    int8_t *output;
    mcu_conv_geometry_t geometry;
    int32_t filter_depth;       /* input channels per group */
    int32_t group_output_depth; /* output channels per group */
    int32_t input_offset;
    int32_t output_offset;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_conv_s8_params_t;

void mcu_conv_s8(const void *params);

typedef struct {
    const int8_t *input;
    const int8_t *filter;
    const int32_t *bias; /* folded like mcu_conv_s8's */
    int8_t *output;
    mcu_conv_geometry_t geometry;
    int32_t depth_multiplier;
    int32_t input_offset;
    int32_t output_offset;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_depthwise_conv_s8_params_t;

void mcu_depthwise_conv_s8(const void *params);

/* 16x8: int16 activations, int8 filters, zero points ignored (TFLM assumes them 0). The bias
 * (widened to int64) is added to the int64 sum, which is requantised from int64; or, for CONV_2D
 * with an int32 bias, both wrap to TFLM's int32 accumulator, which is requantised from int32. */
typedef struct {
    const int16_t *input;
    const int8_t *filter;
    const int64_t *bias; /* zeros when the model has none */
    int16_t *output;
    mcu_conv_geometry_t geometry;
    int32_t filter_depth;
    int32_t group_output_depth;
    int32_t int64_accumulator;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_conv_s16_params_t;

void mcu_conv_s16(const void *params);

typedef struct {
    const int16_t *input;
    const int8_t *filter;
    const int64_t *bias; /* zeros when the model has none */
    int16_t *output;
    mcu_conv_geometry_t geometry;
    int32_t depth_multiplier;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_depthwise_conv_s16_params_t;

void mcu_depthwise_conv_s16(const void *params);

/* float32: per output, products added in TFLM's order (filter row, filter column, input channel)
 * with one rounding per multiply and per add (no FMA), then the bias, then the clamp. */
typedef struct {
    const float *input;
    const float *filter;
    const float *bias; /* NULL when absent */
    float *output;
    mcu_conv_geometry_t geometry;
    int32_t filter_depth;
    int32_t group_output_depth;
    float activation_min;
    float activation_max;
} mcu_conv_f32_params_t;

void mcu_conv_f32(const void *params);

typedef struct {
    const float *input;
    const float *filter;
    const float *bias; /* NULL when absent */
    float *output;
    mcu_conv_geometry_t geometry;
    int32_t depth_multiplier;
    float activation_min;
    float activation_max;
} mcu_depthwise_conv_f32_params_t;

void mcu_depthwise_conv_f32(const void *params);

#endif /* MCU_KERNELS_CONV_H */
