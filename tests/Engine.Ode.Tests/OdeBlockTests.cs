using Engine.Autodiff;
using Engine.NN;
using Engine.Ode.Tests.Support;
using Engine.Random;
using Xunit;

namespace Engine.Ode.Tests;

/// <summary>
/// <see cref="OdeBlock"/> as a layer between two linear layers (F64): its field's parameters and everything before it
/// get the gradients finite differences give, with every gradient method and with a time-dependent field;
/// Checkpointed equals Direct to rounding; a convolutional field gets t as a channel; the block names its field's
/// parameters, reports its solve's cost and refuses bad settings with clear errors.
/// </summary>
public class OdeBlockTests
{
    /// <summary>Linear(2, 3), the block over [0, 0.8] with a 3 (+1) -> 5 -> 3 tanh field, Linear(3, 1).</summary>
    private static Sequential Model(OdeOptions options, bool timeDependent = false)
    {
        var generator = new Generator(0xB10C);
        var field = new Sequential(new Linear(timeDependent ? 4 : 3, 5, dtype: DType.F64, generator: generator), new Tanh(),
            new Linear(5, 3, dtype: DType.F64, generator: generator));
        return new Sequential(new Linear(2, 3, dtype: DType.F64, generator: generator), new OdeBlock(field, options, 0, 0.8, timeDependent),
            new Linear(3, 1, dtype: DType.F64, generator: generator));
    }

    private static Tensor Input() => Tensor.Randn([4, 2], DType.F64, new Generator(0x1A));

    /// <summary>Direct and Checkpointed are the exact gradients of the discrete solve (RK4); the adjoint's approximate the exact flow's, here at a tolerance that makes the difference negligible.</summary>
    public static TheoryData<OdeGradient, bool> MethodsAndTimeDependence() => new()
    {
        { OdeGradient.Direct, false }, { OdeGradient.Checkpointed, false }, { OdeGradient.Adjoint, false },
        { OdeGradient.Direct, true }, { OdeGradient.Checkpointed, true }, { OdeGradient.Adjoint, true },
    };

