/* Kernels that only move bytes: a copy (RESHAPE that cannot alias, READ_VARIABLE,
 * ASSIGN_VARIABLE) and CALL_ONCE. */
#ifndef MCU_KERNELS_DATA_MOVEMENT_H
#define MCU_KERNELS_DATA_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "mcu_runtime.h"

typedef struct {
    const void *source;
    void *destination;
    size_t bytes;
} mcu_copy_params_t;

/* memmove: source and destination may overlap. */
void mcu_copy(const void *params);

typedef struct {
    uint8_t *has_run; /* RAM flag, cleared by the model's reset */
    const mcu_op_t *ops;
    size_t count;
} mcu_call_once_params_t;

void mcu_call_once(const void *params);

#endif /* MCU_KERNELS_DATA_MOVEMENT_H */
