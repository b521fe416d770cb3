using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>Tests that read the process-wide allocator counters join this collection, which runs alone.</summary>
[CollectionDefinition(nameof(MemoryCounters), DisableParallelization = true)]
public sealed class MemoryCounters;

[Collection(nameof(MemoryCounters))]
public class TapeTests
{
    private static Tensor Leaf(double[] values, params int[] shape)
    {
        var x = Tensor.FromArray(values, shape);
        x.RequiresGrad = true;
        return x;
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 1e-12);
    }

    [Fact]
    public void Backward_fills_Grad_of_leaves_and_accumulates_across_calls()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, 2, 3], 3);
        var w = Leaf([0.5, -1, 2], 3);
        using var tape = Tape.Record();
        var loss = (x * w).Sum();

        tape.Backward(loss);
        Assert.Equal([0.5, -1, 2], x.Grad!.ToArray<double>());
        Assert.Equal([1.0, 2, 3], w.Grad!.ToArray<double>());

        tape.Backward(loss);
        Assert.Equal([1.0, -2, 4], x.Grad!.ToArray<double>());
        Assert.Equal([2.0, 4, 6], w.Grad!.ToArray<double>());
    }

    [Fact]
    public void NoGrad_records_nothing()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, 2], 2);
        using var tape = Tape.Record();
        using (Tape.NoGrad())
        {
            var y = (x * x).Exp().Sum();
            Assert.False(Tape.IsRecording);
            Assert.False(y.RequiresGrad);
        }
        Assert.Equal(0, tape.NodeCount);
        Assert.True(Tape.IsRecording);
    }

    [Fact]
    public void Nested_tapes_both_record_and_both_differentiate()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, -2], 2);
        using var outer = Tape.Record();
        Tensor y;
        using (var inner = Tape.Record())
        {
            y = (x * x.Sin()).Sum();
            Assert.Equal(3, outer.NodeCount);
            Assert.Equal(3, inner.NodeCount);
            AssertClose(Expected(), inner.Gradients(y, x)[0]);
        }

        // The nodes are shared: disposing the inner tape must leave what they saved to the outer one.
        AssertClose(Expected(), outer.Gradients(y, x)[0]);

        static double[] Expected() => [Math.Sin(1) + Math.Cos(1), Math.Sin(-2) - 2 * Math.Cos(-2)];
    }

    [Fact]
    public void Gradient_with_respect_to_an_unused_input_throws_naming_it()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, 2], 2);
        var unused = Leaf([3, 4, 5, 6], 2, 2);
        using var tape = Tape.Record();
        var y = x.Exp().Sum();

        var error = Assert.Throws<InvalidOperationException>(() => tape.Gradients(y, x, unused));

        Assert.Contains("input 1", error.Message);
        Assert.Contains("[2, 2] F64", error.Message);
        Assert.Contains("allowUnused", error.Message);
    }

    [Fact]
    public void Gradient_with_respect_to_an_unused_input_is_zeros_when_allowed()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, 2], 2);
        var unused = Leaf([3, 4, 5, 6], 2, 2);
        using var tape = Tape.Record();
        var y = x.Exp().Sum();

        var grads = tape.Gradients(y, [x, unused], createGraph: false, allowUnused: true);

        Assert.Equal([2, 2], grads[1].Shape);
        Assert.Equal(DType.F64, grads[1].DType);
        Assert.All(grads[1].ToArray<double>(), g => Assert.Equal(0, g));
    }

    [Fact]
    public void Gradients_with_respect_to_an_intermediate_and_its_leaf_are_both_returned()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([0.5, -1], 2);
        using var tape = Tape.Record();
        var y = x * 2;
        var z = y.Exp().Sum();

        var grads = tape.Gradients(z, y, x);

        AssertClose([Math.Exp(1), Math.Exp(-2)], grads[0]);
        AssertClose([2 * Math.Exp(1), 2 * Math.Exp(-2)], grads[1]);
    }

    [Fact]
    public void Gradients_of_a_non_scalar_output_without_cotangent_throws_naming_the_shape()
    {
        using var scope = TensorScope.Begin();
        var x = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        using var tape = Tape.Record();
        var y = x * 2;

        var error = Assert.Throws<ArgumentException>(() => tape.Gradients(y, x));

        Assert.Contains("Gradients", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void Vjp_of_a_linear_map_is_the_transposed_matrix_times_the_cotangent()
    {
        using var scope = TensorScope.Begin();
        double[,] a = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        var matrix = Tensor.From(a);
        var x = Tensor.FromArray([0.5, -1.5], 2);
        var v = Tensor.FromArray([1, -2, 0.25], 3);

        var (outputs, vjps) = Grad.Vjp(xs => [matrix.MatMul(xs[0])], [x], [v]);

        double[] expected = [1 * 1 + 3 * -2 + 5 * 0.25, 2 * 1 + 4 * -2 + 6 * 0.25];
        Assert.Equal(expected, vjps[0].ToArray<double>());
        Assert.Equal([0.5 - 3, 1.5 - 6, 2.5 - 9], outputs[0].ToArray<double>());
    }

    [Fact]
    public void Disposing_the_tape_and_scope_returns_all_memory_of_an_mlp_step()
    {
        var stats = DeviceMemory.Stats(Device.Cpu);
        long baseline = stats.BytesInUse;
        using (TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            var generator = new Generator(3);
            var x = Tensor.Randn([8, 5], DType.F64, generator);
            var w1 = Tensor.Randn([16, 5], DType.F64, generator);
            var b1 = Tensor.Zeros([16], DType.F64);
            var w2 = Tensor.Randn([3, 16], DType.F64, generator);
            var labels = Tensor.From(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
            foreach (var p in new[] { w1, b1, w2 }) p.RequiresGrad = true;

            var loss = Functional.CrossEntropy(Tensor.Linear(Tensor.Linear(x, w1, b1).Relu(), w2), labels);
            tape.Backward(loss);

            Assert.NotNull(w1.Grad);
            Assert.True(stats.BytesInUse > baseline);
        }
        Assert.Equal(baseline, stats.BytesInUse);
    }
}