    [Theory]
    [MemberData(nameof(MethodsAndTimeDependence))]
    public void GradientsMatchFiniteDifferences(OdeGradient method, bool timeDependent)
    {
        var options = method == OdeGradient.Adjoint
            ? new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-11, Atol = 1e-11, Gradient = method }
            : new OdeOptions { Solver = Solvers.Rk4, Steps = 6, Gradient = method };
        using var model = Model(options, timeDependent);
        using var x = Input();
        FiniteDifferences.Check($"{method}, time-dependent {timeDependent}", inputs => MlpField.Objective(model.Forward(inputs[0])),
            [x, .. model.Parameters()]);
    }

    /// <summary>An ANODE-style convolutional block: t enters as the first channel of an [N, 1 + C, H, W] input to a 3x3 convolution.</summary>
    [Fact]
    public void AConvolutionalFieldTakesTAsAChannel()
    {
        var generator = new Generator(0xC0);
        var field = new Sequential(new Conv2d(3, 2, 3, padding: 1, dtype: DType.F64, generator: generator), new Tanh());
        using var block = new OdeBlock(field, new OdeOptions { Solver = Solvers.Rk4, Steps = 4, Gradient = OdeGradient.Checkpointed }, timeDependent: true);
        using var x = Tensor.Randn([2, 2, 4, 4], DType.F64, generator);
        using (var scope = TensorScope.Begin())
            Assert.Equal([2, 2, 4, 4], block.Forward(x).Shape);
        FiniteDifferences.Check("conv field", inputs => MlpField.Objective(block.Forward(inputs[0])), [x, .. block.Parameters()]);
    }

    [Fact]
    public void CheckpointedEqualsDirectToRounding()
    {
        var adaptive = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-6, Atol = 1e-6 };
        var direct = Gradients(adaptive with { Gradient = OdeGradient.Direct });
        var checkpointed = Gradients(adaptive with { Gradient = OdeGradient.Checkpointed });
        for (int i = 0; i < direct.Length; i++)
            for (int k = 0; k < direct[i].Length; k++)
                Assert.True(Math.Abs(checkpointed[i][k] - direct[i][k]) <= 1e-13 * (1 + Math.Abs(direct[i][k])),
                    $"gradient {i} element {k}: checkpointed {checkpointed[i][k]:R}, direct {direct[i][k]:R}");
    }

    private static double[][] Gradients(OdeOptions options)
    {
        using var model = Model(options, timeDependent: true);
        using var x = Input();
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        tape.Watch(x);
        var loss = MlpField.Objective(model.Forward(x));
        return tape.Gradients(loss, [x, .. model.Parameters()]).Select(g => g.ToArray<double>()).ToArray();
    }

    [Fact]
    public void NamesTheFieldsParametersAndReportsTheSolvesCost()
    {
        var options = new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-6, Atol = 1e-6, Gradient = OdeGradient.Checkpointed };
        using var model = Model(options);
        var block = (OdeBlock)model.Layers[1];
        Assert.Equal(["0.weight", "0.bias", "1.field.0.weight", "1.field.0.bias", "1.field.2.weight", "1.field.2.bias", "2.weight", "2.bias"],
            model.NamedParameters().Select(p => p.Name));
        Assert.Contains("(1): OdeBlock(t=[0, 0.8], solver=dopri5, gradient=Checkpointed\n    (field): Sequential(", model.ToString());
        Assert.Null(block.LastStats);

        using var scope = TensorScope.Begin();
        using var x = Input();
        using var tape = Tape.Record();
        var hidden = ((Linear)model.Layers[0]).Forward(x);
        var output = block.Forward(hidden);
        Assert.Equal(hidden.Shape, output.Shape);
        var stats = block.LastStats!;
        var reference = Ode.Solve((t, z) => block.Field.Forward(z), hidden, Tensor.From(new[] { 0.0, 0.8 }), options with { Gradient = OdeGradient.Direct });
        Assert.Equal(reference.Stats, stats);
        Assert.Equal(reference.States[1].ToArray<double>(), output.ToArray<double>());
        Assert.Equal(0, stats.BackwardEvaluations);
        tape.Backward(output.Sum());
        Assert.True(stats.BackwardEvaluations > 0 && stats.BackwardAcceptedSteps == stats.AcceptedSteps, $"{stats}");
    }

    [Fact]
    public void TrajectoryGivesTheStatesAtTheRequestedTimes()
    {
        using var model = Model(new OdeOptions { Solver = Solvers.Rk4, StepSize = 0.1 });
        var block = (OdeBlock)model.Layers[1];
        using var scope = TensorScope.Begin();
        var z0 = Tensor.Randn([4, 3], DType.F64, new Generator(5));
        var states = block.Trajectory(z0, Tensor.From(new[] { 0.0, 0.4, 0.8 }));
        Assert.Equal([3, 4, 3], states.Shape);
        Assert.Equal(z0.ToArray<double>(), states[0].ToArray<double>());
        Assert.Equal(block.Forward(z0).ToArray<double>(), states[2].ToArray<double>());
    }

    [Fact]
    public void BadSettingsAreRefusedClearly()
    {
        using var parameter = Tensor.Zeros([2], DType.F64);
        Expect.Throws<ArgumentException>(() => new OdeBlock(new Tanh(), new OdeOptions { Parameters = [parameter] }),
            "OdeBlock: OdeOptions.Parameters must be empty (1 given)");
        Expect.Throws<ArgumentException>(() => new OdeBlock(new Tanh(), start: 1, end: 1), "OdeBlock: start and end must be finite and different, got 1 and 1");
        Expect.Throws<ArgumentException>(() => new OdeBlock(new Tanh(), new OdeOptions { Solver = Solvers.Rk4 }), "rk4 has no error estimate");
        using var block = new OdeBlock(new Tanh(), timeDependent: true);
        Expect.Throws<ArgumentException>(() => block.Options = block.Options with { Parameters = [parameter] }, "OdeOptions.Parameters must be empty");
        using var vector = Tensor.Zeros([3]);
        Expect.Throws<ArgumentException>(() => block.Forward(vector), "the state needs rank 2 or more", "got [3] F32 on cpu");
    }
}
