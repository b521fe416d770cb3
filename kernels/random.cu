// Counter-based random numbers: the CPU backend's stream (Random/Philox.cs, CpuBackend.Random) element for
// element. Element i of a draw at counter `offset` comes from Philox block offset + i / 4; one thread
// computes one block of four elements. Dropout keeps element i where the uniform value that draw gives it is at
// least p (CpuBackend.Dropout), so its masks are the CPU's bit for bit.
// Entry points: uniform_<dtype>, normal_<dtype>, dropout_<dtype>.
#include "common.cuh"

struct Words
{
    u32 w[4];
};

// Philox4x32-10 with the 64-bit counter in the low two words and a 64-bit key.
__device__ __forceinline__ Words philox(u64 counter, u64 key)
{
    u32 c0 = (u32)counter, c1 = (u32)(counter >> 32), c2 = 0, c3 = 0;
    u32 k0 = (u32)key, k1 = (u32)(key >> 32);
#pragma unroll
    for (int round = 0; round < 10; ++round)
    {
        u32 high_a = __umulhi(0xD2511F53u, c0), low_a = 0xD2511F53u * c0;
        u32 high_b = __umulhi(0xCD9E8D57u, c2), low_b = 0xCD9E8D57u * c2;
        u32 n0 = high_b ^ c1 ^ k0, n2 = high_a ^ c3 ^ k1;
        c1 = low_b;
        c3 = low_a;
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    Words result = {{c0, c1, c2, c3}};
    return result;
}

// 24 random bits to a float in [0, 1).
__device__ __forceinline__ float uniform_float(u32 bits) { return (float)(bits >> 8) * (1.0f / 16777216.0f); }

// 53 random bits of two words to a double in [0, 1).
__device__ __forceinline__ double uniform_double(u32 high, u32 low)
{
    return (double)((((u64)high) << 21) ^ (low >> 11)) * (1.0 / 9007199254740992.0);
}

// Box-Muller on the pair (u0, u1) in double, as Philox.BoxMuller.
__device__ __forceinline__ void box_muller(double& u0, double& u1)
{
    double radius = sqrt(-2.0 * log(1.0 - u0));
    double angle = (2.0 * 3.141592653589793) * u1;
    u0 = radius * cos(angle);
    u1 = radius * sin(angle);
}

// The four values of block `block` as doubles: F32 takes one word per element, F64 two words, the second
// pair from the same counter under the complemented key.
template <typename T>
__device__ __forceinline__ void block_values(u64 seed, u64 counter, bool normal, double (&v)[4])
{
    Words r = philox(counter, seed);
    if (sizeof(T) == 4)
    {
        for (int j = 0; j < 4; ++j) v[j] = uniform_float(r.w[j]);
    }
    else
    {
        Words s = philox(counter, ~seed);
        v[0] = uniform_double(r.w[0], r.w[1]);
        v[1] = uniform_double(r.w[2], r.w[3]);
        v[2] = uniform_double(s.w[0], s.w[1]);
        v[3] = uniform_double(s.w[2], s.w[3]);
    }
    if (normal)
    {
        box_muller(v[0], v[1]);
        box_muller(v[2], v[3]);
    }
}

template <typename T>
__device__ __forceinline__ void draw(i64 n, u64 seed, u64 offset, bool normal, T* y)
{
    i64 blocks = (n + 3) / 4;
    for (i64 b = global_thread(); b < blocks; b += global_threads())
    {
        double v[4];
        block_values<T>(seed, offset + (u64)b, normal, v);
        i64 start = b * 4, count = n - start < 4 ? n - start : 4;
        for (int j = 0; j < count; ++j) y[start + j] = (T)v[j];
    }
}

// y[i] = u_i >= p ? x[i] * scale : 0 for the uniform u_i of element i; x walks `layout` (one operand), y is contiguous.
template <typename T>
__device__ __forceinline__ void dropout(i64 n, u64 seed, u64 offset, double p, double scale, const Layout& layout, const T* x, T* y)
{
    T factor = (T)scale;
    i64 blocks = (n + 3) / 4;
    for (i64 b = global_thread(); b < blocks; b += global_threads())
    {
        double u[4];
        block_values<T>(seed, offset + (u64)b, false, u);
        i64 start = b * 4, count = n - start < 4 ? n - start : 4;
        for (int j = 0; j < count; ++j) y[start + j] = u[j] >= p ? x[offset_of(layout, start + j)] * factor : T(0);
    }
}

#define DRAW(T, suffix) \
    extern "C" __global__ void uniform_##suffix(i64 n, u64 seed, u64 offset, T* y) { draw(n, seed, offset, false, y); } \
    EXPORT_KERNEL(uniform_##suffix) \
    extern "C" __global__ void normal_##suffix(i64 n, u64 seed, u64 offset, T* y) { draw(n, seed, offset, true, y); } \
    EXPORT_KERNEL(normal_##suffix) \
    extern "C" __global__ void dropout_##suffix(i64 n, u64 seed, u64 offset, double p, double scale, Layout layout, const T* x, T* y) \
    { \
        dropout(n, seed, offset, p, scale, layout, x, y); \
    } \
    EXPORT_KERNEL(dropout_##suffix)

DRAW(float, f32)
DRAW(double, f64)
