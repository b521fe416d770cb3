using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Optim;

/// <summary>The optimizer classes drive the fused updates with per-parameter state, skip parameters without gradients, and save and restore their state exactly.</summary>
public class OptimizerTests
{
    /// <summary>Minimises ||A w - b||^2 for a few steps and returns the final w.</summary>
    private static double[] Descend(Func<IEnumerable<Tensor>, Optimizer> create, int steps)
    {
        using var scope = TensorScope.Begin();
        using var layer = new Linear(4, 1, bias: false, dtype: DType.F64, generator: new Generator(1));
        using var optimizer = create(layer.Parameters());
        var a = Tensor.Randn([16, 4], DType.F64, new Generator(2));
        var b = Tensor.Randn([16, 1], DType.F64, new Generator(3));
        for (int i = 0; i < steps; i++)
        {
            using var step = TensorScope.Begin();
            using var tape = Tape.Record();
            tape.Backward(Functional.MseLoss(layer.Forward(a), b));
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        return layer.Weight.ToArray<double>();
    }

    public static TheoryData<string> Optimizers => ["sgd", "sgd momentum", "sgd nesterov", "adam", "adamw"];

    private static Optimizer Create(string name, IEnumerable<Tensor> parameters) => name switch
    {
        "sgd" => new Sgd(parameters, 0.1),
        "sgd momentum" => new Sgd(parameters, 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3),
        "sgd nesterov" => new Sgd(parameters, 0.05, momentum: 0.9, nesterov: true),
        "adam" => new Adam(parameters, 0.05, weightDecay: 1e-3),
        _ => new AdamW(parameters, 0.05),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EveryOptimizerReducesALeastSquaresLoss(string name)
    {
        double Loss(double[] w)
        {
            using var scope = TensorScope.Begin();
            var a = Tensor.Randn([16, 4], DType.F64, new Generator(2));
            var b = Tensor.Randn([16, 1], DType.F64, new Generator(3));
            return Functional.MseLoss(a.MatMul(Tensor.From(w, [4, 1])), b).Item<double>();
        }
        Assert.True(Loss(Descend(p => Create(name, p), 40)) < 0.5 * Loss(Descend(p => Create(name, p), 0)));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RestoredStateContinuesTheSameTrajectory(string name)
    {
        using var scope = TensorScope.Begin();
        using var straight = new Linear(3, 2, dtype: DType.F64, generator: new Generator(5));
        using var resumed = new Linear(3, 2, dtype: DType.F64, generator: new Generator(6));
        using var first = Create(name, straight.Parameters());
        var x = Tensor.Randn([5, 3], DType.F64, new Generator(7));
        void Train(Module model, Optimizer optimizer, int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                using var step = TensorScope.Begin();
                using var tape = Tape.Record();
                tape.Backward(model.Forward(x).Square().Mean());
                optimizer.Step();
                optimizer.ZeroGrad();
            }
        }
        Train(straight, first, 3);
        resumed.LoadStateDict(straight.StateDict());
        var state = first.StateDict();
        using var second = Create(name, resumed.Parameters());
        second.LoadStateDict(state);
        foreach (var t in state.Values) t.Dispose();
        Train(straight, first, 3);
        Train(resumed, second, 3);
        Assert.Equal(straight.Weight.ToArray<double>(), resumed.Weight.ToArray<double>());
        Assert.Equal(straight.Bias!.ToArray<double>(), resumed.Bias!.ToArray<double>());
    }

    [Fact]
    public void StateDictNamesFollowPyTorchAndSkipsUnsteppedParameters()
    {
        using var scope = TensorScope.Begin();
        using var a = new Linear(2, 2);
        using var b = new Linear(2, 2);
        using var adam = new Adam([.. a.Parameters(), .. b.Parameters()]);
        using (var tape = Tape.Record()) tape.Backward(a.Forward(Tensor.Ones([1, 2])).Sum());
        adam.Step();
        var state = adam.StateDict();
        Assert.Equal(["state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq"], state.Keys);
        Assert.Equal(1L, state["state.0.step"].Item<long>());
        foreach (var t in state.Values) t.Dispose();
        Assert.Null(b.Weight.Grad);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        using var layer = new Linear(2, 2);
        Expect.Throws<ArgumentException>(() => new Sgd([], 0.1), "Sgd", "no parameters");
        Expect.Throws<ArgumentException>(() => new Sgd(layer.Parameters(), 0.1, nesterov: true), "Nesterov");
        Expect.Throws<ArgumentException>(() => new Adam(layer.Parameters(), beta1: 1), "Adam", "betas");
        using var adam = new Adam(layer.Parameters());
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => adam.LoadStateDict(new Dictionary<string, Tensor> { ["state.5.exp_avg"] = Tensor.Zeros([2]) }), "unexpected entry 'state.5.exp_avg'");
        Expect.Throws<ArgumentException>(() => adam.LoadStateDict(new Dictionary<string, Tensor> { ["state.0.exp_avg"] = Tensor.Zeros([2]) }), "'state.0.exp_avg' is [2]", "parameter 0 is [2, 2]");
    }
}
