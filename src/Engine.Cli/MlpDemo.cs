using Engine.Autodiff;
using Engine.Memory;
using Engine.Random;
using Spectre.Console;

namespace Engine.Cli;

/// <summary>
/// Fits a 2-layer MLP to y = sin(pi x1) cos(pi x2) on [-1, 1]^2 with the tape and plain gradient
/// descent, printing the loss as it falls. The main job until the neural-ODE training lands.
/// </summary>
internal static class MlpDemo
{
    public static int Run(int steps, int hidden, double learningRate, ulong seed)
    {
        var generator = new Generator(seed);
        using var inputs = Owned(() => Tensor.Rand([256, 2], DType.F32, generator) * 2 - 1);
        using var targets = Target(inputs);
        using var w1 = Parameter(() => Tensor.Randn([hidden, 2], DType.F32, generator) * Math.Sqrt(1.0 / 2));
        using var b1 = Parameter(() => Tensor.Zeros([hidden]));
        using var w2 = Parameter(() => Tensor.Randn([1, hidden], DType.F32, generator) * Math.Sqrt(1.0 / hidden));
        using var b2 = Parameter(() => Tensor.Zeros([1]));
        Tensor[] parameters = [w1, b1, w2, b2];
        var memory = DeviceMemory.Stats(Device.Cpu);

        var table = new Table().AddColumns("step", "loss", "host bytes in use");
        double first = double.NaN, last = double.NaN;
        for (int step = 0; step <= steps; step++)
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Record();
            var hiddenLayer = Tensor.Linear(inputs, w1, b1).Tanh();
            var loss = Functional.MseLoss(Tensor.Linear(hiddenLayer, w2, b2), targets);
            tape.Backward(loss);
            last = loss.Item<float>();
            if (step == 0) first = last;
            Update(parameters, learningRate);
            if (step % Math.Max(1, steps / 10) == 0)
                table.AddRow(step.ToString(), last.ToString("F5"), memory.BytesInUse.ToString("N0"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"MLP 2-{hidden}-1, {steps} steps of gradient descent (lr {learningRate}): loss {first:F5} -> {last:F5}");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (memory.FinalizedCount > 0)
            AnsiConsole.MarkupLine($"[yellow]{memory.FinalizedCount} tensors were never disposed ({memory.BytesFreedByFinalizer:N0} bytes freed by finalizers)[/]");
        return last < first ? 0 : 1;
    }

    private static Tensor Target(Tensor x)
    {
        using var scope = TensorScope.Begin();
        var x1 = x.Narrow(1, 0, 1);
        var x2 = x.Narrow(1, 1, 1);
        return scope.Keep((x1 * Math.PI).Sin() * (x2 * Math.PI).Cos());
    }

    /// <summary>The result of <paramref name="make"/>, owned by the caller; its temporaries are freed at once.</summary>
    private static Tensor Owned(Func<Tensor> make)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(make());
    }

    private static Tensor Parameter(Func<Tensor> initial)
    {
        var parameter = Owned(initial);
        parameter.RequiresGrad = true;
        return parameter;
    }

    private static void Update(Tensor[] parameters, double learningRate)
    {
        using var noGrad = Tape.NoGrad();
        foreach (var p in parameters)
        {
            Tensor.LinearCombination(p, [-learningRate], [p.Grad!], output: p);
            p.ZeroGrad();
        }
    }
}
