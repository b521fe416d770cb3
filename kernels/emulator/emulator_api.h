// The C API of libengine_cuda_emulator.so, bound by src/Engine/Backends/Cuda/Emulator/EmulatorApi.cs.
// Functions return CUresult codes (cuBLAS status codes for emu_gemm) with the same numbers as CUDA;
// emu_last_error() then holds a message for the calling OS thread.
#pragma once

#define EMU_API extern "C" __attribute__((visibility("default")))

enum EmuStatus
{
    EMU_SUCCESS = 0,
    EMU_ERROR_INVALID_VALUE = 1,       // CUDA_ERROR_INVALID_VALUE
    EMU_ERROR_OUT_OF_MEMORY = 2,       // CUDA_ERROR_OUT_OF_MEMORY
    EMU_ERROR_NOT_FOUND = 500,         // CUDA_ERROR_NOT_FOUND
    EMU_ERROR_LAUNCH_FAILED = 719,     // CUDA_ERROR_LAUNCH_FAILED
    EMU_BLAS_INVALID_VALUE = 7,        // CUBLAS_STATUS_INVALID_VALUE
};

EMU_API const char* emu_last_error();

// A device is a memory budget: allocations beyond `capacity` bytes fail with EMU_ERROR_OUT_OF_MEMORY.
EMU_API int emu_device_create(unsigned long long capacity, void** device);
EMU_API int emu_device_destroy(void* device);
EMU_API int emu_mem_alloc(void* device, unsigned long long bytes, unsigned long long* pointer);
EMU_API int emu_mem_free(void* device, unsigned long long pointer);
EMU_API int emu_mem_info(void* device, unsigned long long* free, unsigned long long* total);

// Copies and sets check that every device range lies inside one live allocation of `device`.
EMU_API int emu_memcpy_htod(void* device, unsigned long long destination, const void* source, unsigned long long bytes);
EMU_API int emu_memcpy_dtoh(void* device, void* destination, unsigned long long source, unsigned long long bytes);
EMU_API int emu_memcpy_dtod(void* device, unsigned long long destination, unsigned long long source, unsigned long long bytes);
EMU_API int emu_memset_d8(void* device, unsigned long long destination, unsigned char value, unsigned long long count);
EMU_API int emu_memset_d32(void* device, unsigned long long destination, unsigned int value, unsigned long long count);

// Looks an `extern "C"` kernel up by name; EMU_ERROR_NOT_FOUND when no kernel file defines it.
EMU_API int emu_get_function(const char* name, const void** function);
// Runs a kernel to completion. `arguments[i]` points at parameter i, whose size is `sizes[i]`; the count and
// sizes must match the kernel's parameters. Limits are CUDA's: 1024 threads, 48 KiB dynamic shared memory.
EMU_API int emu_launch(const void* function, unsigned grid_x, unsigned grid_y, unsigned grid_z, unsigned block_x,
                       unsigned block_y, unsigned block_z, unsigned shared_bytes, void** arguments,
                       const unsigned* sizes, int count);

// cuBLAS's column-major GEMM contract (cublas<t>gemmStridedBatched): C_i = alpha op(A_i) op(B_i) + beta C_i,
// op selected by transa/transb (0 = N, 1 = T); C is not read when beta is 0. dtype 0 = float, 1 = double.
EMU_API int emu_gemm(int dtype, int transa, int transb, int m, int n, int k, double alpha, unsigned long long a, int lda,
                     long long stride_a, unsigned long long b, int ldb, long long stride_b, double beta,
                     unsigned long long c, int ldc, long long stride_c, int batch);
