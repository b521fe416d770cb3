using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>In-place writes: version checks on saved tensors, recording, and where a write is refused.</summary>
public class InPlaceTests
{
    [Fact]
    public void Modifying_a_saved_tensor_before_backward_throws_naming_the_op()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        var a = Tensor.FromArray([3.0, 4], 2);
        using var tape = Tape.Record();
        var y = (x * a).Sum();
        a.Fill(0);
        Expect.Throws<InvalidOperationException>(() => tape.Gradients(y, x), "Mul", "modified in place", "[2] F64");
    }

    [Fact]
    public void Modifying_a_saved_output_through_CopyFrom_throws_naming_the_op()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var e = x.Exp();
        var y = e.Sum();
        using (Tape.NoGrad()) e.CopyFrom(Tensor.Zeros([2], DType.F64));
        Expect.Throws<InvalidOperationException>(() => tape.Gradients(y, x), "Exp", "modified in place");
    }

    [Fact]
    public void CopyFrom_needs_a_source_that_broadcasts_to_the_target()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Zeros([1, 3]).CopyFrom(Tensor.Ones([2, 3])), "CopyFrom", "[2, 3]", "[1, 3]");
        Assert.Equal([1f, 1, 1, 1, 1, 1], Tensor.Zeros([2, 3]).CopyFrom(Tensor.Ones([3])).ToArray<float>());
    }

    [Fact]
    public void CopyFrom_between_overlapping_views_of_one_storage_copies_the_old_values()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 8, 1, DType.F64);
        x[1..].CopyFrom(x[..^1]);
        Assert.Equal([0.0, 0, 1, 2, 3, 4, 5, 6], x.ToArray<double>());
        var y = Tensor.Arange(0, 6, 1, DType.F64);
        y[..^2].CopyFrom(y[2..]);
        Assert.Equal([2.0, 3, 4, 5, 4, 5], y.ToArray<double>());
    }

    [Fact]
    public void A_recorded_CopyFrom_passes_the_gradient_to_the_source_and_none_to_the_old_value()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2, 3], 3);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var buffer = x * 5;
        buffer.CopyFrom((x * 2).Sum());
        var grad = tape.Gradients((buffer * x).Sum(), x)[0];
        // d/dx sum(s * x) with s = 2 sum(x): s + 2 sum(x) per element = 4 sum(x) = 24.
        Assert.Equal([24.0, 24, 24], grad.ToArray<double>());
    }

    [Fact]
    public void Fill_makes_a_tracked_value_a_constant()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = x * 3;
        y.Fill(1);
        Assert.False(y.RequiresGrad);
        var grad = tape.Gradients((y * x).Sum(), x)[0];
        Assert.Equal([1.0, 1], grad.ToArray<double>());
    }

    [Fact]
    public void A_leaf_that_requires_grad_is_not_written_in_place_while_recording()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray([1.0, 2], 2);
        w.RequiresGrad = true;
        using (Tape.Record())
        {
            Expect.Throws<InvalidOperationException>(() => w.Fill(0), "Fill", "leaf", "Tape.NoGrad()");
            using (Tape.NoGrad()) w.Fill(0);
        }
        Assert.Equal([0.0, 0], w.ToArray<double>());
    }

    [Fact]
    public void A_recorded_write_into_a_view_is_refused_with_advice()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        var buffer = Tensor.Zeros([4], DType.F64);
        using var tape = Tape.Record();
        Expect.Throws<InvalidOperationException>(() => buffer[..2].CopyFrom(x * 2), "CopyFrom", "view", "Tensor.Concat");
        using (Tape.NoGrad()) buffer[..2].CopyFrom(x * 2);
        Assert.Equal([2.0, 4, 0, 0], buffer.ToArray<double>());
    }

    [Fact]
    public void LinearCombination_into_an_output_is_recorded_and_handles_aliasing()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = x * 1;
        var returned = Tensor.LinearCombination(y, [2.0, -1], [x, y], output: y);
        Assert.Same(y, returned);
        // y = x + 2x - x = 2x.
        Assert.Equal([2.0, 4], y.ToArray<double>());
        var grad = tape.Gradients(y.Sum(), x)[0];
        Assert.Equal([2.0, 2], grad.ToArray<double>());
    }

    [Fact]
    public void An_optimizer_step_writes_a_parameter_in_place_under_NoGrad()
    {
        using var scope = TensorScope.Begin();
        var p = Tensor.FromArray([1.0, 2], 2);
        p.RequiresGrad = true;
        using (var tape = Tape.Record()) tape.Backward((p * p).Sum());
        using (Tape.NoGrad()) Tensor.LinearCombination(p, [-0.25], [p.Grad!], output: p);
        Assert.Equal([0.5, 1], p.ToArray<double>());
        Assert.True(p.RequiresGrad);
    }
}
