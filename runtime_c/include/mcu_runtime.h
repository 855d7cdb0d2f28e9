/* mcucompile C runtime: walks a const table of kernel calls that the compiler emitted.
 *
 * No parsing, no planning and no allocation happen on the device: every kernel gets a const
 * parameter record whose pointers already point at its tensors (in the arena, the state
 * region or flash). */
#ifndef MCU_RUNTIME_H
#define MCU_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*mcu_kernel_fn)(const void *params);

/* One operator: the kernel to run and its parameters (both in flash). */
typedef struct {
    mcu_kernel_fn run;
    const void *params;
} mcu_op_t;

/* Called before (after == 0) and after (after == 1) every operator, e.g. for profiling. */
typedef void (*mcu_op_hook_fn)(size_t op_index, int after, void *user);

void mcu_run_ops(const mcu_op_t *ops, size_t count, mcu_op_hook_fn hook, void *user);

/* Portable alignment of the arena and state regions (tensor offsets are multiples of it). */
#if defined(__GNUC__) || defined(__clang__)
#define MCU_ALIGNED(n) __attribute__((aligned(n)))
#else
#define MCU_ALIGNED(n)
#endif

#ifdef __cplusplus
}
#endif

#endif /* MCU_RUNTIME_H */
