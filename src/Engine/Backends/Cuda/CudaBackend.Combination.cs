using System.Runtime.InteropServices;
using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>kernels/combination.cu's Terms: up to 16 term pointers and coefficients per pass.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct CombinationTerms
    {
        public const int Max = 16;
        public fixed ulong X[Max];
        public fixed double C[Max];
        public int Count;
    }

    /// <summary>
    /// y = x0 + sum c_i x_i in one pass per 16 terms (later passes add to y in place); strided operands are
    /// first copied to contiguous temporaries, a strided y is written through one. y may be x0 itself (the op
    /// layer passes no other overlap).
    /// </summary>
    public void LinearCombination(BufferView x0, ReadOnlySpan<double> coefficients, ReadOnlySpan<BufferView> xs, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        if (!y.IsContiguous)
        {
            var result = Temporary(y.DType, y.Shape);
            try
            {
                LinearCombination(x0, coefficients, xs, result);
                Copy(result, y);
            }
            finally
            {
                result.Storage.Release();
            }
            return;
        }
        var temporaries = new List<Storage>();
        try
        {
            ulong start = Address(Contiguous(x0, temporaries));
            int first = 0;
            do
            {
                var terms = new CombinationTerms { Count = Math.Min(CombinationTerms.Max, xs.Length - first) };
                for (int t = 0; t < terms.Count; t++)
                {
                    terms.X[t] = Address(Contiguous(xs[first + t], temporaries));
                    terms.C[t] = coefficients[first + t];
                }
                var arguments = new KernelArguments();
                arguments.Add(n);
                arguments.Add(start);
                arguments.Add(terms);
                arguments.Add(Address(y));
                Launch(KernelNames.Combination, $"linear_combination_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
                start = Address(y);
                first += terms.Count;
            }
            while (first < xs.Length);
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }
}
