using Engine.Tests.Support;

namespace Engine.Tests.Ops;

/// <summary><c>torch.matmul</c> semantics with a naive triple loop, and an error bound for each result element.</summary>
internal static class MatMulReference
{
    /// <summary>
    /// The product, and per element the bound 2 k u sum_p |a_ip b_pj| on the error of any summation order in a
    /// dtype with unit roundoff <paramref name="u"/> (with a floor for exact zeros).
    /// </summary>
    public static (Ref Value, Ref Bound) Multiply(Ref a, Ref b, double u)
    {
        var a2 = a.Rank == 1 ? new Ref([1, a.Shape[0]], a.Data) : a;
        var b2 = b.Rank == 1 ? new Ref([b.Shape[0], 1], b.Data) : b;
        int m = a2.Shape[^2], k = a2.Shape[^1], n = b2.Shape[^1];
        var batch = Ref.BroadcastShape(a2.Shape[..^2], b2.Shape[..^2]);
        var x = a2.BroadcastTo([.. batch, m, k]).Data;
        var y = b2.BroadcastTo([.. batch, k, n]).Data;
        int batches = Ref.Count(batch);
        var value = new double[batches * m * n];
        var bound = new double[value.Length];
        for (int t = 0; t < batches; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double product = x[(t * m + i) * k + p] * y[(t * k + p) * n + j];
                        sum += product;
                        magnitude += Math.Abs(product);
                    }
                    value[(t * m + i) * n + j] = sum;
                    bound[(t * m + i) * n + j] = 2 * Math.Max(k, 1) * u * magnitude + 1e-300;
                }
        var shape = new List<int>(batch);
        if (a.Rank > 1) shape.Add(m);
        if (b.Rank > 1) shape.Add(n);
        return (new Ref([.. shape], value), new Ref([.. shape], bound));
    }
}
