using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed partial class CudaBackend
{
    /// <summary>
    /// y = x / (1 - p) where the uniform value <see cref="Random"/> draws for the element at (seed, offset) is at least p,
    /// else 0 (kernels/random.cu's dropout_: the CPU's mask bit for bit); x any strides, y contiguous.
    /// </summary>
    public void Dropout(BufferView x, BufferView y, double p, ulong seed, ulong offset)
    {
        RequireContiguous("Dropout", y);
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(seed);
        arguments.Add(offset);
        arguments.Add(p);
        arguments.Add(p >= 1 ? 0 : 1 / (1 - p));
        arguments.Add(KernelLayout.Of(y.Shape, x));
        arguments.Add(Address(x));
        arguments.Add(Address(y));
        Launch(KernelNames.Random, $"dropout_{KernelNames.Suffix(y.DType)}", launch.Elementwise((n + 3) / 4), arguments);
    }
}
