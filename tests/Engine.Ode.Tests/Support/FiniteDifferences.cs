using Engine.Autodiff;
using Xunit;

namespace Engine.Ode.Tests.Support;

/// <summary>
/// Compares tape gradients of a scalar objective with central finite differences of the same F64 computation,
/// element by element: |analytic - numeric| &lt;= 1e-6 + 1e-5 |numeric| with step 1e-6.
/// </summary>
internal static class FiniteDifferences
{
    private const double Step = 1e-6, AbsoluteTolerance = 1e-6, RelativeTolerance = 1e-5;

    public static void Check(string what, Func<Tensor[], Tensor> objective, params Tensor[] inputs)
    {
        double[][] analytic;
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Record())
        {
            foreach (var input in inputs) tape.Watch(input);
            var loss = objective(inputs);
            analytic = tape.Gradients(loss, inputs).Select(g => g.ToArray<double>()).ToArray();
        }
        for (int i = 0; i < inputs.Length; i++)
        {
            var values = inputs[i].ToArray<double>();
            for (int k = 0; k < values.Length; k++)
            {
                double original = values[k];
                values[k] = original + Step;
                double plus = Evaluate(objective, inputs, i, values);
                values[k] = original - Step;
                double minus = Evaluate(objective, inputs, i, values);
                values[k] = original;
                Evaluate(objective, inputs, i, values);
                double numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(analytic[i][k] - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric),
                    $"{what}: gradient of input {i} [{string.Join(", ", inputs[i].Shape)}] at element {k}: analytic {analytic[i][k]:R}, numeric {numeric:R}");
            }
        }
    }

    private static double Evaluate(Func<Tensor[], Tensor> objective, Tensor[] inputs, int changed, double[] values)
    {
        using var scope = TensorScope.Begin();
        inputs[changed].CopyFrom(Tensor.From(values, inputs[changed].Shape));
        return objective(inputs).Item<double>();
    }
}
