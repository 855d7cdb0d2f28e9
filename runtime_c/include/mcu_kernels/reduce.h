/* MEAN over any set of axes, as TFLM's reduce kernels compute it.
 *
 * The compiler describes the input as two row-major walks with strides in input elements: the
 * kept dimensions (one output per position, in output order) and the reduced ones (the cells
 * of one output, in the input's row-major order). Size-1 dimensions are dropped and adjacent
 * dimensions of the same kind merged, so a walk rarely has more than two dimensions; a walk
 * with nothing to iterate is {1, {1}, {0}}. */
#ifndef MCU_KERNELS_REDUCE_H
#define MCU_KERNELS_REDUCE_H

#include <stdint.h>

#define MCU_REDUCE_MAX_DIMS 4

typedef struct {
    int32_t rank; /* 1 .. MCU_REDUCE_MAX_DIMS */
    int32_t dims[MCU_REDUCE_MAX_DIMS];
    int32_t strides[MCU_REDUCE_MAX_DIMS];
} mcu_reduce_walk_t;

/* int8 and int16: cells summed in TFLM's wrapping int32 accumulator, which starts at
 * -input_zero_point * count (folded at compile time); 1/count is folded into the multiplier.
 * The result saturates to the output type. */
typedef struct {
    const int8_t *input;
    int8_t *output;
    mcu_reduce_walk_t kept;
    mcu_reduce_walk_t reduced;
    int32_t outputs;
    int32_t count; /* cells per output */
    int32_t sum_offset;
    int32_t multiplier;
    int32_t shift;
    int32_t output_zero_point;
} mcu_mean_s8_params_t;

void mcu_mean_s8(const void *params);

typedef struct {
    const int16_t *input;
    int16_t *output;
    mcu_reduce_walk_t kept;
    mcu_reduce_walk_t reduced;
    int32_t outputs;
    int32_t count;
    int32_t sum_offset;
    int32_t multiplier;
    int32_t shift;
    int32_t output_zero_point;
} mcu_mean_s16_params_t;

void mcu_mean_s16(const void *params);

/* float32: each output's cells summed in row-major order from +0.0, divided by the float count. */
typedef struct {
    const float *input;
    float *output;
    mcu_reduce_walk_t kept;
    mcu_reduce_walk_t reduced;
    int32_t outputs;
    int32_t count;
    float count_float;
} mcu_mean_f32_params_t;

void mcu_mean_f32(const void *params);

#endif /* MCU_KERNELS_REDUCE_H */
