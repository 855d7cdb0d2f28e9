#include "mcu_kernels/binary.h"

void mcu_mul_f32(const void *params)
{
    const mcu_arithmetic_f32_params_t *p = (const mcu_arithmetic_f32_params_t *)params;
    const float low = p->activation_min;
    const float high = p->activation_max;
    const int32_t count = p->shape.count;
    const int32_t step1 = p->shape.step1;
    const int32_t step2 = p->shape.step2;
    mcu_binary_rows_t rows;
    mcu_binary_first_row(&rows, &p->shape);
    do {
        const float *x = p->input1 + rows.input1;
        const float *y = p->input2 + rows.input2;
        float *out = p->output + rows.output;
        int32_t i;
        for (i = 0; i < count; ++i) {
            const float value = *x * *y;
            const float raised = value < low ? low : value;
            out[i] = high < raised ? high : raised;
            x += step1;
            y += step2;
        }
    } while (mcu_binary_next_row(&rows));
}
