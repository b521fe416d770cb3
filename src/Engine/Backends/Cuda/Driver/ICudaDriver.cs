namespace Engine.Backends.Cuda.Driver;

/// <summary>
/// Everything the CUDA backend asks of a device: memory, copies, kernels looked up by name and launched on the
/// device's one stream, and cuBLAS's GEMM. Work is queued in call order on that stream; only
/// <see cref="CopyToHost"/>, <see cref="Synchronize"/> and <see cref="ElapsedMilliseconds"/> wait for it.
/// Implemented by <see cref="CudaDriver"/> (a real GPU) and <see cref="Emulator.EmulatedDriver"/> (the kernels
/// compiled for the host), so everything above this interface runs in CI.
/// </summary>
internal unsafe interface ICudaDriver : IDisposable
{
    DeviceProperties Properties { get; }

    /// <summary>True for the emulated device.</summary>
    bool IsEmulated { get; }

    /// <summary>Device memory of <paramref name="bytes"/> bytes, 256-byte aligned; false when the device has none left.</summary>
    bool TryAllocate(long bytes, out ulong pointer);

    void Free(ulong pointer);

    /// <summary>Queues a copy of host memory to the device; the source may be reused as soon as this returns.</summary>
    void CopyToDevice(ulong destination, void* source, long bytes);

    /// <summary>Waits for queued work, then copies device memory to the host.</summary>
    void CopyToHost(void* destination, ulong source, long bytes);

    void CopyOnDevice(ulong destination, ulong source, long bytes);

    void SetBytes(ulong destination, byte value, long count);

    void SetWords(ulong destination, uint value, long count);

    /// <summary>The kernel <paramref name="name"/> of the kernel file <paramref name="module"/> (compiled and loaded at first use).</summary>
    KernelFunction Function(string module, string name);

    void Launch(KernelFunction function, in LaunchShape shape, in KernelArguments arguments);

    /// <summary>One cuBLAS GEMM (strided batched when <see cref="GemmCall.Batch"/> exceeds 1) with cuBLAS's column-major contract.</summary>
    void Gemm(in GemmCall call);

    /// <summary>
    /// cuDNN's convolutions on the device's stream, or null when the backend runs its own convolution kernels (the
    /// emulator, no usable cuDNN 9, or <c>ENGINE_CUDNN=0</c>; <see cref="ConvolutionLibrary"/> says which).
    /// </summary>
    CudnnConvolutions? Cudnn { get; }

    /// <summary>What computes convolutions: "cuDNN 9.x.y", or the own kernels and why cuDNN is not used.</summary>
    string ConvolutionLibrary { get; }

    /// <summary>Whether F32 GEMMs may use TF32 tensor cores (cuBLAS math mode); the emulator ignores it.</summary>
    bool AllowTf32 { get; set; }

    void Synchronize();

    /// <summary>An event for timing device work.</summary>
    IntPtr CreateEvent();

    void RecordEvent(IntPtr e);

    /// <summary>Waits for <paramref name="end"/> and returns the device time between the two events.</summary>
    float ElapsedMilliseconds(IntPtr start, IntPtr end);

    void DestroyEvent(IntPtr e);
}
