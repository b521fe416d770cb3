using Engine.Tests.Support;

namespace Engine.Tests.Norm;

/// <summary>Normalisation by its definition, in double: statistics over the given axes, then the affine map.</summary>
internal static class NormReference
{
    /// <summary>(variance with the given correction, mean) over <paramref name="axes"/>, kept as size-1 axes.</summary>
    public static (Ref Variance, Ref Mean) VarMean(Ref x, int[] axes, int correction)
    {
        var mean = x.Reduce(axes, keepDim: true, v => v.Average());
        var variance = x.Reduce(axes, keepDim: true, v =>
        {
            double m = v.Average();
            return v.Sum(e => (e - m) * (e - m)) / (v.Length - correction);
        });
        return (variance, mean);
    }

    /// <summary>(x - mean) / sqrt(variance + eps) * weight + bias, the statistics and affine terms broadcast.</summary>
    public static Ref Normalize(Ref x, Ref mean, Ref variance, double eps, Ref? weight, Ref? bias)
    {
        var centered = Ref.Zip(x, mean, (a, m) => a - m);
        return Affine(Ref.Zip(centered, variance, (c, v) => c / Math.Sqrt(v + eps)), weight, bias);
    }

    /// <summary>x * weight + bias, each term present when given, broadcast.</summary>
    public static Ref Affine(Ref x, Ref? weight, Ref? bias)
    {
        if (weight is not null) x = Ref.Zip(x, weight, (n, w) => n * w);
        if (bias is not null) x = Ref.Zip(x, bias, (n, b) => n + b);
        return x;
    }

    /// <summary>A per-channel vector [C] viewed as [1, C, 1, ...] for an input of <paramref name="rank"/>.</summary>
    public static Ref Channels(Ref vector, int rank) =>
        new([.. Enumerable.Range(0, rank).Select(i => i == 1 ? vector.Shape[0] : 1)], vector.Data);
}
