/* AVERAGE_POOL_2D and MAX_POOL_2D on NHWC tensors, as TFLM's reference kernels compute them.
 *
 * Each window is clipped to the input: padded cells are skipped, and an average divides by the
 * number of cells under the clipped window (never zero for SAME or VALID geometry). */
#ifndef MCU_KERNELS_POOLING_H
#define MCU_KERNELS_POOLING_H

#include <stdint.h>

typedef struct {
    int32_t batches;
    int32_t input_height;
    int32_t input_width;
    int32_t channels;
    int32_t output_height;
    int32_t output_width;
    int32_t filter_height;
    int32_t filter_width;
    int32_t stride_height;
    int32_t stride_width;
    int32_t pad_height; /* top padding */
    int32_t pad_width;  /* left padding */
} mcu_pool_geometry_t;

/* int8 and int16: the output keeps the input's quantisation, so only the fused activation
 * clamps. Averages round half away from zero. */
typedef struct {
    const int8_t *input;
    int8_t *output;
    mcu_pool_geometry_t geometry;
    int32_t activation_min;
    int32_t activation_max;
} mcu_pool_s8_params_t;

void mcu_avg_pool_s8(const void *params);
void mcu_max_pool_s8(const void *params);

typedef struct {
    const int16_t *input;
    int16_t *output;
    mcu_pool_geometry_t geometry;
    int32_t activation_min;
    int32_t activation_max;
} mcu_pool_s16_params_t;

void mcu_avg_pool_s16(const void *params);
void mcu_max_pool_s16(const void *params);

/* float32: averages sum in filter-row-then-column order from +0.0 and divide by the float
 * count; maxima and clamps compare like std::max / std::min (NaN and signed zeros included). */
typedef struct {
    const float *input;
    float *output;
    mcu_pool_geometry_t geometry;
    float activation_min;
    float activation_max;
} mcu_pool_f32_params_t;

void mcu_avg_pool_f32(const void *params);
void mcu_max_pool_f32(const void *params);

#endif /* MCU_KERNELS_POOLING_H */
