#include <string.h>

#include "mcu_kernels/shape.h"

/* count copies of the element at value: one copy, then doubling copies of what is written. */
static void fill(uint8_t *destination, const uint8_t *value, size_t element_bytes, size_t count)
{
    const size_t total = element_bytes * count;
    size_t done;
    if (total == 0) {
        return;
    }
    memcpy(destination, value, element_bytes);
    for (done = element_bytes; done < total; done += done) {
        memcpy(destination + done, destination, done < total - done ? done : total - done);
    }
}

static int inside(int32_t index, const mcu_pad_params_t *p, int axis)
{
    return index >= p->before[axis] && index < p->before[axis] + p->input_dims[axis];
}

void mcu_pad(const void *params)
{
    const mcu_pad_params_t *p = (const mcu_pad_params_t *)params;
    const size_t element = (size_t)p->element_bytes;
    const uint8_t *value = (const uint8_t *)p->pad_value;
    const uint8_t *input = (const uint8_t *)p->input;
    uint8_t *output = (uint8_t *)p->output;
    int32_t dims[MCU_PAD_RANK];
    int32_t i0, i1, i2, i3;
    int axis;
    for (axis = 0; axis < MCU_PAD_RANK; ++axis) {
        dims[axis] = p->before[axis] + p->input_dims[axis] + p->after[axis];
    }
    /* The output is written row by row (a row runs along the innermost axis). */
    for (i0 = 0; i0 < dims[0]; ++i0) {
        for (i1 = 0; i1 < dims[1]; ++i1) {
            for (i2 = 0; i2 < dims[2]; ++i2) {
                for (i3 = 0; i3 < dims[3]; ++i3) {
                    if (inside(i0, p, 0) && inside(i1, p, 1) && inside(i2, p, 2) && inside(i3, p, 3)) {
                        const size_t row = (size_t)p->input_dims[4] * element;
                        fill(output, value, element, (size_t)p->before[4]);
                        output += (size_t)p->before[4] * element;
                        memcpy(output, input, row);
                        output += row;
                        input += row;
                        fill(output, value, element, (size_t)p->after[4]);
                        output += (size_t)p->after[4] * element;
                    } else {
                        fill(output, value, element, (size_t)dims[4]);
                        output += (size_t)dims[4] * element;
                    }
                }
            }
        }
    }
}
