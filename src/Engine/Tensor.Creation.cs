using Engine.Backends;
using Engine.Ops;
using Engine.Random;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>An uninitialised contiguous tensor.</summary>
    internal static Tensor Empty(int[] shape, DType dtype, Device device)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Empty: negative dimension in shape {Shapes.Format(shape)}");
        var backend = BackendRegistry.For(device);
        if (Storage.HasAbandoned) Storage.ReclaimAbandoned();
        var storage = backend.Allocate(dtype, Shapes.NumElements(shape));
        return new Tensor(storage, (int[])shape.Clone(), Shapes.ContiguousStrides(shape), 0);
    }

    /// <summary>
    /// An uninitialised contiguous output of <paramref name="shape"/>, which it shares rather than copies: pass only
    /// arrays nobody mutates (tensors never change their shape arrays).
    /// </summary>
    internal static Tensor NewOutput(int[] shape, DType dtype, IBackend backend)
    {
        if (Storage.HasAbandoned) Storage.ReclaimAbandoned();
        var storage = backend.Allocate(dtype, Shapes.NumElements(shape));
        return new Tensor(storage, shape, Shapes.ContiguousStrides(shape), 0);
    }

    /// <summary>An uninitialised contiguous output with <paramref name="x"/>'s shape, dtype and device, sharing its shape (and strides when contiguous).</summary>
    internal static Tensor NewOutputLike(Tensor x)
    {
        if (!x.IsContiguous) return NewOutput(x.shape, x.DType, x.Backend);
        if (Storage.HasAbandoned) Storage.ReclaimAbandoned();
        var storage = x.Backend.Allocate(x.DType, x.NumElements);
        return new Tensor(storage, x.shape, x.strides, 0);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (1-D when omitted).</summary>
    public static Tensor From<T>(T[] data, int[]? shape = null, Device? device = null) where T : unmanaged
    {
        shape ??= [data.Length];
        if (Shapes.NumElements(shape) != data.Length)
            throw new ArgumentException($"From: {data.Length} values do not fill shape {Shapes.Format(shape)}");
        var tensor = Empty(shape, DTypeExtensions.Of<T>(), device ?? Device.Cpu);
        tensor.Backend.Upload<T>(data, tensor.storage);
        return tensor;
    }

    /// <summary>A tensor from a float array with the given shape.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => From(data, shape.Length == 0 ? null : shape);

    /// <summary>A tensor from a double array with the given shape.</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => From(data, shape.Length == 0 ? null : shape);

    /// <summary>A tensor from a 2-D array.</summary>
    public static Tensor From<T>(T[,] data, Device? device = null) where T : unmanaged
    {
        var flat = new T[data.Length];
        int columns = data.GetLength(1), i = 0;
        for (int r = 0; r < data.GetLength(0); r++)
            for (int c = 0; c < columns; c++) flat[i++] = data[r, c];
        return From(flat, [data.GetLength(0), columns], device);
    }

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.F32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.F32, Device? device = null)
    {
        var tensor = Empty(shape, dtype, device ?? Device.Cpu);
        try
        {
            tensor.Backend.Fill(tensor.Buffer, value);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        return tensor;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.F32, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.F32, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary>Zeros with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike()
    {
        ThrowIfDisposed();
        return Zeros(Dims, DType, Device);
    }

    /// <summary>Ones with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike()
    {
        ThrowIfDisposed();
        return Ones(Dims, DType, Device);
    }

    /// <summary>Values start, start + step, ... below <paramref name="end"/> (above it for a negative step), like <c>torch.arange</c>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.F32, Device? device = null)
    {
        if (step == 0 || !double.IsFinite(step)) throw new ArgumentException($"Arange: step must be finite and non-zero, got {step}");
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"Arange: start and end must be finite, got {start} and {end}");
        double steps = Math.Ceiling((end - start) / step);
        if (steps > int.MaxValue)
            throw new ArgumentException($"Arange: [{start}, {end}) in steps of {step} has {steps} elements, more than a dimension can hold ({int.MaxValue})");
        int count = Math.Max(0, (int)steps);
        var tensor = Empty([count], dtype, device ?? Device.Cpu);
        tensor.Backend.Arange(tensor.Buffer, start, step);
        return tensor;
    }

    /// <summary>The I64 values 0, 1, ..., end - 1 on the CPU, like <c>torch.arange(end)</c>.</summary>
    public static Tensor Arange(long end) => Arange(0, end, 1, DType.I64);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive, like <c>torch.linspace</c>.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.F32, Device? device = null)
    {
        if (steps < 0) throw new ArgumentException($"Linspace: steps must be non-negative, got {steps}");
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"Linspace: start and end must be finite, got {start} and {end}");
        var tensor = Empty([steps], dtype, device ?? Device.Cpu);
        tensor.Backend.Arange(tensor.Buffer, start, steps > 1 ? (end - start) / (steps - 1) : 0);
        return tensor;
    }

    /// <summary>An n x m matrix with ones on the diagonal (m defaults to n).</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.F32, Device? device = null)
    {
        int columns = m ?? n;
        var tensor = Zeros([n, columns], dtype, device);
        tensor.Backend.Fill(new BufferView(tensor.Storage, [Math.Min(n, columns)], [columns + 1], 0), 1);
        return tensor;
    }

    /// <summary>Uniform values in [0, 1) from <paramref name="generator"/> (the thread's default when null).</summary>
    public static Tensor Rand(int[] shape, DType dtype = DType.F32, Generator? generator = null, Device? device = null) =>
        Random(shape, dtype, generator, device, RandomDistribution.Uniform);

    /// <summary>Standard normal values from <paramref name="generator"/> (the thread's default when null).</summary>
    public static Tensor Randn(int[] shape, DType dtype = DType.F32, Generator? generator = null, Device? device = null) =>
        Random(shape, dtype, generator, device, RandomDistribution.Normal);

    private static Tensor Random(int[] shape, DType dtype, Generator? generator, Device? device, RandomDistribution distribution)
    {
        if (!dtype.IsFloating()) throw new ArgumentException($"{distribution}: random tensors must be F32 or F64, got {dtype}");
        generator ??= Generator.Default;
        var tensor = Empty(shape, dtype, device ?? Device.Cpu);
        var (seed, offset) = generator.Advance(tensor.NumElements);
        tensor.Backend.Random(tensor.Buffer, distribution, seed, offset);
        return tensor;
    }
}
