#include "mcu_kernels/quantize.h"

void mcu_dequantize(const void *params)
{
    const mcu_dequantize_params_t *p = (const mcu_dequantize_params_t *)params;
    int32_t i;
    switch (p->input_type) {
    case MCU_DEQUANTIZE_S8: {
        const int8_t *input = (const int8_t *)p->input;
        for (i = 0; i < p->count; ++i) {
            p->output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
        }
        break;
    }
    case MCU_DEQUANTIZE_U8: {
        const uint8_t *input = (const uint8_t *)p->input;
        for (i = 0; i < p->count; ++i) {
            p->output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
        }
        break;
    }
    default: {
        const int16_t *input = (const int16_t *)p->input;
        for (i = 0; i < p->count; ++i) {
            p->output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
        }
        break;
    }
    }
}
