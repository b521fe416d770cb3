using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// The coefficients themselves: the quadrature order conditions sum_i b_i c_i^(k-1) = 1/k up to each method's
/// order, error weights that vanish on constants, and continuous extensions that start at y0 with slope f0 and
/// end at the step's solution. (Row sums of a equal to c are checked when each tableau is built.)
/// </summary>
public class TableauTests
{
    public static TheoryData<string> Names() => new(Solvers.All.Select(s => s.Name));

    public static TheoryData<string> DenseNames() => new(Solvers.All.Where(s => s.DenseOutputOrder is not null).Select(s => s.Name));

    private static ButcherTableau Named(string name) => Solvers.All.Single(s => s.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void QuadratureConditionsHoldUpToTheOrder(string name)
    {
        var tableau = Named(name);
        for (int k = 1; k <= tableau.Order; k++)
        {
            double sum = 0;
            for (int i = 0; i < tableau.Stages; i++) sum += tableau.B[i] * Math.Pow(tableau.C[i], k - 1);
            Assert.True(Math.Abs(sum - 1.0 / k) < 1e-13, $"{name}: sum b c^{k - 1} = {sum:R}, expected 1/{k}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ErrorWeightsVanishOnConstants(string name)
    {
        var tableau = Named(name);
        foreach (var weights in tableau.Error?.Weights ?? [])
            Assert.True(Math.Abs(weights.Sum()) < 1e-13, $"{name}: error weights sum to {weights.Sum():R}");
    }

    [Theory]
    [MemberData(nameof(DenseNames))]
    public void DenseOutputMatchesTheStepAtBothEnds(string name)
    {
        var tableau = Named(name);
        var dense = tableau.Dense!;
        var atStart = dense.Weights(0);
        var atEnd = dense.Weights(1);
        const double d = 1e-6;
        var slope = dense.Weights(d).Zip(dense.Weights(-d), (plus, minus) => (plus - minus) / (2 * d)).ToArray();
        for (int i = 0; i < atEnd.Length; i++)
        {
            double b = i < tableau.Stages ? tableau.B[i] : 0;
            Assert.True(Math.Abs(atStart[i]) < 1e-15, $"{name}: weight {i} at theta = 0 is {atStart[i]:R}");
            Assert.True(Math.Abs(atEnd[i] - b) < 1e-13, $"{name}: weight {i} at theta = 1 is {atEnd[i]:R}, b = {b:R}");
            Assert.True(Math.Abs(slope[i] - (i == 0 ? 1 : 0)) < 1e-8, $"{name}: d weight {i} / d theta at 0 is {slope[i]:R}");
        }
    }

    [Fact]
    public void EvaluationsPerStepCountTheFirstSameAsLastStageOnce()
    {
        Assert.Equal([1, 2, 2, 4, 4, 3, 6, 6, 12], Solvers.All.Select(s => s.EvaluationsPerStep));
        Assert.Equal([false, false, false, false, false, true, true, true, true], Solvers.All.Select(s => s.IsAdaptive));
    }
}
