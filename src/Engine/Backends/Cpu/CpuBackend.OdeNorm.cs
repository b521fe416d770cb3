using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    /// <summary>Elements per block of the fused norm: the scale, one error and its widened copy stay in L1.</summary>
    private const int NormBlock = 1024;

    public void ScaledErrorRms(BufferView[][] terms, double[,] coefficients, BufferView[] y0, BufferView[] y1, double rtol, double atol, BufferView y)
    {
        int estimates = coefficients.GetLength(0);
        var result = Address<double>(y, y.Offset);
        for (int j = 0; j < y0.Length; j++)
        {
            var sums = y0[j].DType == DType.F32
                ? SquaredScaledErrors<float>(terms[j], coefficients, y0[j], y1[j], rtol, atol)
                : SquaredScaledErrors<double>(terms[j], coefficients, y0[j], y1[j], rtol, atol);
            long count = y0[j].Count;
            for (int e = 0; e < estimates; e++)
                result[j * estimates + e] = count == 0 ? 0 : Math.Sqrt(sums[e] / count);
        }
    }

    /// <summary>Sum over the elements of (error_e / scale)^2 for each estimate e, in double.</summary>
    private static double[] SquaredScaledErrors<T>(BufferView[] terms, double[,] coefficients, BufferView y0, BufferView y1, double rtol, double atol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool contiguous = y0.IsContiguous && y1.IsContiguous && Array.TrueForAll(terms, t => t.IsContiguous);
        return contiguous
            ? ContiguousSquaredErrors<T>(terms, coefficients, y0, y1, rtol, atol)
            : StridedSquaredErrors<T>(terms, coefficients, y0, y1, rtol, atol);
    }

    private static double[] ContiguousSquaredErrors<T>(BufferView[] terms, double[,] coefficients, BufferView y0, BufferView y1, double rtol, double atol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int estimates = coefficients.GetLength(0);
        var c = new T[estimates, terms.Length];
        for (int e = 0; e < estimates; e++)
            for (int i = 0; i < terms.Length; i++) c[e, i] = T.CreateTruncating(coefficients[e, i]);
        T relative = T.CreateTruncating(rtol), absolute = T.CreateTruncating(atol);

        long count = y0.Count, blocks = (count + NormBlock - 1) / NormBlock;
        int workers = count >= StridedLoop.ParallelThreshold ? Environment.ProcessorCount : 1;
        long perWorker = (blocks + workers - 1) / workers;
        var partial = new double[workers, estimates];
        StridedLoop.Parallelize(workers, w =>
        {
            Span<T> scale = stackalloc T[NormBlock];
            Span<T> error = stackalloc T[NormBlock];
            Span<double> wide = stackalloc double[NormBlock];
            for (long block = w * perWorker; block < Math.Min(blocks, (w + 1) * perWorker); block++)
            {
                long start = block * NormBlock;
                int n = (int)Math.Min(NormBlock, count - start);
                var s = scale[..n];
                var err = error[..n];
                TensorPrimitives.Abs(Row<T>(y0, start, n), s);
                TensorPrimitives.Abs(Row<T>(y1, start, n), err);
                TensorPrimitives.Max(s, err, s);
                TensorPrimitives.Multiply(s, relative, s);
                TensorPrimitives.Add(s, absolute, s);
                for (int e = 0; e < estimates; e++)
                {
                    err.Clear();
                    for (int i = 0; i < terms.Length; i++)
                        if (c[e, i] != T.Zero) TensorPrimitives.MultiplyAdd(Row<T>(terms[i], start, n), c[e, i], err, err);
                    TensorPrimitives.Divide(err, s, err);
                    partial[w, e] += SumOfSquaresInDouble<T>(err, wide[..n]);
                }
            }
        });
        var sums = new double[estimates];
        for (int w = 0; w < workers; w++)
            for (int e = 0; e < estimates; e++) sums[e] += partial[w, e];
        return sums;
    }

    private static ReadOnlySpan<T> Row<T>(BufferView view, long start, int n) where T : unmanaged =>
        new(Address<T>(view, view.Offset + start), n);

    private static double SumOfSquaresInDouble<T>(ReadOnlySpan<T> values, Span<double> wide) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return TensorPrimitives.SumOfSquares(MemoryMarshal.Cast<T, double>(values));
        TensorPrimitives.ConvertTruncating<T, double>(values, wide);
        return TensorPrimitives.SumOfSquares<double>(wide);
    }

    /// <summary>The same sums for views with any strides, element by element in double.</summary>
    private static double[] StridedSquaredErrors<T>(BufferView[] terms, double[,] coefficients, BufferView y0, BufferView y1, double rtol, double atol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int estimates = coefficients.GetLength(0), count = terms.Length;
        var sums = new double[estimates];
        BufferView[] operands = [.. terms, y0, y1];
        StridedLoop.Run(y0.Shape, operands, (o, n, s) =>
        {
            var p = new T*[operands.Length];
            for (int k = 0; k < operands.Length; k++) p[k] = (T*)operands[k].Storage.Pointer;
            for (long x = 0; x < n; x++)
            {
                double a = double.CreateTruncating(p[count][o[count] + x * s[count]]);
                double b = double.CreateTruncating(p[count + 1][o[count + 1] + x * s[count + 1]]);
                double scale = atol + rtol * Math.Max(Math.Abs(a), Math.Abs(b));
                for (int e = 0; e < estimates; e++)
                {
                    double error = 0;
                    for (int i = 0; i < count; i++)
                        error += coefficients[e, i] * double.CreateTruncating(p[i][o[i] + x * s[i]]);
                    double q = error / scale;
                    sums[e] += q * q;
                }
            }
        }, parallel: false);
        return sums;
    }
}
