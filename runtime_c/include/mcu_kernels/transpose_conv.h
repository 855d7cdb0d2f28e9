/* TRANSPOSE_CONV on NHWC tensors with [out_channels][filter_h][filter_w][in_channels] weights.
 *
 * TFLM scatters every input pixel into the outputs its window covers. These kernels gather
 * instead, so they need no scratch buffer: each output element sums the input pixels and taps
 * that hit it in increasing (input row, input column, input channel) order, the order in which
 * TFLM's scatter reaches it, then adds the bias and requantises. */
#ifndef MCU_KERNELS_TRANSPOSE_CONV_H
#define MCU_KERNELS_TRANSPOSE_CONV_H

#include <stdint.h>

typedef struct {
    int32_t batches;
    int32_t input_height;
    int32_t input_width;
    int32_t input_channels;
    int32_t filter_height;
    int32_t filter_width;
    int32_t output_height;
    int32_t output_width;
    int32_t output_channels;
    int32_t stride_height;
    int32_t stride_width;
    int32_t pad_height; /* top padding */
    int32_t pad_width;  /* left padding */
} mcu_transpose_conv_geometry_t;

/* int8, per-channel weights: sum (input + input_offset) * weight in TFLM's wrapping int32
 * accumulator, add the bias, requantise, add output_offset and clamp. */
typedef struct {
    const int8_t *input;
    const int8_t *weights;
    const int32_t *bias; /* NULL when absent */
    int8_t *output;
    mcu_transpose_conv_geometry_t geometry;
    int32_t input_offset;
    int32_t output_offset;
    const int32_t *multiplier; /* one per output channel */
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_transpose_conv_s8_params_t;

void mcu_transpose_conv_s8(const void *params);

/* 16x8: int16 input, int8 weights, an int64 accumulator and bias; zero points are not applied. */
typedef struct {
    const int16_t *input;
    const int8_t *weights;
    const int64_t *bias; /* NULL when absent */
    int16_t *output;
    mcu_transpose_conv_geometry_t geometry;
    const int32_t *multiplier; /* one per output channel */
    const int32_t *shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_transpose_conv_s16_params_t;

void mcu_transpose_conv_s16(const void *params);

/* float32: one rounding per multiply and per add (no FMA), in TFLM's scatter order. */
typedef struct {
    const float *input;
    const float *weights;
    const float *bias; /* NULL when absent */
    float *output;
    mcu_transpose_conv_geometry_t geometry;
    float activation_min;
    float activation_max;
} mcu_transpose_conv_f32_params_t;

void mcu_transpose_conv_f32(const void *params);

#endif /* MCU_KERNELS_TRANSPOSE_CONV_H */
