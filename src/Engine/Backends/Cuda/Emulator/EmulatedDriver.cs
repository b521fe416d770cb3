using System.Diagnostics;
using Engine.Backends.Cuda.Driver;
using Engine.Backends.Cuda.Native;

namespace Engine.Backends.Cuda.Emulator;

/// <summary>
/// The emulated CUDA device: the same kernels/*.cu, compiled for the host with g++ into
/// libengine_cuda_emulator.so, behind the same driver interface as a GPU. Work runs synchronously at each call
/// (in call order, as a stream would run it); device memory is host memory the emulator hands out, limited to
/// a capacity so that running out of memory can be tested. GEMM is a reference loop with cuBLAS's contract.
/// </summary>
internal sealed unsafe class EmulatedDriver : ICudaDriver
{
    private readonly IntPtr device;
    private readonly Lock gate = new();
    private readonly Dictionary<string, KernelFunction> functions = [];
    private readonly Dictionary<IntPtr, long> events = [];
    private long nextEvent;
    private bool disposed;

    public EmulatedDriver(long capacity)
    {
        IntPtr created;
        Check(EmulatorApi.emu_device_create((ulong)capacity, &created), "emu_device_create");
        device = created;
        // A small device: launch configuration sizes grids by multiprocessors, so emulated grids stay small.
        Properties = new DeviceProperties("Engine CUDA emulator (kernels compiled with g++)", 9, 0, MultiprocessorCount: 2,
            MaxThreadsPerMultiprocessor: 2048, WarpSize: 32, TotalMemory: capacity);
    }

    public DeviceProperties Properties { get; }

    public bool IsEmulated => true;

    public bool AllowTf32 { get; set; }

    public CudnnConvolutions? Cudnn => null;

    public string ConvolutionLibrary => $"{OwnConvolutions.Name}; the emulated device has no cuDNN";

    public bool TryAllocate(long bytes, out ulong pointer)
    {
        ulong allocated;
        var status = EmulatorApi.emu_mem_alloc(device, (ulong)bytes, &allocated);
        pointer = allocated;
        if (status == CuResult.OutOfMemory) return false;
        Check(status, "emu_mem_alloc");
        return true;
    }

    public void Free(ulong pointer) => Check(EmulatorApi.emu_mem_free(device, pointer), "emu_mem_free");

    public void CopyToDevice(ulong destination, void* source, long bytes) =>
        Check(EmulatorApi.emu_memcpy_htod(device, destination, source, (ulong)bytes), "emu_memcpy_htod");

    public void CopyToHost(void* destination, ulong source, long bytes) =>
        Check(EmulatorApi.emu_memcpy_dtoh(device, destination, source, (ulong)bytes), "emu_memcpy_dtoh");

    public void CopyOnDevice(ulong destination, ulong source, long bytes) =>
        Check(EmulatorApi.emu_memcpy_dtod(device, destination, source, (ulong)bytes), "emu_memcpy_dtod");

    public void SetBytes(ulong destination, byte value, long count) =>
        Check(EmulatorApi.emu_memset_d8(device, destination, value, (ulong)count), "emu_memset_d8");

    public void SetWords(ulong destination, uint value, long count) =>
        Check(EmulatorApi.emu_memset_d32(device, destination, value, (ulong)count), "emu_memset_d32");

    /// <summary>Every kernel file is linked into the emulator library, so the module only names where the kernel lives.</summary>
    public KernelFunction Function(string module, string name)
    {
        lock (gate)
        {
            if (functions.TryGetValue(name, out var known)) return known;
            IntPtr handle;
            Check(EmulatorApi.emu_get_function(name, &handle), "emu_get_function", $"kernel {name} of kernels/{module}.cu");
            var function = new KernelFunction(name, handle);
            functions[name] = function;
            return function;
        }
    }

    public void Launch(KernelFunction function, in LaunchShape shape, in KernelArguments arguments)
    {
        fixed (KernelArguments* packed = &arguments)
        {
            void** pointers = stackalloc void*[KernelArguments.MaxParameters];
            uint* sizes = stackalloc uint[KernelArguments.MaxParameters];
            KernelArguments.Describe(packed, pointers, sizes);
            Check(EmulatorApi.emu_launch(function.Handle, shape.Grid.X, shape.Grid.Y, shape.Grid.Z, shape.Block.X, shape.Block.Y, shape.Block.Z,
                (uint)shape.SharedBytes, pointers, sizes, packed->Count), $"emu_launch({function.Name})");
        }
    }

    public void Gemm(in GemmCall call)
    {
        var status = EmulatorApi.emu_gemm(call.DType == DType.F32 ? 0 : 1, call.TransposeA ? 1 : 0, call.TransposeB ? 1 : 0, call.M, call.N, call.K,
            call.Alpha, call.A, call.Lda, call.StrideA, call.B, call.Ldb, call.StrideB, call.Beta, call.C, call.Ldc, call.StrideC, call.Batch);
        if (status != CublasStatus.Success) status.Check("emu_gemm", $"{call.Describe()}: {EmulatorApi.LastError()}");
    }

    /// <summary>Nothing is ever queued: every call has finished when it returns.</summary>
    public void Synchronize()
    {
    }

    public IntPtr CreateEvent()
    {
        lock (gate)
        {
            var e = (IntPtr)(++nextEvent);
            events[e] = 0;
            return e;
        }
    }

    public void RecordEvent(IntPtr e)
    {
        lock (gate) events[e] = Stopwatch.GetTimestamp();
    }

    /// <summary>Host time between the two records: the emulator runs work as it is queued.</summary>
    public float ElapsedMilliseconds(IntPtr start, IntPtr end)
    {
        lock (gate) return (float)Stopwatch.GetElapsedTime(events[start], events[end]).TotalMilliseconds;
    }

    public void DestroyEvent(IntPtr e)
    {
        lock (gate) events.Remove(e);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        EmulatorApi.emu_device_destroy(device);
    }

    private static void Check(CuResult status, string call, string? detail = null)
    {
        if (status != CuResult.Success) status.Check(call, detail is null ? EmulatorApi.LastError() : $"{detail}: {EmulatorApi.LastError()}");
    }
}
