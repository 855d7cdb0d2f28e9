#include "mcu_kernels/quantize.h"

void mcu_quantize_table(const void *params)
{
    const mcu_quantize_table_params_t *p = (const mcu_quantize_table_params_t *)params;
    int32_t i;
    /* Each element is read before it is written, so the output may overwrite the input. */
    switch (p->output_bytes) {
    case 1: {
        const uint8_t *table = (const uint8_t *)p->table;
        uint8_t *output = (uint8_t *)p->output;
        for (i = 0; i < p->count; ++i) {
            output[i] = table[p->input[i]];
        }
        break;
    }
    case 2: {
        const int16_t *table = (const int16_t *)p->table;
        int16_t *output = (int16_t *)p->output;
        for (i = 0; i < p->count; ++i) {
            output[i] = table[p->input[i]];
        }
        break;
    }
    default: {
        const int32_t *table = (const int32_t *)p->table;
        int32_t *output = (int32_t *)p->output;
        for (i = 0; i < p->count; ++i) {
            output[i] = table[p->input[i]];
        }
        break;
    }
    }
}
