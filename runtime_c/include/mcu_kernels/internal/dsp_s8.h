/* int8 multiply-accumulate on the DSP extension of ARMv7E-M and ARMv8-M (Cortex-M4, M7, M33, M55):
 * SXTB16 sign-extends bytes 0 and 2 (or, rotated, 1 and 3) of a word into two int16 halves and
 * SMLAD adds both halfword products to an accumulator, so one SMLAD does two int8 MACs. The
 * products are those of the portable loops, only summed in another order, and the sums wrap
 * modulo 2^32 like TFLM's int32 accumulator: the results are bit-identical. Include only where
 * __ARM_FEATURE_DSP is defined. */
#ifndef MCU_KERNELS_INTERNAL_DSP_S8_H
#define MCU_KERNELS_INTERNAL_DSP_S8_H

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

/* Four int8 values from any address, as one word (an unaligned LDR). */
static inline int32_t mcu_read_s8x4(const int8_t *p)
{
    int32_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

/* Bytes 1 and 3 of x sign-extended into two int16 halves. GCC does not fold a rotation into
 * SXTB16's operand (__sxtb16(__ror(x, 8)) costs two instructions), so this says it directly. */
static inline int32_t mcu_sxtb16_ror8(int32_t x)
{
    int32_t halves;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(halves) : "r"(x));
    return halves;
}

/* acc[2 * i + j] += sum over k < n of x_i[k] * w_j[k], for two input rows and two weight rows:
 * every word loaded and widened serves two of the four sums. */
static inline void mcu_dot_s8_2x2(const int8_t *x0, const int8_t *x1, const int8_t *w0, const int8_t *w1, int32_t n,
                                  uint32_t acc[4])
{
    int32_t a00 = (int32_t)acc[0], a01 = (int32_t)acc[1], a10 = (int32_t)acc[2], a11 = (int32_t)acc[3];
    int32_t k;
    for (k = 0; k + 4 <= n; k += 4) {
        const int32_t xa = mcu_read_s8x4(x0 + k), xb = mcu_read_s8x4(x1 + k);
        const int32_t wa = mcu_read_s8x4(w0 + k), wb = mcu_read_s8x4(w1 + k);
        int32_t xa2 = __sxtb16(xa), xb2 = __sxtb16(xb), wa2 = __sxtb16(wa), wb2 = __sxtb16(wb);
        a00 = __smlad(xa2, wa2, a00);
        a01 = __smlad(xa2, wb2, a01);
        a10 = __smlad(xb2, wa2, a10);
        a11 = __smlad(xb2, wb2, a11);
        xa2 = mcu_sxtb16_ror8(xa);
        xb2 = mcu_sxtb16_ror8(xb);
        wa2 = mcu_sxtb16_ror8(wa);
        wb2 = mcu_sxtb16_ror8(wb);
        a00 = __smlad(xa2, wa2, a00);
        a01 = __smlad(xa2, wb2, a01);
        a10 = __smlad(xb2, wa2, a10);
        a11 = __smlad(xb2, wb2, a11);
    }
    acc[0] = (uint32_t)a00;
    acc[1] = (uint32_t)a01;
    acc[2] = (uint32_t)a10;
    acc[3] = (uint32_t)a11;
    for (; k < n; ++k) {
        acc[0] += (uint32_t)((int32_t)x0[k] * w0[k]);
        acc[1] += (uint32_t)((int32_t)x0[k] * w1[k]);
        acc[2] += (uint32_t)((int32_t)x1[k] * w0[k]);
        acc[3] += (uint32_t)((int32_t)x1[k] * w1[k]);
    }
}

/* acc[j] += sum over k < n of x[k] * w_j[k], for one input row and two weight rows. */
static inline void mcu_dot_s8_1x2(const int8_t *x, const int8_t *w0, const int8_t *w1, int32_t n, uint32_t acc[2])
{
    int32_t a0 = (int32_t)acc[0], a1 = (int32_t)acc[1];
    int32_t k;
    for (k = 0; k + 4 <= n; k += 4) {
        const int32_t xw = mcu_read_s8x4(x + k), wa = mcu_read_s8x4(w0 + k), wb = mcu_read_s8x4(w1 + k);
        const int32_t x_even = __sxtb16(xw), x_odd = mcu_sxtb16_ror8(xw);
        a0 = __smlad(x_even, __sxtb16(wa), a0);
        a1 = __smlad(x_even, __sxtb16(wb), a1);
        a0 = __smlad(x_odd, mcu_sxtb16_ror8(wa), a0);
        a1 = __smlad(x_odd, mcu_sxtb16_ror8(wb), a1);
    }
    acc[0] = (uint32_t)a0;
    acc[1] = (uint32_t)a1;
    for (; k < n; ++k) {
        acc[0] += (uint32_t)((int32_t)x[k] * w0[k]);
        acc[1] += (uint32_t)((int32_t)x[k] * w1[k]);
    }
}

#endif /* MCU_KERNELS_INTERNAL_DSP_S8_H */
