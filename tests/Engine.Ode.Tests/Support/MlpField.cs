using Engine.Autodiff;
using Engine.Random;

namespace Engine.Ode.Tests.Support;

/// <summary>
/// A small non-autonomous MLP field in F64 for gradient tests: f(t, z) = tanh(z W1^T + b1 + t c) W2^T + b2 with z of
/// shape [3, 2]. Inputs are z0, W1, b1, c, W2, b2; the objective sum(w * states) uses fixed standard normal weights w,
/// so every output time and element counts.
/// </summary>
internal static class MlpField
{
    private const ulong Seed = 0x0DE;

    public static Tensor[] Inputs()
    {
        var generator = new Generator(Seed);
        Tensor Draw(int[] shape, double scale)
        {
            using var draw = Tensor.Randn(shape, DType.F64, generator);
            return draw * scale;
        }
        return [Draw([3, 2], 1), Draw([4, 2], 0.8), Draw([4], 0.3), Draw([4], 0.5), Draw([2, 4], 0.8), Draw([2], 0.3)];
    }

    public static Tensor Field(Tensor t, Tensor z, IReadOnlyList<Tensor> p) =>
        Tensor.Linear((Tensor.Linear(z, p[1], p[2]) + t * p[3]).Tanh(), p[4], p[5]);

    public static Tensor Objective(Tensor states)
    {
        using var w = Tensor.Randn(states.Shape, DType.F64, new Generator(Seed + 1));
        return (states * w).Sum();
    }

    /// <summary>Solves with <paramref name="options"/> (its parameters set to W1..b2) and returns the objective.</summary>
    public static Tensor Loss(Tensor[] p, Tensor times, OdeOptions options) =>
        Objective(Ode.Solve((t, z) => Field(t, z, p), p[0], times, options with { Parameters = p[1..] }).States);

    /// <summary>The gradients of the objective for z0, each parameter and the times, as arrays (inputs watched, not required).</summary>
    public static double[][] Gradients(Tensor[] p, Tensor times, OdeOptions options)
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        foreach (var input in p) tape.Watch(input);
        tape.Watch(times);
        var loss = Loss(p, times, options);
        return tape.Gradients(loss, [.. p, times]).Select(g => g.ToArray<double>()).ToArray();
    }

    /// <summary>Checks the gradients of <see cref="Loss"/> under <paramref name="options"/> against finite differences, at four output times.</summary>
    public static void CheckAgainstFiniteDifferences(string name, OdeOptions options)
    {
        var inputs = Inputs();
        using var times = Tensor.From(new[] { 0.0, 0.4, 0.9, 1.5 });
        try
        {
            FiniteDifferences.Check(name, p => Loss(p, times, options), inputs);
        }
        finally
        {
            Dispose(inputs);
        }
    }

    public static void Dispose(Tensor[] inputs)
    {
        foreach (var input in inputs) input.Dispose();
    }
}
