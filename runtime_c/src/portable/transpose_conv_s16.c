#include "mcu_kernels/internal/transpose_conv_impl.h"

/* The bias where there is one, then the int64 sum requantised and clamped. */
static inline int16_t transpose_conv_s16_result(const mcu_transpose_conv_s16_params_t *p, int32_t oc, int64_t acc)
{
    if (p->bias != NULL) {
        acc += p->bias[oc];
    }
    return (int16_t)mcu_clamp_i32(mcu_multiply_by_quantized_multiplier_64(acc, p->multiplier[oc], p->shift[oc]),
                                  p->activation_min, p->activation_max);
}

MCU_DEFINE_TRANSPOSE_CONV(mcu_transpose_conv_s16, mcu_transpose_conv_s16_params_t, int16_t, int8_t, int64_t,
                          (int32_t)input * weight, transpose_conv_s16_result(&p, oc, acc))
