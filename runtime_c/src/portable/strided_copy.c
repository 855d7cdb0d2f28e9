#include <string.h>

#include "mcu_kernels/shape.h"

/* count elements, `step` bytes apart in the input, to consecutive output bytes. Constant-size
 * memcpy compiles to plain loads and stores without assuming alignment. */
static uint8_t *copy_run(uint8_t *output, const uint8_t *input, int32_t count, int32_t step, size_t element)
{
    int32_t i;
    switch (element) {
    case 1:
        for (i = 0; i < count; ++i) {
            output[i] = input[i * step];
        }
        break;
    case 2:
        for (i = 0; i < count; ++i) {
            memcpy(output + 2 * i, input + i * step, 2);
        }
        break;
    case 4:
        for (i = 0; i < count; ++i) {
            memcpy(output + 4 * i, input + i * step, 4);
        }
        break;
    default:
        for (i = 0; i < count; ++i) {
            memcpy(output + (size_t)i * element, input + i * step, element);
        }
        break;
    }
    return output + (size_t)count * element;
}

void mcu_strided_copy(const void *params)
{
    const mcu_strided_copy_params_t *p = (const mcu_strided_copy_params_t *)params;
    const uint8_t *input = (const uint8_t *)p->input + p->start_offset;
    uint8_t *output = (uint8_t *)p->output;
    const int32_t *n = p->counts;
    const int32_t *s = p->steps;
    int32_t i0, i1, i2, i3;
    /* Offsets are only added to the input for elements that exist, so negative steps never form
     * a pointer outside the tensor. */
    for (i0 = 0; i0 < n[0]; ++i0) {
        for (i1 = 0; i1 < n[1]; ++i1) {
            for (i2 = 0; i2 < n[2]; ++i2) {
                for (i3 = 0; i3 < n[3]; ++i3) {
                    const int32_t offset = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3];
                    output = copy_run(output, input + offset, n[4], s[4], (size_t)p->element_bytes);
                }
            }
        }
    }
}
