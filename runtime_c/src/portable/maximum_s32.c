#include "mcu_kernels/binary.h"

void mcu_maximum_s32(const void *params)
{
    const mcu_minmax_s32_params_t *p = (const mcu_minmax_s32_params_t *)params;
    const int32_t count = p->shape.count;
    const int32_t step1 = p->shape.step1;
    const int32_t step2 = p->shape.step2;
    mcu_binary_rows_t rows;
    mcu_binary_first_row(&rows, &p->shape);
    do {
        const int32_t *x = p->input1 + rows.input1;
        const int32_t *y = p->input2 + rows.input2;
        int32_t *out = p->output + rows.output;
        int32_t i;
        for (i = 0; i < count; ++i) {
            out[i] = *x > *y ? *x : *y;
            x += step1;
            y += step2;
        }
    } while (mcu_binary_next_row(&rows));
}
