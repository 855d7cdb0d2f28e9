#include "mcu_kernels/internal/binary_impl.h"

MCU_DEFINE_BINARY_KERNEL(mcu_add_s8, mcu_add_sub_s8_params_t, int8_t, MCU_ADD_SUB_ROW(int8_t, +))
