/* QEMU TCG plugin (API v1, QEMU >= 4.2): counts executed guest instructions exactly and records
 * the count each time the guest enters a marker function.
 *
 * Arguments: marker=<hex address of the marker's first instruction>, out=<file>. At exit the
 * file receives one decimal line per marker entry: the instructions executed before that entry.
 *
 * Counting is per translation block (one inline add of the block's length when it starts), so it
 * runs at nearly full speed; the marker's callback subtracts the part of its own block that has
 * not executed yet. Only the handful of API functions used here are declared, so no QEMU header
 * is needed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed;  /* instructions of every block entered so far (one vCPU) */
static uint64_t marker;
static char *out_path;
static uint64_t *snapshots;
static size_t n_snapshots, capacity;

static void on_marker(unsigned int vcpu_index, void *not_yet_executed)
{
    (void)vcpu_index;
    if (n_snapshots == capacity) {
        capacity = capacity ? 2 * capacity : 4096;
        snapshots = realloc(snapshots, capacity * sizeof *snapshots);
        if (snapshots == NULL) {
            abort();
        }
    }
    snapshots[n_snapshots++] = executed - (uint64_t)(uintptr_t)not_yet_executed;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb), i;
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
    for (i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        if (qemu_plugin_insn_vaddr(insn) == marker) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
                                                   (void *)(uintptr_t)(n - i));
        }
    }
}

static void write_snapshots(qemu_plugin_id_t id, void *userdata)
{
    FILE *out = fopen(out_path, "w");
    size_t i;
    (void)id;
    (void)userdata;
    if (out == NULL) {
        return;
    }
    for (i = 0; i < n_snapshots; ++i) {
        fprintf(out, "%llu\n", (unsigned long long)snapshots[i]);
    }
    fclose(out);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv)
{
    int i;
    (void)info;
    for (i = 0; i < argc; ++i) {
        if (strncmp(argv[i], "marker=", 7) == 0) {
            marker = strtoull(argv[i] + 7, NULL, 16);
        } else if (strncmp(argv[i], "out=", 4) == 0) {
            out_path = argv[i] + 4;
        } else {
            fprintf(stderr, "insn_count: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    if (marker == 0 || out_path == NULL) {
        fprintf(stderr, "insn_count: needs marker=<hex address> and out=<file>\n");
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, write_snapshots, NULL);
    return 0;
}
