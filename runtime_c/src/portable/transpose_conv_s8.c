#include "mcu_kernels/internal/transpose_conv_impl.h"

/* Unsigned sums wrap exactly like TFLM's int32 scratch buffer, without undefined behaviour. */
MCU_DEFINE_TRANSPOSE_CONV(mcu_transpose_conv_s8, mcu_transpose_conv_s8_params_t, int8_t, int8_t, uint32_t,
                          (uint32_t)(((int32_t)input + p.input_offset) * weight),
                          (int8_t)mcu_requantize_output((int32_t)(p.bias != NULL ? acc + (uint32_t)p.bias[oc] : acc),
                                                        p.multiplier[oc], p.shift[oc], p.output_offset,
                                                        p.activation_min, p.activation_max))
