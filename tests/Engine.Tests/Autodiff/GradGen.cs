using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Autodiff;

/// <summary>FsCheck generators for the gradient properties: shapes, broadcast shapes, axes, seeds and inputs.</summary>
public static class GradGen
{
    /// <summary>Largest element count of a generated shape, keeping each finite-difference sweep cheap.</summary>
    public const int MaxElements = 64;

    /// <summary>Shapes of rank <paramref name="minRank"/> to <paramref name="maxRank"/> with dimensions 1 to <paramref name="maxDim"/>.</summary>
    public static Gen<int[]> Shape(int minRank = 0, int maxRank = 4, int maxDim = 4) =>
        from rank in Gen.Choose(minRank, maxRank)
        from dims in Gen.ArrayOf(Gen.Choose(1, maxDim), rank)
        where dims.Aggregate(1, (n, d) => n * d) <= MaxElements
        select dims;

    /// <summary>
    /// <paramref name="count"/> shapes that broadcast together: each is a result shape with some leading
    /// dimensions dropped and some dimensions set to 1.
    /// </summary>
    public static Gen<int[][]> BroadcastShapes(int count, int maxRank = 4) =>
        from result in Shape(0, maxRank)
        from shapes in Gen.ArrayOf(BroadcastOperand(result), count)
        select shapes;

    private static Gen<int[]> BroadcastOperand(int[] result) =>
        from drop in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(0, result.Length)))
        from ones in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true))), result.Length)
        select result.Skip(drop).Select((d, i) => ones[i + drop] ? 1 : d).ToArray();

    /// <summary>Seeds for <see cref="Engine.Random.Generator"/>.</summary>
    public static Gen<ulong> Seed { get; } = Gen.Choose(0, int.MaxValue).Select(s => (ulong)s);

    /// <summary>Mostly contiguous layouts, with transposed and strided views a quarter of the time each.</summary>
    public static Gen<Layout> Layout { get; } =
        Gen.Frequency((2, Gen.Constant(Autodiff.Layout.Contiguous)), (1, Gen.Constant(Autodiff.Layout.Transposed)), (1, Gen.Constant(Autodiff.Layout.Strided)));

    /// <summary>An input of a shape from <paramref name="shape"/> (any small shape when null) with values in <paramref name="domain"/>.</summary>
    public static Gen<InputSpec> Input(Domain domain, Gen<int[]>? shape = null) =>
        from dims in shape ?? Shape()
        from spec in Input(domain, dims)
        select spec;

    /// <summary>An input of exactly <paramref name="shape"/> with values in <paramref name="domain"/>.</summary>
    public static Gen<InputSpec> Input(Domain domain, int[] shape) =>
        from seed in Seed
        from layout in Layout
        select new InputSpec(shape, seed, domain, layout);

    /// <summary>A valid axis of a tensor of <paramref name="rank"/>, negative half the time.</summary>
    public static Gen<int> Axis(int rank) =>
        from axis in Gen.Choose(0, rank - 1)
        from negative in Bool
        select negative ? axis - rank : axis;

    /// <summary>A subset of the axes of a tensor of <paramref name="rank"/> (empty means all), some given as negative numbers.</summary>
    public static Gen<int[]> Axes(int rank) =>
        from subset in Gen.SubListOf(Enumerable.Range(0, rank))
        from negative in Gen.ArrayOf(Bool, subset.Count)
        from shuffled in Gen.Shuffle(subset.Select((a, i) => negative[i] ? a - rank : a))
        select shuffled;

    /// <summary>True or false.</summary>
    public static Gen<bool> Bool { get; } = Gen.Elements(true, false);

    /// <summary><paramref name="count"/> indices in [0, <paramref name="limit"/>), repeats allowed.</summary>
    public static Gen<long[]> Indices(int count, int limit) => Gen.ArrayOf(Gen.Choose(0, limit - 1).Select(i => (long)i), count);
}
