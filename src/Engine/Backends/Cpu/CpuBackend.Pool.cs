using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void MaxPool2d(BufferView x, BufferView y, BufferView indices, Pool2dWindows windows)
    {
        if (x.DType == DType.F32) MaxPool2dOf<float>(x, y, indices, windows);
        else MaxPool2dOf<double>(x, y, indices, windows);
    }

    private void MaxPool2dOf<T>(BufferView x, BufferView y, BufferView indices, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireContiguous("MaxPool2d", y);
        RequireContiguous("MaxPool2d", indices);
        using var input = new ContiguousInput<T>(this, x);
        T* source = input.Pointer, target = Address<T>(y, y.Offset);
        long* positions = Address<long>(indices, indices.Offset);
        long inPlane = (long)windows.Rows.Size * windows.Columns.Size, outPlane = (long)windows.Rows.Outputs * windows.Columns.Outputs;
        ForEachPlane(x, x.Count, plane => MaxPoolPlane(source + plane * inPlane, target + plane * outPlane, positions + plane * outPlane, windows));
    }

    /// <summary>The maximum (NaN wins, the first on ties) of every window of one plane, and where it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxPoolPlane<T>(T* image, T* target, long* positions, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, columns) = (windows.Rows, windows.Columns);
        int width = columns.Size, rowStep = rows.Step, columnStep = columns.Step;
        bool vectors = typeof(T) == typeof(float) && Avx2.IsSupported;
        long o = 0;
        for (int i = 0; i < rows.Outputs; i++)
        {
            var (rowFrom, rowTo) = rows.Reach(i);
            bool rowInside = vectors && rows.Inside(i);
            for (int j = 0; j < columns.Outputs; j++, o++)
            {
                if (rowInside && j + 8 <= columns.Outputs && columns.Inside(j) && columns.Inside(j + 7))
                {
                    MaxPoolEight((float*)image, (float*)target + o, positions + o, rows, columns, i, j);
                    j += 7;
                    o += 7;
                    continue;
                }
                var (columnFrom, columnTo) = columns.Reach(j);
                long at = (long)rowFrom * width + columnFrom;
                T best = image[at];
                for (int row = rowFrom; row < rowTo; row += rowStep)
                {
                    T* line = image + (long)row * width;
                    for (int column = columnFrom; column < columnTo; column += columnStep)
                    {
                        T value = line[column];
                        if (value > best || T.IsNaN(value) && !T.IsNaN(best))
                        {
                            best = value;
                            at = (long)row * width + column;
                        }
                    }
                }
                target[o] = best;
                positions[o] = at;
            }
        }
    }

    /// <summary>
    /// Windows (i, j) to (i, j + 7), all inside the input, in AVX2 registers: each tap is one gather of eight values and
    /// a masked blend of the values and their positions, the same choice as the scalar loop without its branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxPoolEight(float* image, float* target, long* positions, PoolAxis rows, PoolAxis columns, int i, int j)
    {
        int width = columns.Size, stride = columns.Starts[j + 1] - columns.Starts[j];
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride + Vector256.Create(columns.Starts[j]);
        var best = Vector256.Create(float.NegativeInfinity);
        var at = lanes + Vector256.Create(rows.Starts[i] * width);
        for (int a = 0; a < rows.Taps[i]; a++)
        {
            int row = rows.Starts[i] + a * rows.Step;
            float* line = image + (long)row * width;
            for (int b = 0; b < columns.Taps[j]; b++)
            {
                var column = lanes + Vector256.Create(b * columns.Step);
                var value = Avx2.GatherVector256(line, column, 4);
                var take = Avx.Or(Avx.CompareGreaterThan(value, best), Avx.AndNot(Avx.CompareUnordered(best, best), Avx.CompareUnordered(value, value)));
                best = Avx.BlendVariable(best, value, take);
                at = Avx.BlendVariable(at.AsSingle(), (column + Vector256.Create(row * width)).AsSingle(), take).AsInt32();
            }
        }
        Avx.Store(target, best);
        Avx.Store(positions, Avx2.ConvertToVector256Int64(at.GetLower()));
        Avx.Store(positions + 4, Avx2.ConvertToVector256Int64(at.GetUpper()));
    }

    public void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dWindows windows)
    {
        if (gy.DType == DType.F32) MaxPool2dBackwardOf<float>(gy, indices, gx);
        else MaxPool2dBackwardOf<double>(gy, indices, gx);
    }

    private void MaxPool2dBackwardOf<T>(BufferView gy, BufferView indices, BufferView gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireContiguous("MaxPool2dBackward", gx);
        using var outputGradient = new ContiguousInput<T>(this, gy);
        using var positions = new ContiguousInput<long>(this, indices);
        T* source = outputGradient.Pointer, target = Address<T>(gx, gx.Offset);
        long* at = positions.Pointer;
        long inPlane = (long)gx.Shape[2] * gx.Shape[3], outPlane = (long)gy.Shape[2] * gy.Shape[3];
        ForEachPlane(gx, gx.Count, plane => ScatterPlane(source + plane * outPlane, at + plane * outPlane, outPlane, target + plane * inPlane, inPlane));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterPlane<T>(T* gradient, long* positions, long count, T* image, long size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NativeMemory.Clear(image, (nuint)(size * sizeof(T)));
        for (long o = 0; o < count; o++) image[positions[o]] += gradient[o];
    }

    public void AvgPool2d(BufferView x, BufferView y, Pool2dWindows windows)
    {
        if (x.DType == DType.F32) AvgPool2dOf<float>(x, y, windows);
        else AvgPool2dOf<double>(x, y, windows);
    }

    private void AvgPool2dOf<T>(BufferView x, BufferView y, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireContiguous("AvgPool2d", y);
        using var input = new ContiguousInput<T>(this, x);
        T* source = input.Pointer, target = Address<T>(y, y.Offset);
        long inPlane = (long)windows.Rows.Size * windows.Columns.Size, outPlane = (long)windows.Rows.Outputs * windows.Columns.Outputs;
        ForEachPlane(x, x.Count, plane => AvgPoolPlane(source + plane * inPlane, target + plane * outPlane, windows));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AvgPoolPlane<T>(T* image, T* target, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, columns) = (windows.Rows, windows.Columns);
        int width = columns.Size;
        long o = 0;
        for (int i = 0; i < rows.Outputs; i++)
        {
            var (rowFrom, rowTo) = rows.Reach(i);
            for (int j = 0; j < columns.Outputs; j++, o++)
            {
                var (columnFrom, columnTo) = columns.Reach(j);
                T sum = T.Zero;
                for (int row = rowFrom; row < rowTo; row++)
                    for (int column = columnFrom; column < columnTo; column++) sum += image[(long)row * width + column];
                target[o] = sum / T.CreateTruncating(rows.Divisors[i] * columns.Divisors[j]);
            }
        }
    }

    public void AvgPool2dTranspose(BufferView gy, BufferView gx, Pool2dWindows windows)
    {
        if (gy.DType == DType.F32) AvgPool2dTransposeOf<float>(gy, gx, windows);
        else AvgPool2dTransposeOf<double>(gy, gx, windows);
    }

    private void AvgPool2dTransposeOf<T>(BufferView gy, BufferView gx, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireContiguous("AvgPool2dTranspose", gx);
        using var outputGradient = new ContiguousInput<T>(this, gy);
        T* source = outputGradient.Pointer, target = Address<T>(gx, gx.Offset);
        long inPlane = (long)windows.Rows.Size * windows.Columns.Size, outPlane = (long)windows.Rows.Outputs * windows.Columns.Outputs;
        ForEachPlane(gx, gx.Count, plane => AvgPoolTransposePlane(source + plane * outPlane, target + plane * inPlane, inPlane, windows));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AvgPoolTransposePlane<T>(T* gradient, T* image, long size, Pool2dWindows windows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, columns) = (windows.Rows, windows.Columns);
        int width = columns.Size;
        NativeMemory.Clear(image, (nuint)(size * sizeof(T)));
        long o = 0;
        for (int i = 0; i < rows.Outputs; i++)
        {
            var (rowFrom, rowTo) = rows.Reach(i);
            for (int j = 0; j < columns.Outputs; j++, o++)
            {
                var (columnFrom, columnTo) = columns.Reach(j);
                T share = gradient[o] / T.CreateTruncating(rows.Divisors[i] * columns.Divisors[j]);
                for (int row = rowFrom; row < rowTo; row++)
                    for (int column = columnFrom; column < columnTo; column++) image[(long)row * width + column] += share;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> for each of the N C planes of a [N, C, H, W] view, in chunks shared out over the cores.</summary>
    private static void ForEachPlane(BufferView image, long elements, Action<long> body)
    {
        long planes = (long)image.Shape[0] * image.Shape[1];
        WorkChunks.Run(planes, WorkChunks.Count(planes, elements >= StridedLoop.ParallelThreshold), (_, first, last) =>
        {
            for (long plane = first; plane < last; plane++) body(plane);
        });
    }
}
