#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_mul_s8, mcu_mul_s8_params_t, int8_t,
                         MCU_BINARY_EACH((int8_t)mcu_mul_output(&p.quant, *x, *y)))
