#include "mcu_runtime.h"

void mcu_run_ops(const mcu_op_t *ops, size_t count, mcu_op_hook_fn hook, void *user)
{
    size_t i;
    for (i = 0; i < count; ++i) {
        if (hook != NULL) {
            hook(i, 0, user);
        }
        ops[i].run(ops[i].params);
        if (hook != NULL) {
            hook(i, 1, user);
        }
    }
}
