#include "mcu_fixedpoint.h"
#include "mcu_kernels/internal/activations_impl.h"

static int32_t wrap_int16(int32_t x)
{
    const int32_t low = (int32_t)((uint32_t)x & 0xFFFFu);
    return low >= 0x8000 ? low - 0x10000 : low;
}

/* TFLM's LUTLookup for int16: 512 segments of 128 values, linearly interpolated. */
static int32_t lut_lookup(int32_t value, const int16_t *table)
{
    const int32_t index = 256 + (value >> 7);
    const int32_t offset = value & 0x7F;
    const int32_t base = table[index];
    const int32_t slope = wrap_int16(table[index + 1] - base);
    return wrap_int16(base + ((slope * offset + 64) >> 7));
}

static int32_t saturate_int16(int64_t x)
{
    return (int32_t)(x < INT16_MIN ? INT16_MIN : (x > INT16_MAX ? INT16_MAX : x));
}

void mcu_softmax_s16(const void *params)
{
    const mcu_softmax_s16_params_t *p = (const mcu_softmax_s16_params_t *)params;
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const int16_t *x = p->input + r * p->depth;
        int16_t *out = p->output + r * p->depth;
        int32_t max = x[0];
        uint32_t sum = 0;
        int headroom_plus_one, right_shift;
        int64_t shifted_sum;
        int32_t reciprocal;
        for (c = 1; c < p->depth; ++c) {
            max = x[c] > max ? x[c] : max;
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t scaled = mcu_multiply_by_quantized_multiplier((int32_t)x[c] - max, p->input_multiplier,
                                                                         p->input_shift);
            /* Recentre [-65535, 0] onto the table's symmetric int16 domain. */
            const int32_t e = lut_lookup(saturate_int16((int64_t)scaled + 32767), p->exp_table);
            out[c] = (int16_t)e; /* the output holds the exponentials until the second pass */
            sum += (uint32_t)e;
        }
        /* depth <= 65538 keeps sum in [exp(0), 2^31), so headroom_plus_one is in [1, 17]. */
        headroom_plus_one = mcu_count_leading_zeros_u32(sum);
        shifted_sum = (((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14;
        /* The table computes 1/(1+x): subtract one, recentre [0, 65535] onto [-32768, 32767]. */
        reciprocal = lut_lookup(saturate_int16(shifted_sum - ((1 << 15) + (1 << 16))), p->one_over_one_plus_x_table);
        right_shift = 31 - headroom_plus_one;
        for (c = 0; c < p->depth; ++c) {
            const int64_t result = ((int64_t)out[c] * reciprocal + ((int64_t)1 << (right_shift - 1))) >> right_shift;
            out[c] = (int16_t)(result < 0 ? 0 : (result > INT16_MAX ? INT16_MAX : result));
        }
    }
}
