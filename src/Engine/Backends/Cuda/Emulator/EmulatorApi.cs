using System.Runtime.InteropServices;
using Engine.Backends.Cuda.Native;

namespace Engine.Backends.Cuda.Emulator;

/// <summary>
/// The C API of libengine_cuda_emulator.so (kernels/emulator/emulator_api.h): the kernels/*.cu files compiled for
/// the host with g++, plus device memory, launches and a reference GEMM. Statuses are CUresult (cuBLAS status for
/// <see cref="emu_gemm"/>) numbers; <see cref="emu_last_error"/> explains the last failure on the calling thread.
/// </summary>
internal static unsafe partial class EmulatorApi
{
    private const string Library = NativeLibraries.Emulator;

    static EmulatorApi() => NativeLibraries.Register();

    [LibraryImport(Library)] public static partial byte* emu_last_error();

    [LibraryImport(Library)] public static partial CuResult emu_device_create(ulong capacity, IntPtr* device);
    [LibraryImport(Library)] public static partial CuResult emu_device_destroy(IntPtr device);
    [LibraryImport(Library)] public static partial CuResult emu_mem_alloc(IntPtr device, ulong bytes, ulong* pointer);
    [LibraryImport(Library)] public static partial CuResult emu_mem_free(IntPtr device, ulong pointer);
    [LibraryImport(Library)] public static partial CuResult emu_mem_info(IntPtr device, ulong* free, ulong* total);

    [LibraryImport(Library)] public static partial CuResult emu_memcpy_htod(IntPtr device, ulong destination, void* source, ulong bytes);
    [LibraryImport(Library)] public static partial CuResult emu_memcpy_dtoh(IntPtr device, void* destination, ulong source, ulong bytes);
    [LibraryImport(Library)] public static partial CuResult emu_memcpy_dtod(IntPtr device, ulong destination, ulong source, ulong bytes);
    [LibraryImport(Library)] public static partial CuResult emu_memset_d8(IntPtr device, ulong destination, byte value, ulong count);
    [LibraryImport(Library)] public static partial CuResult emu_memset_d32(IntPtr device, ulong destination, uint value, ulong count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial CuResult emu_get_function(string name, IntPtr* function);

    [LibraryImport(Library)]
    public static partial CuResult emu_launch(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, void** arguments, uint* sizes, int count);

    [LibraryImport(Library)]
    public static partial CublasStatus emu_gemm(int dtype, int transa, int transb, int m, int n, int k, double alpha, ulong a, int lda,
        long strideA, ulong b, int ldb, long strideB, double beta, ulong c, int ldc, long strideC, int batch);

    /// <summary>The emulator's explanation of the last failed call on this thread.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8((IntPtr)emu_last_error()) ?? "";
}
