#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_add_s16, mcu_add_sub_s16_params_t, int16_t, MCU_ADD_SUB_ROW(int16_t, +))
