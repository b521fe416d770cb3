using Engine.Autodiff;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>Grad.CapturedTensors: the tracked tensors a closure reads from outside, found by one probe run.</summary>
public class CapturedTensorsTests
{
    [Fact]
    public void Finds_leaves_watched_tensors_and_results_of_recorded_ops_but_not_constants_or_its_own_intermediates()
    {
        using var scope = TensorScope.Begin();
        var leaf = Tensor.FromArray([1.0, 2], 2);
        leaf.RequiresGrad = true;
        var raw = Tensor.FromArray([0.5, -0.5], 2);
        raw.RequiresGrad = true;
        var watched = Tensor.FromArray([3.0, 4], 2);
        var constant = Tensor.FromArray([5.0, 6], 2);
        var x = Tensor.FromArray([0.1, 0.2], 2);
        using var tape = Tape.Record();
        tape.Watch(watched);
        var derived = raw.Exp();
        int nodesBefore = tape.NodeCount;

        var captured = Grad.CapturedTensors(() =>
        {
            using var inner = TensorScope.Begin();
            var h = (x * leaf).Tanh();         // h is the body's own: not captured
            var y = h * derived + watched * constant + h.Square();
            _ = y.Sum() + leaf.Sum();          // leaf read twice: listed once
        });

        Assert.Equal(3, captured.Length);
        Assert.Equal(leaf.ToArray<double>(), captured[0].ToArray<double>());
        Assert.Equal(derived.ToArray<double>(), captured[1].ToArray<double>());
        Assert.Equal(watched.ToArray<double>(), captured[2].ToArray<double>());
        Assert.Equal(nodesBefore, tape.NodeCount);

        // The handles carry the identities: gradients taken for them are those of the tensors read.
        var loss = (captured[1] * 2).Sum();
        Assert.Equal((derived * 2).ToArray<double>(), tape.Gradients(loss, raw)[0].ToArray<double>());
    }

    [Fact]
    public void Leaves_out_known_tensors_and_finds_nothing_when_nothing_records()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1.0, 2], 2);
        var b = Tensor.FromArray([3.0, 4], 2);
        a.RequiresGrad = b.RequiresGrad = true;
        void Body() => _ = a * b;

        Assert.Empty(Grad.CapturedTensors(Body));
        using var tape = Tape.Record();
        var captured = Grad.CapturedTensors(Body, known: [a]);
        Assert.Single(captured);
        Assert.Equal(b.ToArray<double>(), captured[0].ToArray<double>());
        using (Tape.NoGrad())
            Assert.Empty(Grad.CapturedTensors(Body));
    }

    [Fact]
    public void A_body_that_throws_leaves_no_handles_behind()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1.0, 2], 2);
        a.RequiresGrad = true;
        using var tape = Tape.Record();
        var error = Assert.Throws<InvalidOperationException>(() => Grad.CapturedTensors(() =>
        {
            _ = a * 2;
            throw new InvalidOperationException("field failed");
        }));
        Assert.Equal("field failed", error.Message);
        var storage = a.Storage;
        a.Dispose();
        Assert.False(storage.IsAlive);
    }
}
