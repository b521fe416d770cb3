using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// ScaledErrorRms, the fused error norm of the adaptive ODE solvers, against a reference loop in double: two
/// components (a small one and one past the parallel threshold), three terms and two estimates, with inputs
/// contiguous (the blocked SIMD path) or in another layout (the strided path). F64 agrees to rounding; F32
/// forms each error in float (a few units of 6e-8 per element) and sums the squares in double.
/// </summary>
public class ScaledErrorRmsTests
{
    private const double Rtol = 1e-3, Atol = 1e-4;
    private static readonly double[,] Coefficients = { { 0.5, -1.25, 2 }, { 0, 3, -0.375 } };
    private static readonly int[][] Shapes = [[3, 7], [211, 197]];

    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.FloatTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(DType dtype, Layout layout)
    {
        using var scope = TensorScope.Begin();
        int seed = 4100;
        var terms = new Tensor[Shapes.Length][];
        var termRefs = new Ref[Shapes.Length][];
        var y0 = new Tensor[Shapes.Length];
        var y1 = new Tensor[Shapes.Length];
        var y0Refs = new Ref[Shapes.Length];
        var y1Refs = new Ref[Shapes.Length];
        for (int j = 0; j < Shapes.Length; j++)
        {
            // The layout under test alternates with contiguous inputs, so mixed layouts are covered too.
            var made = Enumerable.Range(0, 3).Select(i => Sample.Make(seed++, Shapes[j], dtype, i % 2 == 0 ? layout : Layout.Contiguous)).ToArray();
            terms[j] = made.Select(m => m.Tensor).ToArray();
            termRefs[j] = made.Select(m => m.Ref).ToArray();
            (y0[j], y0Refs[j]) = Sample.Make(seed++, Shapes[j], dtype, Layout.Contiguous);
            (y1[j], y1Refs[j]) = Sample.Make(seed++, Shapes[j], dtype, layout);
        }

        var norms = Tensor.ScaledErrorRms(terms, Coefficients, y0, y1, Rtol, Atol);

        Assert.Equal([Shapes.Length, 2], norms.Shape);
        Assert.Equal(DType.F64, norms.DType);
        var actual = norms.ToArray<double>();
        double tolerance = dtype == DType.F32 ? 1e-5 : 1e-12;
        for (int j = 0; j < Shapes.Length; j++)
            for (int e = 0; e < 2; e++)
            {
                double expected = Reference(termRefs[j], e, y0Refs[j], y1Refs[j]);
                Assert.True(Math.Abs(actual[j * 2 + e] - expected) <= tolerance * expected,
                    $"component {j} {Check.Describe(Shapes[j])} estimate {e} ({dtype} {layout}): {actual[j * 2 + e]:R}, expected {expected:R}");
            }
    }

    private static double Reference(Ref[] terms, int estimate, Ref y0, Ref y1)
    {
        double sum = 0;
        for (int k = 0; k < y0.Data.Length; k++)
        {
            double error = 0;
            for (int i = 0; i < terms.Length; i++) error += Coefficients[estimate, i] * terms[i].Data[k];
            double q = error / (Atol + Rtol * Math.Max(Math.Abs(y0.Data[k]), Math.Abs(y1.Data[k])));
            sum += q * q;
        }
        return Math.Sqrt(sum / y0.Data.Length);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANonFiniteValueMakesTheNormNonFinite(double poison)
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Repeat(1.0, 40_000).ToArray();
        values[^3] = poison;
        var y = Tensor.From(values);
        var norms = Tensor.ScaledErrorRms([[y]], new double[,] { { 1 } }, [y], [y], 0, 1).ToArray<double>();
        Assert.False(double.IsFinite(norms[0]));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Ones([2, 3], DType.F64);
        var b = Tensor.Ones([3, 2], DType.F64);
        var f = Tensor.Ones([2, 3]);
        var one = new double[,] { { 1 } };
        Expect.Throws<ArgumentException>(() => Tensor.ScaledErrorRms([[b]], one, [a], [a], 0, 1), "ScaledErrorRms", "component 0", "[3, 2]", "[2, 3]");
        Expect.Throws<ArgumentException>(() => Tensor.ScaledErrorRms([[a, a]], one, [a], [a], 0, 1), "2 terms for 1 coefficient columns");
        Expect.Throws<ArgumentException>(() => Tensor.ScaledErrorRms([[a]], one, [a], [a, a], 0, 1), "one y0 and one y1 per component");
        Expect.Throws<ArgumentException>(() => Tensor.ScaledErrorRms([[f]], one, [a], [a], 0, 1), "dtypes differ");
        Expect.Throws<ArgumentException>(() => Tensor.ScaledErrorRms([[a]], one, [a], [a], -1, 1), "rtol and atol");
    }

    [Fact]
    public void TrackedInputsAreRefusedWhileRecording()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([4], DType.F64);
        x.RequiresGrad = true;
        using (var tape = Tape.Record())
        {
            Expect.Throws<InvalidOperationException>(() => Tensor.ScaledErrorRms([[x]], new double[,] { { 1 } }, [x], [x], 0, 1), "not differentiable", "Tape.NoGrad");
            using var noGrad = Tape.NoGrad();
            Assert.Equal(1, Tensor.ScaledErrorRms([[x]], new double[,] { { 1 } }, [x], [x], 0, 1).Item<double>(), 12);
        }
    }
}
