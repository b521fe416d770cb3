using Engine.Backends.Cuda.Driver;
using Engine.Memory;

namespace Engine.Backends.Cuda;

/// <summary>
/// The CUDA backend: storages from a <see cref="CachingAllocator"/>, every op a kernel from kernels/*.cu (found by
/// op and dtype name, e.g. <c>exp_f32</c>) or a cuBLAS GEMM, queued on the device's one stream through an
/// <see cref="ICudaDriver"/>. Nothing waits for the device except copies to the host; errors that kernels find
/// (a bad index) are read back and thrown at that point.
/// </summary>
internal sealed unsafe partial class CudaBackend : IBackend
{
    private readonly ICudaDriver driver;
    private readonly CachingAllocator allocator;
    private readonly LaunchConfig launch;

    public CudaBackend(Device device, ICudaDriver driver)
    {
        Device = device;
        this.driver = driver;
        allocator = new CachingAllocator(driver, device, poison: driver.IsEmulated);
        launch = new LaunchConfig(driver.Properties);
        errorRecord = allocator.Allocate(sizeof(DeviceErrorRecord));
        driver.SetBytes(errorRecord, 0, sizeof(DeviceErrorRecord));
    }

    public Device Device { get; }
    public IMemoryStats Memory => allocator;
    public DeviceProperties Properties => driver.Properties;
    public bool IsEmulated => driver.IsEmulated;
    internal ICudaDriver Driver => driver;

    public Storage Allocate(DType dtype, long length)
    {
        long bytes = Math.Max(1, length) * dtype.ElementSize();
        return new Storage(this, dtype, length, (IntPtr)(long)allocator.Allocate(bytes));
    }

    public void Free(Storage storage) => allocator.Free((ulong)(long)storage.Pointer);

    public void FreeAbandoned(Storage storage) => allocator.FreeAbandoned((ulong)(long)storage.Pointer);

    public void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged
    {
        CheckElementType<T>(destination.DType, "Upload");
        if (source.Length > destination.Length)
            throw new ArgumentException($"Upload: {source.Length} elements do not fit a storage of {destination.Length} on {Device}");
        if (source.IsEmpty) return;
        fixed (T* pointer = source) driver.CopyToDevice((ulong)(long)destination.Pointer, pointer, (long)source.Length * sizeof(T));
    }

    public void Download<T>(BufferView source, Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>(source.DType, "Download");
        if (!source.IsContiguous) throw new ArgumentException($"Download: the source view on {Device} must be contiguous");
        long count = source.Count;
        if (count > 0)
            fixed (T* pointer = destination) driver.CopyToHost(pointer, Address(source), count * sizeof(T));
        ThrowDeviceErrors();
    }

    /// <summary>Waits for all queued work and throws what kernels reported.</summary>
    public void Synchronize()
    {
        driver.Synchronize();
        ThrowDeviceErrors();
    }

    /// <summary>Device address of the view's first element; the view must live on this device.</summary>
    private ulong Address(in BufferView view)
    {
        if (!ReferenceEquals(view.Storage.Backend, this))
            throw new ArgumentException($"{Device}: got a {view.DType} buffer on {view.Storage.Backend.Device}; operands of one op must be on one device");
        return (ulong)(long)view.Storage.Pointer + (ulong)(view.Offset * view.DType.ElementSize());
    }

    private void Launch(string module, string kernel, in LaunchShape shape, in KernelArguments arguments) =>
        driver.Launch(driver.Function(module, kernel), shape, arguments);

    /// <summary>A contiguous device buffer for intermediate results; release it with <see cref="Storage.Release"/>.</summary>
    private BufferView Temporary(DType dtype, int[] shape) => new(Allocate(dtype, Shapes.NumElements(shape)), shape, Shapes.ContiguousStrides(shape), 0);

    /// <summary>The view itself when contiguous, else a contiguous copy added to <paramref name="temporaries"/>.</summary>
    private BufferView Contiguous(BufferView view, List<Storage> temporaries)
    {
        if (view.IsContiguous) return view;
        var copy = Temporary(view.DType, view.Shape);
        Copy(view, copy);
        temporaries.Add(copy.Storage);
        return copy;
    }

    private static void CheckElementType<T>(DType dtype, string op) where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != dtype)
            throw new ArgumentException($"{op}: element type {typeof(T).Name} does not match storage dtype {dtype}");
    }

    private static void CheckShapes(string op, int[] a, int[] b)
    {
        if (!a.AsSpan().SequenceEqual(b))
            throw new ArgumentException($"{op}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} differ");
    }
}
