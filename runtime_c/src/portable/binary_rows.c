#include "mcu_kernels/binary.h"

void mcu_binary_first_row(mcu_binary_rows_t *rows, const mcu_binary_shape_t *shape)
{
    int32_t d;
    rows->shape = shape;
    for (d = 0; d < MCU_BINARY_MAX_OUTER; ++d) {
        rows->index[d] = 0;
    }
    rows->input1 = 0;
    rows->input2 = 0;
    rows->output = 0;
}

int mcu_binary_next_row(mcu_binary_rows_t *rows)
{
    const mcu_binary_shape_t *s = rows->shape;
    int32_t d;
    rows->output += s->count;
    for (d = s->outer_rank - 1; d >= 0; --d) {
        rows->input1 += s->strides1[d];
        rows->input2 += s->strides2[d];
        if (++rows->index[d] < s->dims[d]) {
            return 1;
        }
        /* Wrap this dimension back to its start and carry into the next outer one. */
        rows->index[d] = 0;
        rows->input1 -= s->strides1[d] * s->dims[d];
        rows->input2 -= s->strides2[d] * s->dims[d];
    }
    return 0;
}
