#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_mul_s16, mcu_mul_s16_params_t, int16_t,
                         MCU_BINARY_EACH((int16_t)mcu_mul_output(&p.quant, *x, *y)))
