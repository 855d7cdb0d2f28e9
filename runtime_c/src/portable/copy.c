#include <string.h>

#include "mcu_kernels/data_movement.h"

void mcu_copy(const void *params)
{
    const mcu_copy_params_t *p = (const mcu_copy_params_t *)params;
    memmove(p->destination, p->source, p->bytes);
}
