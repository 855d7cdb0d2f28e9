/* ADD, SUB, MUL, MAXIMUM, MINIMUM: output = op(input1, input2) with numpy broadcasting.
 *
 * The compiler collapses the broadcast into rows: the innermost run of output elements along
 * which each input either advances (step 1) or repeats one value (step 0), walked through at
 * most five outer dimensions with precomputed element strides (0 where an input is broadcast).
 * Same-shape operands and scalar operands are then a single row. Element i of each input is
 * read before element i of the output is written, so the output may overwrite a same-shape
 * input. */
#ifndef MCU_KERNELS_BINARY_H
#define MCU_KERNELS_BINARY_H

#include <stdint.h>

#define MCU_BINARY_MAX_OUTER 5

typedef struct {
    int32_t count; /* elements per row (the innermost collapsed output dimension) */
    int32_t step1; /* 1, or 0 when input 1 repeats one value along the row */
    int32_t step2;
    int32_t outer_rank; /* 0..MCU_BINARY_MAX_OUTER dimensions around the rows, outermost first */
    int32_t dims[MCU_BINARY_MAX_OUTER];
    int32_t strides1[MCU_BINARY_MAX_OUTER]; /* input 1 element strides, 0 where broadcast */
    int32_t strides2[MCU_BINARY_MAX_OUTER];
} mcu_binary_shape_t;

/* The element offsets of the current row's first element in each tensor. */
typedef struct {
    const mcu_binary_shape_t *shape;
    int32_t index[MCU_BINARY_MAX_OUTER];
    int32_t input1;
    int32_t input2;
    int32_t output;
} mcu_binary_rows_t;

/* Positions `rows` at the first row; mcu_binary_next_row moves on and returns 0 after the last. */
void mcu_binary_first_row(mcu_binary_rows_t *rows, const mcu_binary_shape_t *shape);
int mcu_binary_next_row(mcu_binary_rows_t *rows);

/* Quantised ADD/SUB: each input, offset and shifted left by `left_shift`, is rescaled to a
 * common unit; the sum or difference is rescaled to the output (TFLM's ArithmeticParams). */
typedef struct {
    int32_t offset; /* minus the zero point */
    int32_t multiplier;
    int32_t shift; /* <= 0 */
} mcu_binary_rescale_t;

typedef struct {
    mcu_binary_rescale_t input1;
    mcu_binary_rescale_t input2;
    int32_t left_shift;
    int32_t output_offset;
    int32_t output_multiplier;
    int32_t output_shift; /* <= 0 */
    int32_t activation_min;
    int32_t activation_max;
} mcu_add_sub_quant_t;

typedef struct {
    const int8_t *input1;
    const int8_t *input2;
    int8_t *output;
    mcu_binary_shape_t shape;
    mcu_add_sub_quant_t quant;
} mcu_add_sub_s8_params_t;

void mcu_add_s8(const void *params);
void mcu_sub_s8(const void *params);

typedef struct {
    const int16_t *input1;
    const int16_t *input2;
    int16_t *output;
    mcu_binary_shape_t shape;
    mcu_add_sub_quant_t quant;
} mcu_add_sub_s16_params_t;

void mcu_add_s16(const void *params);
void mcu_sub_s16(const void *params);

/* Quantised MUL: (input1 + offset1) * (input2 + offset2), requantised (the multiplier may
 * exceed 1: a positive shift wraps like TFLM's int32 left shift). */
typedef struct {
    int32_t input1_offset;
    int32_t input2_offset;
    int32_t output_offset;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_mul_quant_t;

typedef struct {
    const int8_t *input1;
    const int8_t *input2;
    int8_t *output;
    mcu_binary_shape_t shape;
    mcu_mul_quant_t quant;
} mcu_mul_s8_params_t;

void mcu_mul_s8(const void *params);

typedef struct {
    const int16_t *input1;
    const int16_t *input2;
    int16_t *output;
    mcu_binary_shape_t shape;
    mcu_mul_quant_t quant;
} mcu_mul_s16_params_t;

void mcu_mul_s16(const void *params);

/* int32 ADD/SUB/MUL: wrapping int32 arithmetic, then the fused activation's integer bounds. */
typedef struct {
    const int32_t *input1;
    const int32_t *input2;
    int32_t *output;
    mcu_binary_shape_t shape;
    int32_t activation_min;
    int32_t activation_max;
} mcu_arithmetic_s32_params_t;

void mcu_add_s32(const void *params);
void mcu_sub_s32(const void *params);
void mcu_mul_s32(const void *params);

/* float32 ADD/SUB/MUL: one rounding, then std::min(std::max(x, min), max) (NaN passes). */
typedef struct {
    const float *input1;
    const float *input2;
    float *output;
    mcu_binary_shape_t shape;
    float activation_min;
    float activation_max;
} mcu_arithmetic_f32_params_t;

void mcu_add_f32(const void *params);
void mcu_sub_f32(const void *params);
void mcu_mul_f32(const void *params);

/* MAXIMUM: input1 > input2 ? input1 : input2; MINIMUM: input1 < input2 ? input1 : input2, on the
 * raw stored values whatever the quantisation (float32: an unordered pair or two zeros yield
 * input 2). */
typedef struct {
    const float *input1;
    const float *input2;
    float *output;
    mcu_binary_shape_t shape;
} mcu_minmax_f32_params_t;

typedef struct {
    const int8_t *input1;
    const int8_t *input2;
    int8_t *output;
    mcu_binary_shape_t shape;
} mcu_minmax_s8_params_t;

typedef struct {
    const int16_t *input1;
    const int16_t *input2;
    int16_t *output;
    mcu_binary_shape_t shape;
} mcu_minmax_s16_params_t;

typedef struct {
    const int32_t *input1;
    const int32_t *input2;
    int32_t *output;
    mcu_binary_shape_t shape;
} mcu_minmax_s32_params_t;

typedef struct {
    const int64_t *input1;
    const int64_t *input2;
    int64_t *output;
    mcu_binary_shape_t shape;
} mcu_minmax_s64_params_t;

void mcu_maximum_f32(const void *params);
void mcu_maximum_s8(const void *params);
void mcu_maximum_s16(const void *params);
void mcu_maximum_s32(const void *params);
void mcu_maximum_s64(const void *params);
void mcu_minimum_f32(const void *params);
void mcu_minimum_s8(const void *params);
void mcu_minimum_s16(const void *params);
void mcu_minimum_s32(const void *params);
void mcu_minimum_s64(const void *params);

#endif /* MCU_KERNELS_BINARY_H */
