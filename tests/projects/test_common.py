"""The pieces every layout shares, chosen by the core and the model: cycle counter, printf's
retarget, the test vector's comparison."""
from __future__ import annotations

from tests.projects.support import HELLO, generate


def test_baseline_core_uses_systick_and_has_no_itm(tmp_path):
    src = generate(tmp_path, HELLO, "rp2040").directory / "src"
    assert "void SysTick_Handler(void)" in (src / "cycle_counter.c").read_text()
    assert '#define CYCLE_COUNTER_NAME "SysTick"' in (src / "cycle_counter.h").read_text()
    assert "ITM" not in (src / "retarget.c").read_text().split("*/", 1)[1]


def test_mainline_cores_use_the_dwt_and_the_itm(tmp_path):
    m7 = generate(tmp_path, HELLO, "stm32h743").directory / "src"
    assert "DWT_LAR = 0xC5ACCE55u" in (m7 / "cycle_counter.c").read_text()
    assert "ITM_PORT0_BYTE = (uint8_t)data[i]" in (m7 / "retarget.c").read_text()
    m33 = generate(tmp_path, HELLO, "nrf5340").directory / "src"
    assert "DWT_CYCCNT" in (m33 / "cycle_counter.c").read_text()
    assert "DWT_LAR" not in (m33 / "cycle_counter.c").read_text()


def test_float_outputs_compare_within_ulps(tmp_path):
    floats = generate(tmp_path, "tflm_hello_world_float", "mps2-an386").directory
    assert "floats_close(tflm_hello_world_float_output_0" in (floats / "src" / "test_vector.c").read_text()
    assert "-u _printf_float" in (floats / "Makefile").read_text()
    integers = generate(tmp_path, HELLO, "mps2-an386").directory
    assert "memcmp(tflm_hello_world_int8_output_0" in (integers / "src" / "test_vector.c").read_text()
    assert "_printf_float" not in (integers / "Makefile").read_text()
