/* QUANTIZE and DEQUANTIZE, per tensor, exactly as TFLM computes them.
 *
 * Integer requantisation uses no float: an 8-bit input is looked up in a 256-entry table that
 * the compiler filled by running the reference kernel on every input byte; a 16- or 32-bit
 * input is requantised with the multiplier and shift lowered at compile time. */
#ifndef MCU_KERNELS_QUANTIZE_H
#define MCU_KERNELS_QUANTIZE_H

#include <stddef.h>
#include <stdint.h>

/* int8/uint8 -> any integer type: output[i] = table[(uint8_t)input[i]]. */
typedef struct {
    const uint8_t *input; /* the int8 or uint8 input's bytes */
    const void *table;    /* 256 entries of the output type */
    void *output;
    int32_t count;
    int32_t output_bytes; /* 1, 2 or 4 */
} mcu_quantize_table_params_t;

void mcu_quantize_table(const void *params);

/* int16/int32 -> int8/int16/int32: clamp(requant(x - input_zero_point) + output_zero_point),
 * with TFLM's 32-bit wrap-around in both additions. */
typedef struct {
    const void *input;
    void *output;
    int32_t count;
    int32_t input_bytes;  /* 2 or 4 */
    int32_t output_bytes; /* 1, 2 or 4 */
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int32_t shift; /* at most 31 */
    int32_t output_min;
    int32_t output_max;
} mcu_requantize_params_t;

void mcu_requantize(const void *params);

/* float32 -> int8/int16: clamp(round_half_away(x / scale) + zero_point), the division in
 * float32. A quotient outside int32 (or NaN) counts as INT32_MIN, as on the x86 oracle. */
typedef struct {
    const float *input;
    void *output;
    int32_t count;
    int32_t output_bytes; /* 1 or 2 */
    float scale;
    int32_t zero_point;
    int32_t output_min;
    int32_t output_max;
} mcu_quantize_f32_params_t;

void mcu_quantize_f32(const void *params);

/* int8/uint8/int16 -> float32: scale * (float)(q - zero_point), one float32 multiply. The
 * compiler guarantees |q - zero_point| <= 2^24, so the conversion is exact and the product is
 * rounded once, as TFLM's double product rounded to float32 is. */
#define MCU_DEQUANTIZE_S8 0
#define MCU_DEQUANTIZE_U8 1
#define MCU_DEQUANTIZE_S16 2

typedef struct {
    const void *input;
    float *output;
    int32_t count;
    int32_t input_type; /* MCU_DEQUANTIZE_S8, _U8 or _S16 */
    int32_t zero_point;
    float scale;
} mcu_dequantize_params_t;

void mcu_dequantize(const void *params);

#endif /* MCU_KERNELS_QUANTIZE_H */
