namespace Engine.Tests.Ops;

/// <summary>One reduction over a set of axes: the engine call and a reference fold of each group of values.</summary>
internal sealed record ReductionCase(Func<Tensor, int[]?, bool, Tensor> Op, Func<double[], double> Fold)
{
    public static readonly Dictionary<string, ReductionCase> All = new()
    {
        ["Sum"] = new((x, a, k) => x.Sum(a, k), v => v.Sum()),
        ["Mean"] = new((x, a, k) => x.Mean(a, k), v => v.Average()),
        ["Var(correction 0)"] = new((x, a, k) => x.Var(a, k, 0), v => SquaredDeviations(v) / v.Length),
        ["Var(correction 1)"] = new((x, a, k) => x.Var(a, k, 1), v => SquaredDeviations(v) / (v.Length - 1)),
        ["Std(correction 0)"] = new((x, a, k) => x.Std(a, k, 0), v => Math.Sqrt(SquaredDeviations(v) / v.Length)),
        ["Std"] = new((x, a, k) => x.Std(a, keepDim: k), v => Math.Sqrt(SquaredDeviations(v) / (v.Length - 1))),
        ["Max"] = new((x, a, k) => x.Max(a, k), v => v.Max()),
        ["Min"] = new((x, a, k) => x.Min(a, k), v => v.Min()),
        ["LogSumExp"] = new((x, a, k) => x.LogSumExp(a, k), v => Math.Log(v.Sum(Math.Exp))),
        ["Norm(1)"] = new((x, a, k) => x.Norm(a, k, 1), v => v.Sum(Math.Abs)),
        ["Norm(2)"] = new((x, a, k) => x.Norm(a, k, 2), v => Math.Sqrt(v.Sum(e => e * e))),
        ["Norm(inf)"] = new((x, a, k) => x.Norm(a, k, double.PositiveInfinity), v => v.Max(Math.Abs)),
        ["Norm(3)"] = new((x, a, k) => x.Norm(a, k, 3), v => Math.Pow(v.Sum(e => Math.Pow(Math.Abs(e), 3)), 1.0 / 3)),
    };

    private static double SquaredDeviations(double[] v)
    {
        double mean = v.Average();
        return v.Sum(e => (e - mean) * (e - mean));
    }

    /// <summary>Every non-empty subset of the axes of a rank-<paramref name="rank"/> tensor.</summary>
    public static IEnumerable<int[]> AxisSubsets(int rank) =>
        Enumerable.Range(1, (1 << rank) - 1).Select(mask => Enumerable.Range(0, rank).Where(a => (mask >> a & 1) == 1).ToArray());
}
