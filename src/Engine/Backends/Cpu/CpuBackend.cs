using System.Numerics;
using System.Runtime.CompilerServices;
using Engine.Memory;
using Engine.Ops;
using Engine.Random;

namespace Engine.Backends.Cpu;

/// <summary>
/// The reference backend: host memory from a pooled allocator, SIMD fast paths for contiguous rows,
/// general strided paths for everything else, parallel over the cores for large tensors.
/// </summary>
internal sealed unsafe partial class CpuBackend : IBackend
{
    private readonly CpuAllocator allocator = CpuAllocator.Shared;

    public static CpuBackend Instance { get; } = new();

    public Device Device => Device.Cpu;
    public IMemoryStats Memory => allocator;

    public Storage Allocate(DType dtype, long length)
    {
        return new Storage(this, dtype, length, allocator.Allocate(Math.Max(1, length) * dtype.ElementSize()));
    }

    public void Free(Storage storage) => allocator.Free(storage.Pointer, BlockBytes(storage));

    public void FreeAbandoned(Storage storage) => allocator.FreeAbandoned(storage.Pointer, BlockBytes(storage));

    private static long BlockBytes(Storage storage) => Math.Max(1, storage.Length) * storage.DType.ElementSize();

    public void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged
    {
        CheckElementType<T>(destination.DType, "Upload");
        if (source.Length > destination.Length)
            throw new ArgumentException($"Upload: {source.Length} elements do not fit a storage of {destination.Length}");
        source.CopyTo(new Span<T>((void*)destination.Pointer, source.Length));
    }

    public void Download<T>(BufferView source, Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>(source.DType, "Download");
        if (!source.IsContiguous)
            throw new ArgumentException("Download: the source view must be contiguous");
        new ReadOnlySpan<T>(Address<T>(source, source.Offset), checked((int)source.Count)).CopyTo(destination);
    }

    public void Fill(BufferView y, double value)
    {
        switch (y.DType)
        {
            case DType.F32: FillAs(y, (float)value); break;
            case DType.F64: FillAs(y, value); break;
            case DType.I32: FillAs(y, checked((int)value)); break;
            case DType.I64: FillAs(y, checked((long)value)); break;
        }
    }

