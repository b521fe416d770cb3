// Kernels that check the emulator itself (EmulatorTests.cs): barriers really interleave the threads of a block,
// every shuffle moves the right lane's value, atomics add up, and a barrier in divergent code is reported.
// Built into the emulator library only; they are plain CUDA like the others (the parse check reads them too).
#include "../common.cuh"

// Each thread writes its slot, waits, then reads its neighbour's: without a real barrier a thread would read a
// slot its neighbour has not written yet (the 0xFF poison).
extern "C" __global__ void selftest_rotate(const int* x, int* y)
{
    DYNAMIC_SHARED(int, slots);
    unsigned t = threadIdx.x + blockDim.x * threadIdx.y;
    unsigned n = blockDim.x * blockDim.y;
    for (int round = 0; round < 3; ++round)
    {
        slots[t] = (round == 0 ? x[t] : y[t]) + round;
        __syncthreads();
        y[t] = slots[(t + 1) % n];
        __syncthreads();
    }
}
EXPORT_KERNEL(selftest_rotate)

// out[4 * t + k] is lane t's result of shuffle k: down by 3, up by 5, xor 6, and lane 7 of its warp.
extern "C" __global__ void selftest_shuffles(const int* x, int* out)
{
    unsigned t = threadIdx.x;
    int v = x[t];
    out[4 * t + 0] = __shfl_down_sync(0xffffffffu, v, 3);
    out[4 * t + 1] = __shfl_up_sync(0xffffffffu, v, 5);
    out[4 * t + 2] = __shfl_xor_sync(0xffffffffu, v, 6);
    out[4 * t + 3] = __shfl_sync(0xffffffffu, v, 7);
}
EXPORT_KERNEL(selftest_shuffles)

// Every thread of every block adds to the same three counters.
extern "C" __global__ void selftest_atomics(float* f, double* d, int* i)
{
    atomicAdd(f, 0.5f);
    atomicAdd(d, 0.25);
    atomicAdd(i, (int)threadIdx.x);
    atomicMax(i + 1, (int)(blockIdx.x * blockDim.x + threadIdx.x));
}
EXPORT_KERNEL(selftest_atomics)

// Half the block waits at a barrier the other half never reaches while the others wait at a warp operation.
extern "C" __global__ void selftest_divergent_barrier(int* y)
{
    if (threadIdx.x < 16)
        __syncthreads();
    else
        y[threadIdx.x] = __shfl_xor_sync(0xffffffffu, (int)threadIdx.x, 1);
}
EXPORT_KERNEL(selftest_divergent_barrier)
