"""runtime_c's mcu_fixedpoint.h against a verbatim copy of the previous, literal transcription of
gemmlowp/TFLM (SaturatingRoundingDoublingHighMul with its sign-dependent nudge and C division toward
zero, RoundingDivideByPOT with its mask and threshold), compiled on the host with UBSan.

The fast forms are exact for every int32 input and multiplier (not only TFLM's, 0 or [2^30, 2^31)),
so the comparison covers: every pair of edge values (INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX,
±2^k ± 1) for x and multiplier at every shift in [-31, 31]; rounding ties placed exactly for every
right shift; and 200 million random (x, multiplier, shift) triples, shift in [-31, 7], drawn from
full-range, accumulator-sized and TFLM-range distributions. mcu_sat_round_doubling_high_mul (also
used on its own by softmax) and the rounding divide for exponent >= 1 are compared separately too."""
from __future__ import annotations

import subprocess
from pathlib import Path

RUNTIME_INCLUDE = Path(__file__).resolve().parents[2] / "runtime_c" / "include"
RANDOM_TRIPLES = 200_000_000

PROGRAM = r"""
#include <stdio.h>
#include <stdint.h>
#include "mcu_fixedpoint.h"

/* REFERENCE ONLY: the previous mcu_fixedpoint.h helpers, a literal transcription of gemmlowp/TFLM. */
static int32_t ref_srdhm(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? (int64_t)1 << 30 : 1 - ((int64_t)1 << 30);
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

static int32_t ref_rdpot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static int32_t ref_mbqm(int32_t x, int32_t multiplier, int shift)
{
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    return ref_rdpot(ref_srdhm((int32_t)((uint32_t)x << left_shift), multiplier), right_shift);
}
/* END REFERENCE */

static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t next(void) /* splitmix64 */
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned long long checked = 0, failures = 0;

static void check(int32_t x, int32_t m, int shift)
{
    const int32_t want = ref_mbqm(x, m, shift);
    const int32_t got = mcu_multiply_by_quantized_multiplier(x, m, shift);
    const int32_t want_high = ref_srdhm(x, m);
    const int32_t got_high = mcu_sat_round_doubling_high_mul(x, m);
    checked++;
    if (want != got || want_high != got_high) {
        if (failures++ < 20) {
            printf("MISMATCH x=%ld m=%ld shift=%d: mbqm %ld vs %ld, srdhm %ld vs %ld\n", (long)x, (long)m, shift,
                   (long)want, (long)got, (long)want_high, (long)got_high);
        }
    }
}

static void check_rdpot(int32_t x, int exponent)
{
    checked++;
    if (x != INT32_MIN && ref_rdpot(x, exponent) != mcu_rounding_divide_by_pot_nonzero(x, exponent)) {
        if (failures++ < 20) {
            printf("MISMATCH rdpot x=%ld e=%d\n", (long)x, exponent);
        }
    }
}

int main(void)
{
    int32_t edges[200];
    int n = 0, i, j, k, shift;
    unsigned long long r;
    const int32_t multipliers[] = {0, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MAX - 1, 1518500250, 1073741823};
    edges[n++] = INT32_MIN; edges[n++] = INT32_MIN + 1; edges[n++] = -1; edges[n++] = 0; edges[n++] = 1;
    edges[n++] = INT32_MAX; edges[n++] = INT32_MAX - 1;
    for (k = 1; k <= 30; k++) {
        const int32_t p = (int32_t)1 << k;
        edges[n++] = p - 1; edges[n++] = p; edges[n++] = p + 1;
        edges[n++] = -p - 1; edges[n++] = -p; edges[n++] = -p + 1;
    }
    for (i = 0; i < 10; i++) {
        edges[n++] = (int32_t)(uint32_t)next();
    }
    for (shift = -31; shift <= 31; shift++) {
        for (i = 0; i < n; i++) {
            for (j = 0; j < n; j++) {
                check(edges[i], edges[j], shift);
            }
            for (j = 0; j < (int)(sizeof multipliers / sizeof multipliers[0]); j++) {
                check(edges[i], multipliers[j], shift);
            }
        }
    }
    /* Rounding ties and their neighbours, for every exponent; x near both ends of the range. */
    for (k = 1; k <= 31; k++) {
        for (i = 0; i < 200000; i++) {
            const int64_t q = (int64_t)(next() % ((uint64_t)1 << (32 - k))) - ((int64_t)1 << (31 - k));
            const int64_t tie = q * ((int64_t)1 << k) + ((int64_t)1 << (k - 1));
            for (j = -2; j <= 2; j++) {
                const int64_t x = tie + j;
                if (x >= INT32_MIN && x <= INT32_MAX) {
                    check_rdpot((int32_t)x, k);
                }
            }
        }
        for (i = -70000; i <= 70000; i++) {
            check_rdpot(INT32_MIN + 1 + 70000 + i, k);
            check_rdpot(INT32_MAX - 70000 + i, k);
            check_rdpot(i, k);
        }
    }
    /* Products landing exactly on the first rounding's ties: m = 2^30 + d, x odd multiples. */
    for (i = 0; i < 2000000; i++) {
        const int32_t x = (int32_t)(uint32_t)next() | 1;
        check(x, 1 << 30, -(int)(next() % 32));
        check(x, INT32_MIN, -(int)(next() % 32));
        check(x, -(1 << 30), -(int)(next() % 32));
    }
    for (r = 0; r < RANDOM_TRIPLES; r++) {
        const uint64_t bits = next();
        const uint64_t more = next();
        int32_t x, m;
        switch (bits & 3) {
        case 0: x = (int32_t)(uint32_t)more; break;                                   /* full range */
        case 1: x = (int32_t)(more >> 40) - (1 << 23); break;                         /* accumulators */
        case 2: x = (int32_t)((more >> 48) & 0x1FF) - 256; break;                     /* small */
        default: x = (int32_t)((uint32_t)more >> (more >> 59)); x = (bits & 4) ? -x : x; break;
        }
        switch ((bits >> 3) & 3) {
        case 0: case 1: m = (int32_t)((1u << 30) | (uint32_t)(bits >> 34)); break;  /* TFLM: [2^30, 2^31) */
        case 2: m = (int32_t)(uint32_t)(bits >> 32); break;                          /* any, negative too */
        default: m = (int32_t)(uint32_t)(more >> 32); break;
        }
        shift = (int)((bits >> 5) % 39) - 31;                                        /* [-31, 7] */
        check(x, m, shift);
    }
    printf("checked %llu, failures %llu\n", checked, failures);
    return failures != 0;
}
"""


def test_fast_requantisation_is_bit_exact_with_gemmlowp(tmp_path: Path):
    source = tmp_path / "equivalence.c"
    binary = tmp_path / "equivalence"
    source.write_text(PROGRAM.replace("RANDOM_TRIPLES", f"{RANDOM_TRIPLES}ull"))
    subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined",
                    "-fno-sanitize-recover=all", "-I", str(RUNTIME_INCLUDE), str(source), "-o", str(binary)],
                   check=True)
    result = subprocess.run([str(binary)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "failures 0" in result.stdout
