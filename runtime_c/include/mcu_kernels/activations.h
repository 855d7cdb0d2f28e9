/* Activations: SOFTMAX (over the last axis), LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH.
 *
 * Elementwise kernels read element i before writing element i, so the output may overwrite the
 * input. Integer kernels use no float: tables, multipliers and shifts are computed at compile time. */
#ifndef MCU_KERNELS_ACTIVATIONS_H
#define MCU_KERNELS_ACTIVATIONS_H

#include <stddef.h>
#include <stdint.h>

/* int8 -> int8 elementwise (every int8 activation but SOFTMAX): output = table[input + 128], the
 * table being the reference kernel's output for all 256 inputs. */
typedef struct {
    const int8_t *input;
    int8_t *output;
    int32_t size;
    const int8_t *table; /* 256 entries, for inputs -128 .. 127 */
} mcu_lut_s8_params_t;

void mcu_lut_s8(const void *params);

/* int16 RELU: clamp(requant(input - input_offset) + output_offset, activation_min, activation_max). */
typedef struct {
    const int16_t *input;
    int16_t *output;
    int32_t size;
    int32_t input_offset;
    int32_t output_offset;
    int32_t multiplier;
    int32_t shift;
    int32_t activation_min;
    int32_t activation_max;
} mcu_relu_s16_params_t;

void mcu_relu_s16(const void *params);

/* int16 RELU6: the input clamped to [zero, six], both on the input's scale (upper bound tested first). */
typedef struct {
    const int16_t *input;
    int16_t *output;
    int32_t size;
    int32_t zero;
    int32_t six;
} mcu_relu6_s16_params_t;

void mcu_relu6_s16(const void *params);

/* int16 LEAKY_RELU: the centred input requantised by the identity multiplier where it is >= 0,
 * else by |alpha| multiplier (negated afterwards when alpha < 0), plus output_offset, saturated. */
typedef struct {
    const int16_t *input;
    int16_t *output;
    int32_t size;
    int32_t input_offset;
    int32_t output_offset;
    int32_t identity_multiplier;
    int32_t identity_shift;
    int32_t alpha_multiplier; /* magnitude of TFLM's (possibly negative) alpha multiplier */
    int32_t alpha_shift;
    int32_t alpha_negate;
} mcu_leaky_relu_s16_params_t;

void mcu_leaky_relu_s16(const void *params);

/* int16 LOGISTIC and TANH (zero points 0, output scale 2^-15): the input is rescaled to the table's
 * step, (input * input_multiplier + rounding) >> input_right_shift, then TFLM's 256-entry
 * sigmoid table is interpolated (tanh(x) = 2 * sigmoid(2x) - 1). */
typedef struct {
    const int16_t *input;
    int16_t *output;
    int32_t size;
    int32_t input_multiplier;
    int32_t input_right_shift;
    const uint16_t *sigmoid_table; /* sigmoid(i / 24) in Q0.16, i = 0 .. 255 */
} mcu_logistic_tanh_s16_params_t;

void mcu_logistic_s16(const void *params);
void mcu_tanh_s16(const void *params);

/* int8 SOFTMAX to int8 (scale 1/256, zero point -128) or int16 (1/65536, -32768): exactly one of
 * output_s8 and output_s16 is set. exp_table[d] is gemmlowp's exp of the rescaled difference -d
 * from the row maximum in Q0.31, or 0 where -d is below TFLM's diff_min (such inputs give the
 * output minimum). The sum of a row wraps like TFLM's int32 sum.
 * Where TFLM cannot compute a row, every output of the row is the output minimum (probability 0,
 * the limit of TFLM's formula as its shift grows): int8 output with a (wrapped) row sum of 2^28 or
 * more (only possible with 512+ values per row; TFLM aborts there), or int16 output with a wrapped
 * sum below 16 (only possible with 8192+ values per row; TFLM shifts by a negative amount there). */
typedef struct {
    const int8_t *input;
    int8_t *output_s8;
    int16_t *output_s16;
    int32_t rows;
    int32_t depth;
    const int32_t *exp_table; /* 256 entries */
} mcu_softmax_s8_params_t;

void mcu_softmax_s8(const void *params);

/* int16 SOFTMAX (input zero point 0, output scale 1/32768): differences requantised onto [-10, 0]
 * and TFLM's interpolated 513-entry exp and 1/(1+x) tables. Uses the output as scratch. */
typedef struct {
    const int16_t *input;
    int16_t *output;
    int32_t rows;
    int32_t depth; /* at most 65538, so a row's sum of exponentials fits int32 */
    int32_t input_multiplier;
    int32_t input_shift;
    const int16_t *exp_table;
    const int16_t *one_over_one_plus_x_table;
} mcu_softmax_s16_params_t;

void mcu_softmax_s16(const void *params);

/* float32 RELU (lower 0, upper INFINITY) and RELU6 (lower 0, upper 6):
 * x > upper ? upper : (x < lower ? lower : x), so NaN and -0.0 pass through. */
typedef struct {
    const float *input;
    float *output;
    int32_t size;
    float lower;
    float upper;
} mcu_relu_f32_params_t;

void mcu_relu_f32(const void *params);

/* float32 LEAKY_RELU: x > 0 ? x : x * alpha. */
typedef struct {
    const float *input;
    float *output;
    int32_t size;
    float alpha;
} mcu_leaky_relu_f32_params_t;

void mcu_leaky_relu_f32(const void *params);

/* float32 kernels without parameters: HARD_SWISH x * min(6, max(0, x + 3)) / 6; LOGISTIC with
 * TFLM's cut-offs (1 above 16.619..., expf(x) below -9, else 1 / (1 + expf(-x))); TANH tanhf. */
typedef struct {
    const float *input;
    float *output;
    int32_t size;
} mcu_unary_f32_params_t;

void mcu_hard_swish_f32(const void *params);
void mcu_logistic_f32(const void *params);
void mcu_tanh_f32(const void *params);

/* float32 SOFTMAX: expf((x - row max) * beta), summed left to right, each divided by the sum. */
typedef struct {
    const float *input;
    float *output;
    int32_t rows;
    int32_t depth;
    float beta;
} mcu_softmax_f32_params_t;

void mcu_softmax_f32(const void *params);

#endif /* MCU_KERNELS_ACTIVATIONS_H */
