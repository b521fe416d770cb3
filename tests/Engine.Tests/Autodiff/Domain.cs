using Engine.Random;

namespace Engine.Tests.Autodiff;

/// <summary>
/// Where generated input values lie, chosen so that finite differences with step <see cref="GradCheck.Step"/>
/// never straddle a kink, tie or singularity of the op under test.
/// </summary>
public sealed class Domain
{
    private const double Gap = 0.1;

    private readonly string name;
    private readonly Func<double[], double[], double[]> map;

    private Domain(string name, Func<double[], double[], double[]> map)
    {
        this.name = name;
        this.map = map;
    }

    /// <summary>Standard normal values.</summary>
    public static Domain Normal { get; } = new("normal", (normal, _) => normal);

    /// <summary>Normal values scaled by 20, reaching the saturated tails where naive formulas overflow.</summary>
    public static Domain Wide { get; } = new("wide", (normal, _) => [.. normal.Select(z => 20 * z)]);

    /// <summary>Values in [0.5, 2): bases of log, sqrt, rsqrt and pow.</summary>
    public static Domain Positive { get; } = new("positive", (_, uniform) => [.. uniform.Select(u => 0.5 + 1.5 * u)]);

    /// <summary>Normal values at least 0.1 from zero: inputs of abs, relu, sign.</summary>
    public static Domain AwayFromZero { get; } = AwayFrom(0);

    /// <summary>Normal values pushed 0.5 further from zero: denominators.</summary>
    public static Domain Denominator { get; } = new("denominator", (normal, _) => [.. normal.Select(z => z < 0 ? z - 0.5 : z + 0.5)]);

    /// <summary>
    /// Values whose magnitudes are pairwise at least 2/n apart and at least 0.1, with random signs, so no two
    /// elements (or their absolute values) tie: inputs of max, min and the infinity norm.
    /// </summary>
    public static Domain Distinct { get; } = new("distinct", (normal, uniform) =>
    {
        var order = Enumerable.Range(0, uniform.Length).OrderBy(i => uniform[i]).ToArray();
        var values = new double[uniform.Length];
        for (int rank = 0; rank < order.Length; rank++)
        {
            int i = order[rank];
            double magnitude = Gap + 2.0 * rank / order.Length;
            values[i] = normal[i] < 0 ? -magnitude : magnitude;
        }
        return values;
    });

    /// <summary>Normal values at least 0.1 from each of <paramref name="kinks"/>.</summary>
    public static Domain AwayFrom(params double[] kinks) =>
        new($"away from [{string.Join(", ", kinks)}]", (normal, _) => [.. normal.Select(z => Nudge(z, kinks))]);

    /// <summary>
    /// Values 0.25 k + <paramref name="offset"/> + [0, 0.05) for integer k. Lattices with offsets 0 and 0.125
    /// never come closer than 0.075, so maximum and minimum of one against the other never tie.
    /// </summary>
    public static Domain Lattice(double offset) =>
        new($"lattice + {offset}", (normal, uniform) => [.. normal.Select((z, i) => 0.25 * Math.Round(2 * z) + offset + 0.05 * uniform[i])]);

    /// <summary>The values for <paramref name="shape"/> drawn from <c>Generator(seed)</c>, in row-major order.</summary>
    public double[] Values(int[] shape, ulong seed)
    {
        var generator = new Generator(seed);
        using var normal = Tensor.Randn(shape, DType.F64, generator);
        using var uniform = Tensor.Rand(shape, DType.F64, generator);
        return map(normal.ToArray<double>(), uniform.ToArray<double>());
    }

    private static double Nudge(double value, double[] kinks)
    {
        foreach (double kink in kinks)
            if (Math.Abs(value - kink) < Gap) value = value >= kink ? kink + Gap : kink - Gap;
        return value;
    }

    public override string ToString() => name;
}
