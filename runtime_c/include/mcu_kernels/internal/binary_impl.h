/* The shared body of the binary kernels (binary.h). Each kernel's .c file instantiates
 * MCU_DEFINE_BINARY_KERNEL once, so that a model links only the variants it uses. */
#ifndef MCU_KERNELS_INTERNAL_BINARY_IMPL_H
#define MCU_KERNELS_INTERNAL_BINARY_IMPL_H

#include <stdint.h>

#include "mcu_fixedpoint.h"
#include "mcu_kernels/binary.h"
#include "mcu_kernels/internal/clamp_f32.h"

/* Defines `void name(const void *params)`: walks the rows of the broadcast output and runs the
 * statement `row` (one of the row macros below) for each, with in scope
 *   p          a local copy of the parameters (a params_type), which output stores cannot alias;
 *   x, y, out  the row's first elements of input1, input2 and output, arrays of `type`.
 * The walk itself reads the shape in place, so that p's address never escapes. */
#define MCU_DEFINE_BINARY_KERNEL(name, params_type, type, row)                                                      \
    void name(const void *params)                                                                                   \
    {                                                                                                               \
        const params_type p = *(const params_type *)params;                                                         \
        mcu_binary_rows_t rows;                                                                                     \
        mcu_binary_first_row(&rows, &((const params_type *)params)->shape);                                         \
        do {                                                                                                        \
            const type *x = p.input1 + rows.input1;                                                                 \
            const type *y = p.input2 + rows.input2;                                                                 \
            type *out = p.output + rows.output;                                                                     \
            row                                                                                                     \
        } while (mcu_binary_next_row(&rows));                                                                       \
    }

/* Row: out[i] = value for each element, `value` being an expression of *x and *y (the current
 * elements, each input stepping by its step: 0 where it repeats one value) and p. */
#define MCU_BINARY_EACH(value)                                                                                      \
    {                                                                                                               \
        int32_t i;                                                                                                  \
        for (i = 0; i < p.shape.count; ++i) {                                                                       \
            out[i] = value;                                                                                         \
            x += p.shape.step1;                                                                                     \
            y += p.shape.step2;                                                                                     \
        }                                                                                                           \
    }

/* Zero points within the type's range keep (x + offset) << left_shift inside int32. */
static inline int32_t mcu_add_sub_rescale(const mcu_binary_rescale_t *r, int32_t left_shift, int32_t x)
{
    return mcu_multiply_by_quantized_multiplier((x + r->offset) * ((int32_t)1 << left_shift), r->multiplier,
                                                r->shift);
}

/* Both rescaled inputs are at most half of int32's range, so their sum or difference fits. */
static inline int32_t mcu_add_sub_output(const mcu_add_sub_quant_t *q, int32_t accumulator)
{
    return mcu_requantize_output(accumulator, q->output_multiplier, q->output_shift, q->output_offset,
                                 q->activation_min, q->activation_max);
}

/* Row of quantised ADD or SUB (`operator` + or -) on `type` elements: a repeated input is
 * rescaled once per row. */
#define MCU_ADD_SUB_ROW(type, operator)                                                                             \
    {                                                                                                               \
        const mcu_add_sub_quant_t *q = &p.quant;                                                                    \
        int32_t i;                                                                                                  \
        if (p.shape.step2 == 0) {                                                                                   \
            const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[0]);                                 \
            for (i = 0; i < p.shape.count; ++i) {                                                                   \
                const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[i]);                             \
                out[i] = (type)mcu_add_sub_output(q, a operator b);                                                 \
            }                                                                                                       \
        } else if (p.shape.step1 == 0) {                                                                            \
            const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[0]);                                 \
            for (i = 0; i < p.shape.count; ++i) {                                                                   \
                const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[i]);                             \
                out[i] = (type)mcu_add_sub_output(q, a operator b);                                                 \
            }                                                                                                       \
        } else {                                                                                                    \
            for (i = 0; i < p.shape.count; ++i) {                                                                   \
                const int32_t a = mcu_add_sub_rescale(&q->input1, q->left_shift, x[i]);                             \
                const int32_t b = mcu_add_sub_rescale(&q->input2, q->left_shift, y[i]);                             \
                out[i] = (type)mcu_add_sub_output(q, a operator b);                                                 \
            }                                                                                                       \
        }                                                                                                           \
    }

/* Zero points within the type's range keep the product inside int32 (int16: zero points are 0). */
static inline int32_t mcu_mul_output(const mcu_mul_quant_t *q, int32_t x, int32_t y)
{
    return mcu_requantize_output((x + q->input1_offset) * (y + q->input2_offset), q->output_multiplier,
                                 q->output_shift, q->output_offset, q->activation_min, q->activation_max);
}

#endif /* MCU_KERNELS_INTERNAL_BINARY_IMPL_H */
