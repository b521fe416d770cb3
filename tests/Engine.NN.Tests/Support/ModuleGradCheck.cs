using System.Globalization;
using Engine.Autodiff;
using Engine.Random;
using Engine.Tests.Autodiff;
using Xunit;

namespace Engine.NN.Tests.Support;

/// <summary>
/// <see cref="GradCheck"/> for the parameters of a module: the tape gradient of L = sum(w * module(x)) (w a fixed
/// standard normal weight) with respect to every parameter element must match central differences of L, with the
/// same step and tolerances. The module's parameters are perturbed in place, one element at a time.
/// </summary>
internal static class ModuleGradCheck
{
    public static void Check(string what, Module module, Tensor input)
    {
        using var scope = TensorScope.Begin();
        var parameters = module.NamedParameters().ToArray();
        Assert.All(parameters, p => Assert.Equal(DType.F64, p.Parameter.DType));
        double[] weights;
        using (var tape = Tape.Record())
        {
            var output = module.Forward(input);
            var w = Tensor.Randn(output.Shape, DType.F64, new Generator(0x5EED));
            weights = w.ToArray<double>();
            tape.Backward((output * w).Sum());
        }
        foreach (var (name, p) in parameters)
        {
            var analytic = p.Grad!.ToArray<double>();
            var values = p.ToArray<double>();
            for (int k = 0; k < values.Length; k++)
            {
                double original = values[k];
                values[k] = original + GradCheck.Step;
                double plus = Objective(module, input, p, values, weights);
                values[k] = original - GradCheck.Step;
                double minus = Objective(module, input, p, values, weights);
                values[k] = original;
                Set(p, values);
                double numeric = (plus - minus) / (2 * GradCheck.Step);
                double tolerance = GradCheck.AbsoluteTolerance + GradCheck.RelativeTolerance * Math.Abs(numeric);
                if (!(Math.Abs(analytic[k] - numeric) <= tolerance))
                    Assert.Fail($"{what}: gradient of {name} [{string.Join(", ", p.Shape)}] at element {k}: analytic {Show(analytic[k])} vs numeric {Show(numeric)} (tolerance {Show(tolerance)})");
            }
        }
        module.ZeroGrad();
    }

    private static double Objective(Module module, Tensor input, Tensor parameter, double[] values, double[] weights)
    {
        Set(parameter, values);
        using var noGrad = Tape.NoGrad();
        using var scope = TensorScope.Begin();
        var output = module.Forward(input).ToArray<double>();
        return output.Select((v, i) => v * weights[i]).Sum();
    }

    private static void Set(Tensor parameter, double[] values)
    {
        using var scope = TensorScope.Begin();
        parameter.CopyFrom(Tensor.From(values, parameter.Shape));
    }

    private static string Show(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
