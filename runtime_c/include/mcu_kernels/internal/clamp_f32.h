/* The float32 activation clamp shared by the float kernels. */
#ifndef MCU_KERNELS_INTERNAL_CLAMP_F32_H
#define MCU_KERNELS_INTERNAL_CLAMP_F32_H

/* std::min(std::max(x, low), high) as TFLM computes it: NaN passes, signed zeros compare equal. */
static inline float mcu_clamp_f32(float x, float low, float high)
{
    const float raised = x < low ? low : x;
    return high < raised ? high : raised;
}

#endif /* MCU_KERNELS_INTERNAL_CLAMP_F32_H */