    private static void FillAs<T>(BufferView y, T value) where T : unmanaged
    {
        var p = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [y], (o, n, s) =>
        {
            if (s[0] == 1) new Span<T>(p + o[0], (int)n).Fill(value);
            else for (long i = 0; i < n; i++) p[o[0] + i * s[0]] = value;
        });
    }

    public void Copy(BufferView x, BufferView y)
    {
        CheckShapes("Copy", x.Shape, y.Shape);
        if (x.DType == y.DType)
        {
            switch (x.DType.ElementSize())
            {
                case 4: CopySame<int>(x, y); break;
                default: CopySame<long>(x, y); break;
            }
            return;
        }
        switch (x.DType)
        {
            case DType.F32: CopyFrom<float>(x, y); break;
            case DType.F64: CopyFrom<double>(x, y); break;
            case DType.I32: CopyFrom<int>(x, y); break;
            case DType.I64: CopyFrom<long>(x, y); break;
        }
    }

    private static void CopySame<T>(BufferView x, BufferView y) where T : unmanaged
    {
        T* px = (T*)x.Storage.Pointer, py = (T*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            if (s[0] == 1 && s[1] == 1) new ReadOnlySpan<T>(px + o[0], (int)n).CopyTo(new Span<T>(py + o[1], (int)n));
            else for (long i = 0; i < n; i++) py[o[1] + i * s[1]] = px[o[0] + i * s[0]];
        });
    }

    private static void CopyFrom<TFrom>(BufferView x, BufferView y) where TFrom : unmanaged, INumber<TFrom>
    {
        switch (y.DType)
        {
            case DType.F32: Convert<TFrom, float>(x, y); break;
            case DType.F64: Convert<TFrom, double>(x, y); break;
            case DType.I32: Convert<TFrom, int>(x, y); break;
            case DType.I64: Convert<TFrom, long>(x, y); break;
        }
    }

    private static void Convert<TFrom, TTo>(BufferView x, BufferView y)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        TFrom* px = (TFrom*)x.Storage.Pointer;
        TTo* py = (TTo*)y.Storage.Pointer;
        StridedLoop.Run(y.Shape, [x, y], (o, n, s) =>
        {
            for (long i = 0; i < n; i++) py[o[1] + i * s[1]] = TTo.CreateTruncating(px[o[0] + i * s[0]]);
        });
    }

    public void Arange(BufferView y, double start, double step)
    {
        switch (y.DType)
        {
            case DType.F32: ArangeAs<float>(y, start, step); break;
            case DType.F64: ArangeAs<double>(y, start, step); break;
            case DType.I32: ArangeAs<int>(y, start, step); break;
            case DType.I64: ArangeAs<long>(y, start, step); break;
        }
    }

    private static void ArangeAs<T>(BufferView y, double start, double step) where T : unmanaged, INumber<T>
    {
        var p = Address<T>(y, y.Offset);
        for (long i = 0; i < y.Count; i++) p[i] = T.CreateTruncating(start + i * step);
    }

    public void Random(BufferView y, RandomDistribution distribution, ulong seed, ulong offset)
    {
        if (!y.IsContiguous) throw new ArgumentException("Random: the destination must be contiguous");
        long count = y.Count, blocks = (count + 3) / 4;
        int workers = count >= StridedLoop.ParallelThreshold ? Environment.ProcessorCount : 1;
        long perWorker = (blocks + workers - 1) / workers;
        StridedLoop.Parallelize(workers, w =>
        {
            long first = w * perWorker, last = Math.Min(blocks, first + perWorker);
            for (long b = first; b < last; b++)
                WriteRandomBlock(y, distribution, seed, offset, b, count);
        });
    }

    private static void WriteRandomBlock(BufferView y, RandomDistribution distribution, ulong seed, ulong offset, long block, long count)
    {
        Span<double> values = stackalloc double[4];
        UniformBlock(y.DType, seed, offset + (ulong)block, values);
        if (distribution == RandomDistribution.Normal)
        {
            (values[0], values[1]) = Philox.BoxMuller(values[0], values[1]);
            (values[2], values[3]) = Philox.BoxMuller(values[2], values[3]);
        }
        long start = block * 4;
        int n = (int)Math.Min(4, count - start);
        for (int i = 0; i < n; i++)
        {
            switch (y.DType)
            {
                case DType.F32: *Address<float>(y, y.Offset + start + i) = (float)values[i]; break;
                case DType.F64: *Address<double>(y, y.Offset + start + i) = values[i]; break;
                default: throw new ArgumentException($"Random: dtype {y.DType} is not floating");
            }
        }
    }

    /// <summary>
    /// The four uniform values of one Philox counter for <paramref name="dtype"/>: F32 uses one 32-bit word each; F64 two
    /// words each, the second pair of elements from the counter under the key ~seed.
    /// </summary>
    private static void UniformBlock(DType dtype, ulong seed, ulong counter, Span<double> values)
    {
        var (r0, r1, r2, r3) = Philox.Block(counter, seed);
        if (dtype == DType.F32)
        {
            values[0] = Philox.ToUniformFloat(r0);
            values[1] = Philox.ToUniformFloat(r1);
            values[2] = Philox.ToUniformFloat(r2);
            values[3] = Philox.ToUniformFloat(r3);
            return;
        }
        values[0] = Philox.ToUniformDouble(r0, r1);
        values[1] = Philox.ToUniformDouble(r2, r3);
        var (s0, s1, s2, s3) = Philox.Block(counter, ~seed);
        values[2] = Philox.ToUniformDouble(s0, s1);
        values[3] = Philox.ToUniformDouble(s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T* Address<T>(BufferView view, long element) where T : unmanaged => (T*)view.Storage.Pointer + element;

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
