using Xunit;

namespace Engine.Tests.Support;

/// <summary>Element-by-element comparisons of a tensor with reference values; failures name the element.</summary>
internal static class Check
{
    /// <summary>Asserts the shape and that every element is within <c>atol + rtol * |expected|</c> (NaN matches NaN).</summary>
    public static void Close(Ref expected, Tensor actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var values = actual.ToArray<double>();
        for (int i = 0; i < values.Length; i++)
        {
            double e = expected.Data[i], a = values[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : e == a || Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
            if (!ok)
                Assert.Fail($"{what}: element [{string.Join(", ", expected.Unravel(i))}] is {a:R}, expected {e:R} (rtol {rtol}, atol {atol})");
        }
    }

    /// <summary>Asserts the shape and that element i is within <paramref name="bounds"/>.Data[i] of the expected value.</summary>
    public static void WithinBounds(Ref expected, Ref bounds, Tensor actual, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var values = actual.ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            if (!(Math.Abs(values[i] - expected.Data[i]) <= bounds.Data[i]))
                Assert.Fail($"{what}: element [{string.Join(", ", expected.Unravel(i))}] is {values[i]:R}, expected {expected.Data[i]:R} within {bounds.Data[i]:G3}");
    }

    public static void Close(Ref expected, Tensor actual, Tol tol, string what) => Close(expected, actual, tol.Rel, tol.Abs, what);

    public static void Exact(Ref expected, Tensor actual, string what) => Close(expected, actual, 0, 0, what);

    /// <summary>Hand-written expectations: shape and values must match exactly.</summary>
    public static void Exact(int[] shape, double[] values, Tensor actual) => Exact(Ref.Of(shape, values), actual, "value");

    public static string Describe(int[] shape) => $"[{string.Join(", ", shape)}]";
}

/// <summary>A tolerance <c>Abs + Rel * |expected|</c>.</summary>
internal readonly record struct Tol(double Rel, double Abs)
{
    /// <summary>For one rounding step or a few ulp of a library function: F32 results are computed in float.</summary>
    public static Tol Elementwise(DType dtype) => dtype == DType.F32 ? new(1e-5, 1e-6) : new(1e-12, 1e-14);

    /// <summary>The unit roundoff: half the distance from 1 to the next number of the dtype.</summary>
    public static double UnitRoundoff(DType dtype) => dtype == DType.F32 ? Math.Pow(2, -24) : Math.Pow(2, -53);

    /// <summary>For sums of up to a few hundred terms of size about 1.</summary>
    public static Tol Reduction(DType dtype) => dtype == DType.F32 ? new(1e-5, 1e-5) : new(1e-12, 1e-12);
}
