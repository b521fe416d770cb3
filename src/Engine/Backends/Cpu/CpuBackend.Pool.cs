using System.Numerics;
using System.Runtime.InteropServices;
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
        var (rows, columns) = (windows.Rows, windows.Columns);
        long inPlane = (long)rows.Size * columns.Size, outPlane = (long)rows.Outputs * columns.Outputs;
        ForEachPlane(x, (long)x.Count, plane =>
        {
            T* image = source + plane * inPlane;
            long o = plane * outPlane;
            for (int i = 0; i < rows.Outputs; i++)
                for (int j = 0; j < columns.Outputs; j++, o++)
                {
                    T best = T.NegativeInfinity;
                    long at = -1;
                    for (int a = 0; a < rows.Taps[i]; a++)
                    {
                        int row = rows.Starts[i] + a * rows.Step;
                        if ((uint)row >= (uint)rows.Size) continue;
                        for (int b = 0; b < columns.Taps[j]; b++)
                        {
                            int column = columns.Starts[j] + b * columns.Step;
                            if ((uint)column >= (uint)columns.Size) continue;
                            T value = image[(long)row * columns.Size + column];
                            if (value > best || T.IsNaN(value) && !T.IsNaN(best) || at < 0)
                            {
                                best = value;
                                at = (long)row * columns.Size + column;
                            }
                        }
                    }
                    target[o] = best;
                    positions[o] = at;
                }
        });
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
        var (rows, columns) = (windows.Rows, windows.Columns);
        long inPlane = (long)rows.Size * columns.Size, outPlane = (long)rows.Outputs * columns.Outputs;
        ForEachPlane(x, x.Count, plane =>
        {
            T* image = source + plane * inPlane;
            long o = plane * outPlane;
            for (int i = 0; i < rows.Outputs; i++)
                for (int j = 0; j < columns.Outputs; j++, o++)
                {
                    var (rowFrom, rowTo) = rows.Inside(i);
                    var (columnFrom, columnTo) = columns.Inside(j);
                    T sum = T.Zero;
                    for (int row = rowFrom; row < rowTo; row++)
                        for (int column = columnFrom; column < columnTo; column++) sum += image[(long)row * columns.Size + column];
                    target[o] = sum / T.CreateTruncating(rows.Divisors[i] * columns.Divisors[j]);
                }
        });
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
        var (rows, columns) = (windows.Rows, windows.Columns);
        long inPlane = (long)rows.Size * columns.Size, outPlane = (long)rows.Outputs * columns.Outputs;
        ForEachPlane(gx, gx.Count, plane =>
        {
            T* image = target + plane * inPlane;
            NativeMemory.Clear(image, (nuint)(inPlane * sizeof(T)));
            long o = plane * outPlane;
            for (int i = 0; i < rows.Outputs; i++)
                for (int j = 0; j < columns.Outputs; j++, o++)
                {
                    var (rowFrom, rowTo) = rows.Inside(i);
                    var (columnFrom, columnTo) = columns.Inside(j);
                    T share = source[o] / T.CreateTruncating(rows.Divisors[i] * columns.Divisors[j]);
                    for (int row = rowFrom; row < rowTo; row++)
                        for (int column = columnFrom; column < columnTo; column++) image[(long)row * columns.Size + column] += share;
                }
        });
    }

    /// <summary>Runs <paramref name="body"/> for each of the N C planes of a [N, C, H, W] view, statically split over the cores.</summary>
    private static void ForEachPlane(BufferView image, long elements, Action<long> body)
    {
        long planes = (long)image.Shape[0] * image.Shape[1];
        int workers = (int)Math.Min(planes, elements >= StridedLoop.ParallelThreshold ? Environment.ProcessorCount : 1);
        StridedLoop.Parallelize(Math.Max(1, workers), w =>
        {
            for (long plane = planes * w / workers; plane < planes * (w + 1) / workers; plane++) body(plane);
        });
    }
}
