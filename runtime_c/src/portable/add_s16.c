#include "mcu_kernels/binary.h"

void mcu_add_s16(const void *params)
{
    const mcu_add_sub_s16_params_t *p = (const mcu_add_sub_s16_params_t *)params;
    const mcu_add_sub_quant_t quant = p->quant; /* a local copy: output stores cannot alias it */
    const mcu_add_sub_quant_t *q = &quant;
    const int32_t count = p->shape.count;
    mcu_binary_rows_t rows;
    mcu_binary_first_row(&rows, &p->shape);
    do {
        const int16_t *x = p->input1 + rows.input1;
        const int16_t *y = p->input2 + rows.input2;
        int16_t *out = p->output + rows.output;
        int32_t i;
        if (p->shape.step2 == 0) { /* input 2 repeats one value: rescale it once */
            const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[0]);
            for (i = 0; i < count; ++i) {
                const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[i]);
                out[i] = (int16_t)mcu_add_sub_output(q, a + b);
            }
        } else if (p->shape.step1 == 0) {
            const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[0]);
            for (i = 0; i < count; ++i) {
                const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[i]);
                out[i] = (int16_t)mcu_add_sub_output(q, a + b);
            }
        } else {
            for (i = 0; i < count; ++i) {
                const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[i]);
                const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[i]);
                out[i] = (int16_t)mcu_add_sub_output(q, a + b);
            }
        }
    } while (mcu_binary_next_row(&rows));
}
