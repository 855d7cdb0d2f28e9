#include "mcu_kernels/internal/transpose_conv_impl.h"

/* One rounding per multiply and per add (no FMA); the bias where there is one, then the clamp. */
MCU_DEFINE_TRANSPOSE_CONV(mcu_transpose_conv_f32, mcu_transpose_conv_f32_params_t, float, float, float,
                          input * weight,
                          mcu_clamp_f32(p.bias != NULL ? acc + p.bias[oc] : acc, p.activation_min, p.activation_max))
