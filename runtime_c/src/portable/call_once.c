#include "mcu_kernels/data_movement.h"

void mcu_call_once(const void *params)
{
    const mcu_call_once_params_t *p = (const mcu_call_once_params_t *)params;
    if (!*p->has_run) {
        mcu_run_ops(p->ops, p->count, NULL, NULL);
        *p->has_run = 1;
    }
}
