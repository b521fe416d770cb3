using Engine.Autodiff;
using Engine.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>User-defined differentiable functions: several inputs and outputs, what backward sees, and misuse.</summary>
public class FunctionTests
{
    [Fact]
    public void A_two_output_function_matches_finite_differences_to_second_order()
    {
        var gen =
            from shape in GradGen.Shape(0, 3)
            from r in GradGen.Input(Domain.Positive, shape)
            from theta in GradGen.Input(Domain.Normal, shape)
            select (r, theta);
        GradProperty.ForAll(gen, c => GradCheck.Check("Polar", a =>
        {
            var xy = new Polar().Apply(a[0], a[1]);
            return xy[0] * 2 + xy[1].Square();
        }, c.r.Create(), c.theta.Create()));
    }

    [Fact]
    public void An_output_that_gets_no_gradient_reaches_backward_as_zeros()
    {
        using var scope = TensorScope.Begin();
        var r = Tensor.FromArray([2.0], 1);
        var theta = Tensor.FromArray([0.5], 1);
        using var tape = Tape.Record();
        tape.Watch(r);
        tape.Watch(theta);
        var y = new Polar().Apply(r, theta)[1];
        var grads = tape.Gradients(y.Sum(), r, theta);
        Assert.Equal(Math.Sin(0.5), grads[0].Item<double>(), 1e-15);
        Assert.Equal(2 * Math.Cos(0.5), grads[1].Item<double>(), 1e-15);
    }

    [Fact]
    public void NeedsInputGrad_says_which_inputs_the_backward_pass_wants()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1.0], 1);
        var b = Tensor.FromArray([2.0], 1);
        using var tape = Tape.Record();
        tape.Watch(a);
        tape.Watch(b);
        var probe = new RecordsNeeds();
        var y = probe.Apply(a, b)[0];
        tape.Gradients(y.Sum(), b);
        Assert.Equal([false, true], probe.Needs);
    }

    [Fact]
    public void An_input_returned_unchanged_becomes_a_new_value_with_an_identity_gradient()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = new PassThrough().Apply(x)[0];
        Assert.NotSame(x, y);
        var grad = tape.Gradients((y * y).Sum(), x)[0];
        Assert.Equal([2.0, 4], grad.ToArray<double>());
    }

    [Fact]
    public void Integer_outputs_are_not_differentiated()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 5, 3], 3);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var outputs = new MaxAndIndex().Apply(x);
        Assert.Equal(DType.I64, outputs[1].DType);
        Assert.Equal(1L, outputs[1].Item<long>());
        var grad = tape.Gradients(outputs[0], x)[0];
        Assert.Equal([0.0, 1, 0], grad.ToArray<double>());
    }

    [Fact]
    public void A_backward_with_the_wrong_number_of_gradients_throws_naming_the_function()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0], 1);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = new WrongArity().Apply(x)[0];
        Expect.Throws<InvalidOperationException>(() => tape.Gradients(y.Sum(), x), "WrongArity", "2 gradients for 1 inputs");
    }

    [Fact]
    public void A_backward_gradient_of_the_wrong_shape_throws_naming_the_function_and_shapes()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = new WrongShape().Apply(x)[0];
        Expect.Throws<InvalidOperationException>(() => tape.Gradients(y.Sum(), x), "WrongShape", "[3]", "[2]");
    }

    [Fact]
    public void Not_recording_a_function_saves_nothing()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0, 2], 2);
        using var tape = Tape.Record();
        var y = new Polar().Apply(x, x);
        Assert.Equal(0, tape.NodeCount);
        Assert.False(y[0].RequiresGrad);
    }

    private sealed class RecordsNeeds : Function
    {
        public bool[] Needs { get; private set; } = [];

        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs) => [inputs[0] * inputs[1]];

        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g)
        {
            Needs = [context.NeedsInputGrad(0), context.NeedsInputGrad(1)];
            return [null, g[0].Clone()];
        }
    }

    private sealed class PassThrough : Function
    {
        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs) => [inputs[0]];
        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g) => [g[0]];
    }

    private sealed class MaxAndIndex : Function
    {
        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
        {
            var index = inputs[0].ArgMax(0);
            context.SaveForBackward(index);
            return [inputs[0].Max(), index];
        }

        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g)
        {
            var oneHot = Tensor.OneHot(context.SavedTensors[0].Unsqueeze(0), 3, DType.F64).Squeeze(0);
            return [oneHot * g[0]];
        }
    }

    private sealed class WrongArity : Function
    {
        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs) => [inputs[0] * 2];
        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g) => [g[0], g[0]];
    }

    private sealed class WrongShape : Function
    {
        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs) => [inputs[0] * 2];
        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g) => [Tensor.Zeros([3], DType.F64)];
    }
}
