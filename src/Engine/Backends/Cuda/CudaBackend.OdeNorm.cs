using System.Runtime.InteropServices;
using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>kernels/odenorm.cu's ErrorTerms: up to 16 term pointers and a coefficient row for each of up to 4 estimates.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ErrorTerms
    {
        public const int MaxTerms = 16, MaxEstimates = 4;
        public fixed ulong X[MaxTerms];
        public fixed double C[MaxEstimates * MaxTerms];
        public int Count;
        public int Estimates;
    }

    /// <summary>
    /// Per component: one kernel sums the squared scaled errors per block, a second folds the blocks in order (so the
    /// norm does not depend on scheduling). Strided operands are copied to contiguous temporaries; with more terms or
    /// estimates than one launch takes, each error estimate is first formed by the linear combination kernel.
    /// </summary>
    public void ScaledErrorRms(BufferView[][] terms, double[,] coefficients, BufferView[] y0, BufferView[] y1, double rtol, double atol, BufferView y)
    {
        int estimates = coefficients.GetLength(0);
        var temporaries = new List<Storage>();
        try
        {
            for (int j = 0; j < y0.Length; j++)
            {
                var (xs, c) = terms[j].Length <= ErrorTerms.MaxTerms && estimates <= ErrorTerms.MaxEstimates
                    ? (terms[j].Select(view => Contiguous(view, temporaries)).ToArray(), coefficients)
                    : (ErrorEstimates(terms[j], coefficients, temporaries), Identity(estimates));
                ScaledErrorRmsOf(xs, c, Contiguous(y0[j], temporaries), Contiguous(y1[j], temporaries), rtol, atol, y.Narrow(0, j, 1));
            }
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    /// <summary>err_e = sum_i c[e, i] x_i for every estimate e, each a contiguous temporary.</summary>
    private BufferView[] ErrorEstimates(BufferView[] xs, double[,] coefficients, List<Storage> temporaries)
    {
        var estimates = new BufferView[coefficients.GetLength(0)];
        for (int e = 0; e < estimates.Length; e++)
        {
            var zero = Temporary(xs[0].DType, xs[0].Shape);
            temporaries.Add(zero.Storage);
            Fill(zero, 0);
            estimates[e] = Temporary(xs[0].DType, xs[0].Shape);
            temporaries.Add(estimates[e].Storage);
            var row = Enumerable.Range(0, xs.Length).Select(i => coefficients[e, i]).ToArray();
            LinearCombination(zero, row, xs, estimates[e]);
        }
        return estimates;
    }

    private static double[,] Identity(int n)
    {
        var identity = new double[n, n];
        for (int i = 0; i < n; i++) identity[i, i] = 1;
        return identity;
    }

    private void ScaledErrorRmsOf(BufferView[] xs, double[,] coefficients, BufferView y0, BufferView y1, double rtol, double atol, BufferView y)
    {
        long n = y0.Count;
        int estimates = coefficients.GetLength(0);
        var terms = new ErrorTerms { Count = xs.Length, Estimates = estimates };
        for (int i = 0; i < xs.Length; i++)
        {
            terms.X[i] = Address(xs[i]);
            for (int e = 0; e < estimates; e++) terms.C[e * ErrorTerms.MaxTerms + i] = coefficients[e, i];
        }
        var shape = launch.Elementwise(Math.Max(1, n));
        int blocks = (int)shape.Grid.X;
        ulong partials = allocator.Allocate((long)blocks * estimates * sizeof(double));
        try
        {
            var arguments = new KernelArguments();
            arguments.Add(n);
            arguments.Add(terms);
            arguments.Add(Address(y0));
            arguments.Add(Address(y1));
            arguments.Add(rtol);
            arguments.Add(atol);
            arguments.Add(partials);
            Launch(KernelNames.OdeNorm, $"scaled_error_squares_{KernelNames.Suffix(y0.DType)}", shape, arguments);
            var finish = new KernelArguments();
            finish.Add(n);
            finish.Add(blocks);
            finish.Add(estimates);
            finish.Add(partials);
            finish.Add(Address(y));
            Launch(KernelNames.OdeNorm, "scaled_error_finish", launch.Elementwise(estimates), finish);
        }
        finally
        {
            allocator.Free(partials);
        }
    }
}
