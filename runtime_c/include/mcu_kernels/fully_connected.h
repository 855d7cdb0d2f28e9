/* FULLY_CONNECTED: output[b][o] = act(requant(sum_d input[b][d] * weights[o][d] + bias[o])). */
#ifndef MCU_KERNELS_FULLY_CONNECTED_H
#define MCU_KERNELS_FULLY_CONNECTED_H

#include <stddef.h>
#include <stdint.h>

/* int8: `bias` already holds bias + input_offset * sum_d(weights[o][d] + weights_offset), so the
 * inner loop multiplies raw inputs. Sums wrap like TFLM's int32 accumulator. */
typedef struct {
    const int8_t *input;
    const int8_t *weights;
    const int32_t *bias;
    int8_t *output;
    int32_t batches;
    int32_t output_depth;
    int32_t accum_depth;
    int32_t weights_offset;
    int32_t output_offset;
    const int32_t *multiplier; /* one per output channel, or one for all */
    const int32_t *shift;
    int32_t per_channel;
    int32_t activation_min;
    int32_t activation_max;
} mcu_fully_connected_s8_params_t;

void mcu_fully_connected_s8(const void *params);

/* 16x8: int16 input, int8 weights; an int64 accumulator and bias, or TFLM's wrapping int32 one. */
typedef struct {
    const int16_t *input;
    const int8_t *weights;
    const int64_t *bias; /* widened to int64 at compile time; NULL when absent */
    int16_t *output;
    int32_t batches;
    int32_t output_depth;
    int32_t accum_depth;
    int32_t input_offset;
    int32_t weights_offset;
    int32_t output_offset;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t per_channel;
    int32_t int64_accumulator;
    int32_t activation_min;
    int32_t activation_max;
} mcu_fully_connected_s16_params_t;

void mcu_fully_connected_s16(const void *params);

/* float32: summed in TFLM's order, one rounding per multiply and per add (no FMA). */
typedef struct {
    const float *input;
    const float *weights;
    const float *bias; /* NULL when absent */
    float *output;
    int32_t batches;
    int32_t output_depth;
    int32_t accum_depth;
    float activation_min;
    float activation_max;
} mcu_fully_connected_f32_params_t;

void mcu_fully_connected_f32(const void *params);

#endif /* MCU_KERNELS_FULLY_CONNECTED_H */
