#include <string.h>

#include "mcu_kernels/shape.h"

void mcu_concatenation(const void *params)
{
    const mcu_concatenation_params_t *p = (const mcu_concatenation_params_t *)params;
    uint8_t *output = (uint8_t *)p->output;
    int32_t outer, i;
    for (outer = 0; outer < p->outer_size; ++outer) {
        for (i = 0; i < p->input_count; ++i) {
            const size_t bytes = (size_t)p->copy_bytes[i];
            if (p->inputs[i] != NULL) {
                memcpy(output, (const uint8_t *)p->inputs[i] + (size_t)outer * bytes, bytes);
            }
            output += bytes;
        }
    }
}
