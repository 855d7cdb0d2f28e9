#include <string.h>

#include "mcu_kernels/shape.h"

void mcu_split(const void *params)
{
    const mcu_split_params_t *p = (const mcu_split_params_t *)params;
    const uint8_t *input = (const uint8_t *)p->input;
    int32_t outer, i;
    for (outer = 0; outer < p->outer_size; ++outer) {
        for (i = 0; i < p->output_count; ++i) {
            const size_t bytes = (size_t)p->copy_bytes[i];
            memcpy((uint8_t *)p->outputs[i] + (size_t)outer * bytes, input, bytes);
            input += bytes;
        }
    }
}
