using Engine.Autodiff;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>Gradients of gradients through the recorded backward pass (createGraph).</summary>
public class HigherOrderTests
{
    [Fact]
    public void Second_and_third_derivatives_of_a_cubic()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.5, -2], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = x.Pow(3).Sum();
        var dy = tape.Gradients(y, [x], createGraph: true)[0];
        var d2y = tape.Gradients(dy.Sum(), [x], createGraph: true)[0];
        var d3y = tape.Gradients(d2y.Sum(), x)[0];
        Assert.Equal([3 * 1.5 * 1.5, 3 * 4.0], dy.ToArray<double>());
        Assert.Equal([6 * 1.5, 6 * -2.0], d2y.ToArray<double>());
        Assert.Equal([6.0, 6], d3y.ToArray<double>());
    }

    [Fact]
    public void Gradients_are_constants_without_createGraph()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.5], 1);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var dy = tape.Gradients(x.Pow(3).Sum(), x)[0];
        Assert.False(dy.RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => tape.Gradients(dy.Sum(), x));
    }

    [Fact]
    public void Backward_with_createGraph_leaves_a_differentiable_Grad()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0.7], 1);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        tape.Backward(x.Sin().Sum(), createGraph: true);
        var second = tape.Gradients(x.Grad!.Sum(), x)[0];
        Assert.Equal(-Math.Sin(0.7), second.Item<double>(), 1e-15);
    }

    [Fact]
    public void Vjp_with_createGraph_is_differentiable_by_the_outer_tape()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray([0.5, -1.5], 2);
        w.RequiresGrad = true;
        var x = Tensor.FromArray([1.0, 2], 2);
        var ones = Tensor.Ones([2], DType.F64);
        using var tape = Tape.Record();
        // d/dx sum(tanh(w x)) = w (1 - tanh^2(w x)); the penalty is its squared norm, differentiated for w.
        var (_, vjps) = Grad.Vjp(xs => [(w * xs[0]).Tanh()], [x], [ones], createGraph: true);
        var penalty = vjps[0].Square().Sum();
        var grad = tape.Gradients(penalty, w)[0].ToArray<double>();
        for (int i = 0; i < 2; i++)
        {
            double wi = w.ToArray<double>()[i], xi = x.ToArray<double>()[i];
            double h = 1e-6;
            double Penalty(double v) { double s = 1 - Math.Pow(Math.Tanh(v * xi), 2); return Math.Pow(v * s, 2); }
            Assert.Equal((Penalty(wi + h) - Penalty(wi - h)) / (2 * h), grad[i], 1e-6);
        }
    }

    [Fact]
    public void A_gradient_penalty_training_step_matches_finite_differences_and_lowers_the_loss()
    {
        var generator = new Generator(11);
        using var outer = TensorScope.Begin();
        var x = Tensor.Randn([16, 3], DType.F64, generator);
        var target = Tensor.Randn([16, 1], DType.F64, generator);
        var w1 = Tensor.Randn([8, 3], DType.F64, generator) * 0.5;
        var w2 = Tensor.Randn([1, 8], DType.F64, generator) * 0.5;
        w1.RequiresGrad = true;
        w2.RequiresGrad = true;
        const double lambda = 0.1;

        double Loss(bool backward)
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Record();
            tape.Watch(x);
            var output = Tensor.Linear(Tensor.Linear(x, w1).Tanh(), w2);
            var fit = Functional.MseLoss(output, target);
            var inputGrad = tape.Gradients(output.Sum(), [x], createGraph: true)[0];
            var loss = fit + inputGrad.Square().Sum(1).Mean() * lambda;
            if (backward) tape.Backward(loss);
            return loss.Item<double>();
        }

        double before = Loss(backward: true);
        var analytic = w1.Grad!.ToArray<double>();
        var values = w1.ToArray<double>();
        foreach (int k in new[] { 0, 5, 23 })
        {
            double original = values[k], h = 1e-6;
            values[k] = original + h;
            w1.CopyFrom(Tensor.From(values, [8, 3]));
            double plus = Loss(false);
            values[k] = original - h;
            w1.CopyFrom(Tensor.From(values, [8, 3]));
            double minus = Loss(false);
            values[k] = original;
            w1.CopyFrom(Tensor.From(values, [8, 3]));
            Assert.Equal((plus - minus) / (2 * h), analytic[k], 1e-6);
        }
        foreach (var p in new[] { w1, w2 })
        {
            Tensor.LinearCombination(p, [-0.05], [p.Grad!], output: p);
            p.ZeroGrad();
        }
        Assert.True(Loss(false) < before);
    }
}
