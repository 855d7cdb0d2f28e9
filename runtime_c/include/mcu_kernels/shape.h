/* Shape operators that move bytes: CONCATENATION, SPLIT/SPLIT_V, PAD, and a strided copy that
 * serves STRIDED_SLICE and TRANSPOSE.
 *
 * The compiler resolves all geometry (axes, slice bounds, permutations) to byte counts and byte
 * steps, so every kernel is generic over the element type. */
#ifndef MCU_KERNELS_SHAPE_H
#define MCU_KERNELS_SHAPE_H

#include <stddef.h>
#include <stdint.h>

/* CONCATENATION: for each of outer_size blocks, input i contributes copy_bytes[i] contiguous
 * bytes. A NULL input already lies in its slice of the output (outer_size is then 1). */
typedef struct {
    const void *const *inputs;
    const int32_t *copy_bytes;
    int32_t input_count;
    void *output;
    int32_t outer_size;
} mcu_concatenation_params_t;

void mcu_concatenation(const void *params);

/* SPLIT and SPLIT_V: the mirror of CONCATENATION, one input dealt out to the outputs. */
typedef struct {
    const void *input;
    void *const *outputs;
    const int32_t *copy_bytes;
    int32_t output_count;
    int32_t outer_size;
} mcu_split_params_t;

void mcu_split(const void *params);

/* PAD: dims outermost first, rank padded to MCU_PAD_RANK with leading size-1 dims. Every
 * output element outside the input's box is a copy of the element at pad_value. */
#define MCU_PAD_RANK 5

typedef struct {
    const void *input;
    void *output;
    const void *pad_value; /* one element, in flash or in the arena */
    int32_t element_bytes;
    int32_t input_dims[MCU_PAD_RANK];
    int32_t before[MCU_PAD_RANK];
    int32_t after[MCU_PAD_RANK];
} mcu_pad_params_t;

void mcu_pad(const void *params);

/* Strided copy (STRIDED_SLICE, TRANSPOSE): the output is written in order, element by element,
 * from input + start_offset + sum_k index[k] * steps[k] (bytes, outermost axis first). An
 * "element" may be a contiguous run of several tensor elements. */
#define MCU_STRIDED_COPY_RANK 5

typedef struct {
    const void *input;
    void *output;
    int32_t element_bytes;
    int32_t start_offset;
    int32_t counts[MCU_STRIDED_COPY_RANK];
    int32_t steps[MCU_STRIDED_COPY_RANK];
} mcu_strided_copy_params_t;

void mcu_strided_copy(const void *params);

#endif /* MCU_KERNELS_SHAPE_H */
