using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda.Native;

/// <summary>
/// The CUDA driver API (libcuda.so.1), the calls the backend uses and no others. Versioned entry points
/// (<c>_v2</c>) are bound explicitly, as cuda.h's macros would pick them. Handles are plain pointers owned by
/// <see cref="Driver.CudaDriver"/>, released in its Dispose, never from a finalizer.
/// </summary>
internal static unsafe partial class CudaDriverApi
{
    private const string Library = NativeLibraries.Driver;

    public const uint StreamNonBlocking = 0x1;
    public const uint EventDefault = 0x0;
    public const uint HostAllocPortable = 0x1;

    static CudaDriverApi() => NativeLibraries.Register();

    [LibraryImport(Library)] public static partial CuResult cuInit(uint flags);
    [LibraryImport(Library)] public static partial CuResult cuDriverGetVersion(int* version);
    [LibraryImport(Library)] public static partial CuResult cuGetErrorName(CuResult error, byte** name);

    [LibraryImport(Library)] public static partial CuResult cuDeviceGetCount(int* count);
    [LibraryImport(Library)] public static partial CuResult cuDeviceGet(int* device, int ordinal);
    [LibraryImport(Library)] public static partial CuResult cuDeviceGetAttribute(int* value, DeviceAttribute attribute, int device);
    [LibraryImport(Library)] public static partial CuResult cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Library, EntryPoint = "cuDeviceTotalMem_v2")] public static partial CuResult cuDeviceTotalMem(nuint* bytes, int device);

    [LibraryImport(Library)] public static partial CuResult cuDevicePrimaryCtxRetain(IntPtr* context, int device);
    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRelease_v2")] public static partial CuResult cuDevicePrimaryCtxRelease(int device);
    [LibraryImport(Library)] public static partial CuResult cuCtxSetCurrent(IntPtr context);

    [LibraryImport(Library)] public static partial CuResult cuStreamCreate(IntPtr* stream, uint flags);
    [LibraryImport(Library, EntryPoint = "cuStreamDestroy_v2")] public static partial CuResult cuStreamDestroy(IntPtr stream);
    [LibraryImport(Library)] public static partial CuResult cuStreamSynchronize(IntPtr stream);

    [LibraryImport(Library)] public static partial CuResult cuEventCreate(IntPtr* e, uint flags);
    [LibraryImport(Library, EntryPoint = "cuEventDestroy_v2")] public static partial CuResult cuEventDestroy(IntPtr e);
    [LibraryImport(Library)] public static partial CuResult cuEventRecord(IntPtr e, IntPtr stream);
    [LibraryImport(Library)] public static partial CuResult cuEventSynchronize(IntPtr e);

    [LibraryImport(Library, EntryPoint = "cuMemAlloc_v2")] public static partial CuResult cuMemAlloc(ulong* pointer, nuint bytes);
    [LibraryImport(Library, EntryPoint = "cuMemFree_v2")] public static partial CuResult cuMemFree(ulong pointer);
    [LibraryImport(Library, EntryPoint = "cuMemGetInfo_v2")] public static partial CuResult cuMemGetInfo(nuint* free, nuint* total);
    [LibraryImport(Library)] public static partial CuResult cuMemHostAlloc(void** pointer, nuint bytes, uint flags);
    [LibraryImport(Library)] public static partial CuResult cuMemFreeHost(void* pointer);

    [LibraryImport(Library, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    public static partial CuResult cuMemcpyHtoDAsync(ulong destination, void* source, nuint bytes, IntPtr stream);
    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    public static partial CuResult cuMemcpyDtoHAsync(void* destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    public static partial CuResult cuMemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, IntPtr stream);
    [LibraryImport(Library)] public static partial CuResult cuMemsetD8Async(ulong destination, byte value, nuint count, IntPtr stream);
    [LibraryImport(Library)] public static partial CuResult cuMemsetD32Async(ulong destination, uint value, nuint count, IntPtr stream);

    [LibraryImport(Library)] public static partial CuResult cuModuleLoadData(IntPtr* module, byte* image);
    [LibraryImport(Library)] public static partial CuResult cuModuleUnload(IntPtr module);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial CuResult cuModuleGetFunction(IntPtr* function, IntPtr module, string name);

    [LibraryImport(Library)]
    public static partial CuResult cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** parameters, void** extra);

    private static delegate* unmanaged<float*, IntPtr, IntPtr, CuResult> eventElapsedTime;

    /// <summary>
    /// cuEventElapsedTime, bound at first use: CUDA 13's headers map it to <c>cuEventElapsedTime_v2</c>, older drivers
    /// export only the unversioned name.
    /// </summary>
    public static CuResult cuEventElapsedTime(float* milliseconds, IntPtr start, IntPtr end)
    {
        if (eventElapsedTime == null)
        {
            var library = NativeLibraries.Load(Library);
            if (!NativeLibrary.TryGetExport(library, "cuEventElapsedTime_v2", out var export))
                export = NativeLibrary.GetExport(library, "cuEventElapsedTime");
            eventElapsedTime = (delegate* unmanaged<float*, IntPtr, IntPtr, CuResult>)export;
        }
        return eventElapsedTime(milliseconds, start, end);
    }
}
