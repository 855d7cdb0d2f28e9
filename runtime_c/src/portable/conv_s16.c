#include "mcu_kernels/internal/conv_impl.h"

/* The bias added to the int64 sum, requantised from int64; or, with TFLM's int32 accumulator,
 * the sum and the bias wrapped to 32 bits and requantised from int32. */
static inline int16_t conv_s16_result(const mcu_conv_s16_params_t *p, int32_t oc, int64_t sum)
{
    uint32_t acc;
    if (p->int64_accumulator) {
        return mcu_conv_s16_result_64(sum, p->bias[oc], p->multiplier[oc], p->shift[oc], p->activation_min,
                                      p->activation_max);
    }
    acc = (uint32_t)(uint64_t)sum + (uint32_t)(uint64_t)p->bias[oc];
    return (int16_t)mcu_clamp_i32(mcu_multiply_by_quantized_multiplier((int32_t)acc, p->multiplier[oc], p->shift[oc]),
                                  p->activation_min, p->activation_max);
}

MCU_DEFINE_CONV_2D(mcu_conv_s16, mcu_conv_s16_params_t, int16_t, int8_t, int64_t, MCU_CONV_PRODUCT_S16,
                   conv_s16_result(&p, oc, acc))
