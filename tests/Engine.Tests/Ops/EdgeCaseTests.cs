using Engine.Autodiff;
using Engine.Memory;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Edge values and sizes, each checked against what PyTorch does. Some read the allocator's counters, so the class runs alone.</summary>
[Collection(Memory.MemoryCounterCollection.Name)]
public class EdgeCaseTests
{
    private static Tensor Leaf(params double[] values)
    {
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        return x;
    }

    private static double[] GradOf(Func<Tensor, Tensor> f, Tensor x)
    {
        using var tape = Tape.Record();
        return tape.Gradients(f(x).Sum(), x)[0].ToArray<double>();
    }

    [Fact]
    public void A_reduction_over_two_to_the_31_elements_counts_them_all()
    {
        using var scope = TensorScope.Begin();
        var big = Tensor.Ones([1, 1], DType.F64).Expand(2, 1 << 30);
        Assert.Equal(2147483648L, big.NumElements);
        Assert.Equal(2147483648.0, big.Sum().Item<double>());
    }

    [Fact]
    public void An_integer_tensor_with_a_non_integral_scalar_is_promoted_to_F32()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.From(new long[] { 3, -4 });
        var half = x * 0.5;
        Assert.Equal(DType.F32, half.DType);
        Assert.Equal([1.5f, -2], half.ToArray<float>());
        Assert.Equal([6f, -8], (x / 0.5).ToArray<float>());
        Assert.Equal([1f, 0], (x > 2.5).ToArray<float>());
        var doubled = x * 2;
        Assert.Equal(DType.I64, doubled.DType);
        Assert.Equal([6L, -8], doubled.ToArray<long>());
    }

    [Fact]
    public void Integer_division_by_zero_names_the_op_and_leaks_nothing()
    {
        Assert.Null(TensorScope.Current);
        var stats = DeviceMemory.Stats(Device.Cpu);
        var x = Tensor.From(new[] { 3, 4 });
        var zero = Tensor.From(new[] { 1, 0 });
        long before = stats.BytesInUse;
        Expect.Throws<DivideByZeroException>(() => x.Div(zero), "Div", "integer division by zero");
        Expect.Throws<DivideByZeroException>(() => (x / 0).Dispose(), "DivScalar", "by zero");
        Assert.Equal(before, stats.BytesInUse);
        x.Dispose();
        zero.Dispose();
    }

    [Fact]
    public void Expand_refuses_minus_one_for_a_new_leading_dimension_and_other_negative_sizes()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([3]);
        Expect.Throws<ArgumentException>(() => x.Expand(-1, 3), "Expand", "-1");
        Expect.Throws<ArgumentException>(() => x.Expand(2, -2), "Expand", "-2");
        Assert.Equal([2, 3], x.Expand(2, -1).Shape);
    }

    [Fact]
    public void Softmax_over_an_empty_axis_is_empty()
    {
        Assert.Null(TensorScope.Current);
        var stats = DeviceMemory.Stats(Device.Cpu);
        var x = Tensor.Zeros([3, 0]);
        long before = stats.BytesInUse;
        var y = x.Softmax(1);
        var z = x.LogSoftmax(1);
        Assert.Equal([3, 0], y.Shape);
        Assert.Equal([3, 0], z.Shape);
        y.Dispose();
        z.Dispose();
        Assert.Equal(before, stats.BytesInUse);
        x.Dispose();
    }

    [Fact]
    public void Pow_gradients_at_base_zero_are_zero_not_nan()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal([0.0, 0], GradOf(x => x.Pow(0), Leaf(0, 2)));
        Assert.Equal([0.0, 12], GradOf(x => x.Pow(2), Leaf(0, 6)));
        var exponent = Leaf(0, 2);
        var grads = GradsOfPow(Leaf(0, 0), exponent);
        Assert.Equal([0.0, 0], grads.Base);
        Assert.Equal([0.0, 0], grads.Exponent);
        Assert.Equal([0.0, 0], GradOf(x => Tensor.Pow(0, x), Leaf(0, 3)));
        Assert.Equal([Math.Log(2), 2 * Math.Log(2)], GradOf(x => Tensor.Pow(2, x), Leaf(0, 1)));
    }

    private static (double[] Base, double[] Exponent) GradsOfPow(Tensor a, Tensor b)
    {
        using var tape = Tape.Record();
        var g = tape.Gradients(a.Pow(b).Sum(), a, b);
        return (g[0].ToArray<double>(), g[1].ToArray<double>());
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void Norm_gradient_at_the_zero_vector_is_zero(double p)
    {
        using var scope = TensorScope.Begin();
        var grad = GradOf(x => x.Norm(p: p), Leaf(0, 0, 0));
        Assert.Equal([0.0, 0, 0], grad);
    }

    [Fact]
    public void Norm_second_derivative_at_the_zero_vector_has_no_nan()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf(0, 0);
        using var tape = Tape.Record();
        var g = tape.Gradients(x.Norm(), [x], createGraph: true)[0];
        var h = tape.Gradients(g.Sum(), [x], createGraph: false, allowUnused: true)[0];
        Assert.All(h.ToArray<double>(), v => Assert.False(double.IsNaN(v)));
    }

    [Fact]
    public void Std_of_a_constant_group_has_a_zero_gradient()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal([0.0, 0, 0], GradOf(x => x.Std(), Leaf(2, 2, 2)));
        var g = GradOf(x => x.Std(), Leaf(1, 2, 3));
        Assert.Equal(-0.5, g[0], 1e-15);
        Assert.Equal(0, g[1], 1e-15);
    }

    [Fact]
    public void LogSumExp_of_a_row_of_negative_infinities_is_negative_infinity()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([double.NegativeInfinity, double.NegativeInfinity, 0, 1], 2, 2);
        var lse = x.LogSumExp(1).ToArray<double>();
        Assert.Equal(double.NegativeInfinity, lse[0]);
        Assert.Equal(Math.Log(1 + Math.E), lse[1], 1e-15);
        Assert.Equal(double.PositiveInfinity, Tensor.FromArray([double.PositiveInfinity, 0], 2).LogSumExp().Item<double>());
    }

    [Fact]
    public void Maximum_and_Minimum_split_a_tie_between_the_operands()
    {
        using var scope = TensorScope.Begin();
        foreach (var max in new[] { true, false })
        {
            var a = Leaf(1, 2, 3);
            var b = Leaf(1, 0, 5);
            using var tape = Tape.Record();
            var y = (max ? a.Maximum(b) : a.Minimum(b)).Sum();
            var g = tape.Gradients(y, a, b);
            Assert.Equal(max ? [0.5, 1, 0] : [0.5, 0, 1], g[0].ToArray<double>());
            Assert.Equal(max ? [0.5, 0, 1] : [0.5, 1, 0], g[1].ToArray<double>());
        }
    }

    [Theory]
    [InlineData(0, double.NaN, 1)]
    [InlineData(0, 1e300, 1e-300)]
    [InlineData(double.NegativeInfinity, 0, 1)]
    [InlineData(0, 10, 0)]
    public void Arange_with_a_bad_or_huge_count_throws_naming_Arange(double start, double end, double step)
    {
        Expect.Throws<ArgumentException>(() => Tensor.Arange(start, end, step), "Arange");
    }

    [Fact]
    public void A_tape_disposed_on_another_thread_stops_recording_on_its_own()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf(1, 2);
        var tape = Tape.Record();
        _ = x * 2;
        Assert.Equal(1, tape.NodeCount);
        var other = new Thread(tape.Dispose);
        other.Start();
        other.Join();
        Assert.False(Tape.IsRecording);
        var y = x * 3;
        Assert.False(y.RequiresGrad && !x.IsGradLeaf);
        Assert.Equal(0, tape.NodeCount);
        Assert.True(tape.IsDisposed);
    }
}
