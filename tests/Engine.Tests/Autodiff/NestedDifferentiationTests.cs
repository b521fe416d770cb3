using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>Differentiation inside backward rules, custom functions and no-grad regions, each in its own frame.</summary>
[Collection(nameof(MemoryCounters))]
public class NestedDifferentiationTests
{
    [Fact]
    public void Vjp_under_NoGrad_gives_the_right_numbers()
    {
        using var scope = TensorScope.Begin();
        var z = Tensor.FromArray([1.0, 2, 3], 3);
        var ones = Tensor.Ones([3], DType.F64);
        Tensor[] vjps;
        using (Tape.NoGrad())
            (_, vjps) = Grad.Vjp(x => [x[0] * 2], [z], [ones]);
        Assert.Equal([2.0, 2, 2], vjps[0].ToArray<double>());
    }

    [Fact]
    public void Vjp_inside_a_custom_function_backward_gives_the_right_numbers()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray([0.5, -2, 3], 3);
        var x = Tensor.FromArray([0.3, -1.1, 2.0], 3);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = new SinTimesWeightByVjp(w).Apply(x)[0];
        var g = Tensor.FromArray([1.0, 0.25, -1], 3);
        var grad = tape.Gradients([y], [g], [x])[0].ToArray<double>();
        double[] xs = [0.3, -1.1, 2.0], ws = [0.5, -2, 3], gs = [1.0, 0.25, -1];
        for (int i = 0; i < 3; i++) Assert.Equal(Math.Cos(xs[i]) * ws[i] * gs[i], grad[i], 1e-14);
    }

    [Fact]
    public void A_custom_function_whose_backward_uses_Vjp_matches_finite_differences()
    {
        GradProperty.ForAll(GradGen.Input(Domain.Normal), spec =>
        {
            var x = spec.Create();
            var w = Tensor.Randn(x.Shape, DType.F64, new Generator(spec.Seed + 1));
            GradCheck.Check("SinTimesWeightByVjp", a => new SinTimesWeightByVjp(w).Apply(a[0])[0], x);
        });
    }

    [Fact]
    public void The_inner_tape_of_a_backward_adds_no_nodes_and_no_retained_bytes_to_the_outer_tape()
    {
        var stats = DeviceMemory.Stats(Device.Cpu);
        using var scope = TensorScope.Begin();
        var generator = new Generator(7);
        var w = Tensor.Randn([256, 256], DType.F64, generator);
        var x = Tensor.Randn([64, 256], DType.F64, generator);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = new DeepVjp(w, layers: 8).Apply(x)[0];
        var loss = y.Sum();
        int nodesAfterForward = tape.NodeCount;
        long bytesAfterForward = stats.BytesInUse;

        var grad = tape.Gradients(loss, x)[0];

        Assert.Equal(2, nodesAfterForward);
        Assert.Equal(nodesAfterForward, tape.NodeCount);
        // Only the gradient remains: the inner tape's eight saved layers went with it.
        Assert.Equal(bytesAfterForward + CpuAllocator.BlockSize(64 * 256 * 8), stats.BytesInUse);
        Assert.True(grad.ToArray<double>().All(double.IsFinite));
    }

    [Fact]
    public void Peak_memory_of_a_backward_that_records_inside_holds_one_inner_tape_at_a_time()
    {
        var stats = DeviceMemory.Stats(Device.Cpu);
        using var scope = TensorScope.Begin();
        var generator = new Generator(8);
        var w = Tensor.Randn([128, 128], DType.F64, generator);
        var x = Tensor.Randn([128, 128], DType.F64, generator);
        x.RequiresGrad = true;
        long block = CpuAllocator.BlockSize(128 * 128 * 8);
        long PeakOfBackward(int functions)
        {
            using var inner = TensorScope.Begin();
            using var tape = Tape.Record();
            var y = x;
            for (int i = 0; i < functions; i++) y = new DeepVjp(w, layers: 4).Apply(y)[0];
            var loss = y.Sum();
            stats.ResetPeak();
            long before = stats.BytesInUse;
            tape.Gradients(loss, x);
            return stats.PeakBytesInUse - before;
        }
        long one = PeakOfBackward(1), three = PeakOfBackward(3);
        // Each function's backward re-runs 4 layers on a tape of its own, disposed before the next function's.
        Assert.True(three - one <= 4 * block, $"peak grew from {one} to {three} bytes with two more functions; expected at most {4 * block}");
    }

    [Fact]
    public void A_tape_opened_after_EnableGrad_inside_a_backward_records_only_in_its_own_frame()
    {
        using var scope = TensorScope.Begin();
        var parameter = Tensor.FromArray([0.5, 1.5], 2);
        parameter.RequiresGrad = true;
        var x = Tensor.FromArray([2.0, -1], 2);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var probe = new RecordsInBackward(parameter);
        var y = probe.Apply(x)[0].Sum();
        int before = tape.NodeCount;
        tape.Gradients(y, x);
        Assert.Equal(before, tape.NodeCount);
        Assert.Equal(2, probe.InnerNodeCount);
        Assert.Equal([1.0, 1], probe.InnerGradient);
    }

    [Fact]
    public void Forward_of_a_custom_function_runs_with_recording_off()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1.0], 1);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var probe = new ObservesRecording();
        probe.Apply(x);
        Assert.False(probe.RecordingInForward);
        Assert.True(Tape.IsRecording);
        Assert.Equal(1, tape.NodeCount);
    }

    /// <summary>y = tanh(... tanh(x W) W ...), whose backward re-runs the layers on an inner tape (like ANODE).</summary>
    private sealed class DeepVjp(Tensor w, int layers) : Function
    {
        private Tensor Run(Tensor x)
        {
            for (int i = 0; i < layers; i++) x = x.MatMul(w).Tanh();
            return x;
        }

        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
        {
            context.SaveForBackward(inputs[0]);
            using var scope = TensorScope.Begin();
            return [scope.Keep(Run(inputs[0]))];
        }

        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs)
        {
            using var scope = TensorScope.Begin();
            var (_, vjps) = Grad.Vjp(xs => [Run(xs[0])], [context.SavedTensors[0]], [gradOutputs[0]]);
            return [scope.Keep(vjps[0])];
        }
    }

    private sealed class RecordsInBackward(Tensor parameter) : Function
    {
        public int InnerNodeCount { get; private set; }
        public double[] InnerGradient { get; private set; } = [];

        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs) => [inputs[0] * 3];

        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs)
        {
            using (Tape.EnableGrad())
            using (var inner = Tape.Record())
            {
                var q = (parameter * gradOutputs[0]).Sum();
                InnerNodeCount = inner.NodeCount;
                InnerGradient = inner.Gradients(q, parameter)[0].ToArray<double>();
            }
            return [gradOutputs[0] * 3];
        }
    }

    private sealed class ObservesRecording : Function
    {
        public bool RecordingInForward { get; private set; } = true;

        protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
        {
            RecordingInForward = Tape.IsRecording;
            return [inputs[0].Exp()];
        }

        protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs) => [gradOutputs[0]];
    }
}
