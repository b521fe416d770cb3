using System.Text;
using Engine.Backends.Cuda.Kernels;
using Engine.Backends.Cuda.Native;

namespace Engine.Backends.Cuda.Driver;

/// <summary>
/// A real GPU through the driver API: the device's primary context, one non-blocking stream for all work, a
/// cuBLAS handle (and, where cuDNN 9 is installed, a cuDNN handle) bound to that stream, kernels compiled by NVRTC for the device (PTX cached on disk) and host
/// copies staged through pinned memory. The context is made current on each calling thread before use.
/// </summary>
internal sealed unsafe class CudaDriver : ICudaDriver
{
    [ThreadStatic] private static IntPtr currentContext;

    private readonly int device;
    private readonly IntPtr context, stream, cublas;
    private readonly PinnedStaging staging;
    private readonly Lock gate = new();
    private readonly Dictionary<string, IntPtr> modules = [];
    private readonly Dictionary<string, KernelFunction> functions = [];
    private bool allowTf32, disposed;
    private CudnnConvolutions? cudnn;
    private string? convolutionLibrary;

    public CudaDriver(int ordinal)
    {
        CudaDriverApi.cuInit(0).Check("cuInit");
        int count;
        CudaDriverApi.cuDeviceGetCount(&count).Check("cuDeviceGetCount");
        if (ordinal < 0 || ordinal >= count)
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"cuda:{ordinal} does not exist; this machine has {count} CUDA device(s)");
        int handle;
        CudaDriverApi.cuDeviceGet(&handle, ordinal).Check("cuDeviceGet", $"ordinal {ordinal}");
        device = handle;
        Properties = ReadProperties(handle);
        IntPtr primary;
        CudaDriverApi.cuDevicePrimaryCtxRetain(&primary, handle).Check("cuDevicePrimaryCtxRetain", $"cuda:{ordinal}");
        context = primary;
        MakeCurrent();
        IntPtr created;
        CudaDriverApi.cuStreamCreate(&created, CudaDriverApi.StreamNonBlocking).Check("cuStreamCreate");
        stream = created;
        IntPtr blas;
        CublasApi.cublasCreate(&blas).Check("cublasCreate_v2");
        cublas = blas;
        CublasApi.cublasSetStream(cublas, stream).Check("cublasSetStream_v2");
        staging = new PinnedStaging(stream);
    }

    public DeviceProperties Properties { get; }

    public bool IsEmulated => false;

    /// <summary>The number of CUDA devices, or 0 when the driver is missing or finds none.</summary>
    public static int DeviceCount()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Driver) == IntPtr.Zero) return 0;
        int count;
        return CudaDriverApi.cuInit(0) == CuResult.Success && CudaDriverApi.cuDeviceGetCount(&count) == CuResult.Success ? count : 0;
    }

    public bool AllowTf32
    {
        get => allowTf32;
        set
        {
            lock (gate)
            {
                MakeCurrent();
                CublasApi.cublasSetMathMode(cublas, value ? CublasApi.Tf32TensorOpMath : CublasApi.DefaultMath).Check("cublasSetMathMode");
                allowTf32 = value;
            }
        }
    }

    public CudnnConvolutions? Cudnn
    {
        get
        {
            LoadCudnn();
            return cudnn;
        }
    }

    public string ConvolutionLibrary
    {
        get
        {
            LoadCudnn();
            return convolutionLibrary!;
        }
    }

    /// <summary>Looks for cuDNN once, at the first convolution.</summary>
    private void LoadCudnn()
    {
        lock (gate)
        {
            if (convolutionLibrary is not null) return;
            MakeCurrent();
            cudnn = CudnnConvolutions.TryCreate(stream, MakeCurrent, out var absence);
            convolutionLibrary = cudnn?.Name ?? $"{OwnConvolutions.Name}; cuDNN is not used: {absence}";
        }
    }

    public bool TryAllocate(long bytes, out ulong pointer)
    {
        MakeCurrent();
        ulong allocated;
        var status = CudaDriverApi.cuMemAlloc(&allocated, (nuint)bytes);
        pointer = allocated;
        if (status == CuResult.OutOfMemory) return false;
        status.Check("cuMemAlloc_v2", $"{bytes} bytes");
        return true;
    }

    public void Free(ulong pointer)
    {
        MakeCurrent();
        CudaDriverApi.cuMemFree(pointer).Check("cuMemFree_v2");
    }

    public void CopyToDevice(ulong destination, void* source, long bytes)
    {
        lock (gate)
        {
            MakeCurrent();
            staging.Upload(destination, (byte*)source, bytes);
        }
    }

    public void CopyToHost(void* destination, ulong source, long bytes)
    {
        lock (gate)
        {
            MakeCurrent();
            staging.Download((byte*)destination, source, bytes);
        }
    }

    public void CopyOnDevice(ulong destination, ulong source, long bytes)
    {
        MakeCurrent();
        CudaDriverApi.cuMemcpyDtoDAsync(destination, source, (nuint)bytes, stream).Check("cuMemcpyDtoDAsync_v2", $"{bytes} bytes");
    }

    public void SetBytes(ulong destination, byte value, long count)
    {
        MakeCurrent();
        CudaDriverApi.cuMemsetD8Async(destination, value, (nuint)count, stream).Check("cuMemsetD8Async", $"{count} bytes");
    }

    public void SetWords(ulong destination, uint value, long count)
    {
        MakeCurrent();
        CudaDriverApi.cuMemsetD32Async(destination, value, (nuint)count, stream).Check("cuMemsetD32Async", $"{count} words");
    }

    public KernelFunction Function(string module, string name)
    {
        lock (gate)
        {
            if (functions.TryGetValue(name, out var known)) return known;
            MakeCurrent();
            if (!modules.TryGetValue(module, out var loaded))
            {
                loaded = LoadModule(module);
                modules[module] = loaded;
            }
            IntPtr handle;
            CudaDriverApi.cuModuleGetFunction(&handle, loaded, name).Check("cuModuleGetFunction", $"kernel {name} in kernels/{module}.cu");
            var function = new KernelFunction(name, handle);
            functions[name] = function;
            return function;
        }
    }

    private IntPtr LoadModule(string module)
    {
        int architecture = NvrtcCompiler.Architecture(Properties.ComputeCapabilityMajor, Properties.ComputeCapabilityMinor);
        string[] options = [$"--gpu-architecture=compute_{architecture}", "--std=c++17"];
        string source = KernelSources.Module(module);
        var headers = KernelSources.Headers.ToArray();
        var ptx = PtxCache.GetOrCompile(PtxCache.Folder, module, source, headers, options, NvrtcCompiler.Version(),
            () => NvrtcCompiler.Compile(module + ".cu", source, headers, options));
        var image = new byte[ptx.Length + 1];
        ptx.CopyTo(image, 0);
        IntPtr loaded;
        fixed (byte* p = image) CudaDriverApi.cuModuleLoadData(&loaded, p).Check("cuModuleLoadData", $"kernels/{module}.cu for compute_{architecture}");
        return loaded;
    }

    public void Launch(KernelFunction function, in LaunchShape shape, in KernelArguments arguments)
    {
        MakeCurrent();
        fixed (KernelArguments* packed = &arguments)
        {
            void** pointers = stackalloc void*[KernelArguments.MaxParameters];
            uint* sizes = stackalloc uint[KernelArguments.MaxParameters];
            KernelArguments.Describe(packed, pointers, sizes);
            CudaDriverApi.cuLaunchKernel(function.Handle, shape.Grid.X, shape.Grid.Y, shape.Grid.Z, shape.Block.X, shape.Block.Y, shape.Block.Z,
                (uint)shape.SharedBytes, stream, pointers, null).Check($"cuLaunchKernel({function.Name})", shape.ToString());
        }
    }

    public void Gemm(in GemmCall call)
    {
        MakeCurrent();
        int transa = call.TransposeA ? CublasApi.OperationT : CublasApi.OperationN;
        int transb = call.TransposeB ? CublasApi.OperationT : CublasApi.OperationN;
        CublasStatus status;
        if (call.DType == DType.F32)
        {
            float alpha = (float)call.Alpha, beta = (float)call.Beta;
            status = call.Batch == 1
                ? CublasApi.cublasSgemm(cublas, transa, transb, call.M, call.N, call.K, &alpha, call.A, call.Lda, call.B, call.Ldb, &beta, call.C, call.Ldc)
                : CublasApi.cublasSgemmStridedBatched(cublas, transa, transb, call.M, call.N, call.K, &alpha, call.A, call.Lda, call.StrideA,
                    call.B, call.Ldb, call.StrideB, &beta, call.C, call.Ldc, call.StrideC, call.Batch);
        }
        else
        {
            double alpha = call.Alpha, beta = call.Beta;
            status = call.Batch == 1
                ? CublasApi.cublasDgemm(cublas, transa, transb, call.M, call.N, call.K, &alpha, call.A, call.Lda, call.B, call.Ldb, &beta, call.C, call.Ldc)
                : CublasApi.cublasDgemmStridedBatched(cublas, transa, transb, call.M, call.N, call.K, &alpha, call.A, call.Lda, call.StrideA,
                    call.B, call.Ldb, call.StrideB, &beta, call.C, call.Ldc, call.StrideC, call.Batch);
        }
        status.Check(call.Batch == 1 ? "cublas" + (call.DType == DType.F32 ? "S" : "D") + "gemm_v2" : "cublas" + (call.DType == DType.F32 ? "S" : "D") + "gemmStridedBatched",
            call.Describe());
    }

    public void Synchronize()
    {
        MakeCurrent();
        CudaDriverApi.cuStreamSynchronize(stream).Check("cuStreamSynchronize");
    }

    public IntPtr CreateEvent()
    {
        MakeCurrent();
        IntPtr e;
        CudaDriverApi.cuEventCreate(&e, CudaDriverApi.EventDefault).Check("cuEventCreate");
        return e;
    }

    public void RecordEvent(IntPtr e)
    {
        MakeCurrent();
        CudaDriverApi.cuEventRecord(e, stream).Check("cuEventRecord");
    }

    public float ElapsedMilliseconds(IntPtr start, IntPtr end)
    {
        MakeCurrent();
        CudaDriverApi.cuEventSynchronize(end).Check("cuEventSynchronize");
        float milliseconds;
        CudaDriverApi.cuEventElapsedTime(&milliseconds, start, end).Check("cuEventElapsedTime");
        return milliseconds;
    }

    public void DestroyEvent(IntPtr e)
    {
        MakeCurrent();
        CudaDriverApi.cuEventDestroy(e).Check("cuEventDestroy_v2");
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        MakeCurrent();
        CudaDriverApi.cuStreamSynchronize(stream);
        staging.Dispose();
        cudnn?.Dispose();
        CublasApi.cublasDestroy(cublas);
        foreach (var module in modules.Values) CudaDriverApi.cuModuleUnload(module);
        CudaDriverApi.cuStreamDestroy(stream);
        CudaDriverApi.cuDevicePrimaryCtxRelease(device);
    }

    private void MakeCurrent()
    {
        if (currentContext == context) return;
        CudaDriverApi.cuCtxSetCurrent(context).Check("cuCtxSetCurrent");
        currentContext = context;
    }

    private static DeviceProperties ReadProperties(int handle)
    {
        int Attribute(DeviceAttribute attribute)
        {
            int value;
            CudaDriverApi.cuDeviceGetAttribute(&value, attribute, handle).Check("cuDeviceGetAttribute", attribute.ToString());
            return value;
        }
        var name = new byte[256];
        fixed (byte* p = name) CudaDriverApi.cuDeviceGetName(p, name.Length, handle).Check("cuDeviceGetName");
        nuint total;
        CudaDriverApi.cuDeviceTotalMem(&total, handle).Check("cuDeviceTotalMem_v2");
        return new DeviceProperties(
            Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0) is var end and >= 0 ? end : name.Length),
            Attribute(DeviceAttribute.ComputeCapabilityMajor),
            Attribute(DeviceAttribute.ComputeCapabilityMinor),
            Attribute(DeviceAttribute.MultiprocessorCount),
            Attribute(DeviceAttribute.MaxThreadsPerMultiprocessor),
            Attribute(DeviceAttribute.WarpSize),
            (long)total);
    }
}
