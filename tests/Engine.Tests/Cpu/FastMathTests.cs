using Engine.Backends.Cpu;
using Xunit;

namespace Engine.Tests.Cpu;

/// <summary>The vectorised F32 exp and tanh approximations stay within a few float ulps of the true functions.</summary>
public unsafe class FastMathTests
{
    private static readonly float[] Inputs = [.. Enumerable.Range(-200_000, 400_001).Select(i => i * 1e-4f), 1e-30f, -1e-30f, 0f];

    [Fact]
    public void Exp_of_shifted_values_is_within_4e7_relative_and_its_sum_is_accurate()
    {
        var x = Inputs.Where(v => v <= 0).ToArray();
        var y = new float[x.Length];
        double sum;
        fixed (float* px = x, py = y) sum = FastExp.ShiftedExp(px, 0f, py, x.Length);
        double exact = 0, worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i]);
            exact += e;
            worst = Math.Max(worst, Math.Abs(y[i] - e) / e);
        }
        Assert.True(worst <= 4e-7, $"worst relative error {worst}");
        Assert.Equal(exact, sum, exact * 1e-6);
    }

    [Fact]
    public void Exp_gives_zero_below_the_float_range_and_keeps_NaN()
    {
        float[] x = [-100f, float.NegativeInfinity, float.NaN, -87f, 0f, 1f, 2f, 3f];
        var y = new float[x.Length];
        fixed (float* px = x, py = y) FastExp.ShiftedExp(px, 0f, py, x.Length);
        Assert.Equal(0f, y[0]);
        Assert.Equal(0f, y[1]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal(Math.Exp(-87), y[3], Math.Exp(-87) * 1e-6);
    }

    [Fact]
    public void Tanh_is_within_a_few_ulps_and_keeps_NaN_and_the_sign_of_zero()
    {
        var y = new float[Inputs.Length];
        fixed (float* px = Inputs, py = y) FastTanh.Apply(px, py, Inputs.Length);
        double worst = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            double t = Math.Tanh(Inputs[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - t) / Math.Max(Math.Abs(t), 1e-30));
        }
        Assert.True(worst <= 6e-7, $"worst relative error {worst}");
        Assert.True(float.IsNaN(FastTanh.Of(float.NaN)));
        Assert.Equal(1f, FastTanh.Of(50f));
        Assert.Equal(-1f, FastTanh.Of(float.NegativeInfinity));
    }
}
