// Declarations of the CUDA built-ins the kernels use, for the parse check (check.sh): clang compiles each
// kernel file for the device without the CUDA headers, so every call must resolve to one of these
// (or to the kernels' own __device__ functions). A host-only function called from a kernel, or a CUDA
// feature NVRTC rejects, fails here as it would under NVRTC.
#include <__clang_cuda_builtin_vars.h>

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __forceinline__ __inline__ __attribute__((always_inline))

__device__ void __syncthreads();
__device__ void __threadfence();

__device__ float __shfl_xor_sync(unsigned mask, float value, int lane_mask, int width = 32);
__device__ double __shfl_xor_sync(unsigned mask, double value, int lane_mask, int width = 32);
__device__ int __shfl_xor_sync(unsigned mask, int value, int lane_mask, int width = 32);
__device__ long long __shfl_xor_sync(unsigned mask, long long value, int lane_mask, int width = 32);
__device__ int __shfl_down_sync(unsigned mask, int value, unsigned delta, int width = 32);
__device__ int __shfl_up_sync(unsigned mask, int value, unsigned delta, int width = 32);
__device__ int __shfl_sync(unsigned mask, int value, int source_lane, int width = 32);

__device__ float atomicAdd(float* address, float value);
__device__ double atomicAdd(double* address, double value);
__device__ int atomicAdd(int* address, int value);
__device__ unsigned long long atomicAdd(unsigned long long* address, unsigned long long value);
__device__ int atomicCAS(int* address, int compare, int value);
__device__ int atomicExch(int* address, int value);
__device__ int atomicMax(int* address, int value);

__device__ unsigned __umulhi(unsigned a, unsigned b);
__device__ double __dmul_rn(double a, double b);
__device__ double __dadd_rn(double a, double b);
__device__ float __int_as_float(int bits);
__device__ double __longlong_as_double(long long bits);

__device__ float expf(float);
__device__ float logf(float);
__device__ float log1pf(float);
__device__ float sqrtf(float);
__device__ float tanhf(float);
__device__ float sinf(float);
__device__ float cosf(float);
__device__ float fabsf(float);
__device__ double exp(double);
__device__ double log(double);
__device__ double log1p(double);
__device__ double sqrt(double);
__device__ double tanh(double);
__device__ double sin(double);
__device__ double cos(double);
__device__ double fabs(double);
__device__ double pow(double, double);
