using System.Globalization;
using Engine.Autodiff;
using Engine.Random;
using Xunit;

namespace Engine.Tests.Autodiff;

/// <summary>
/// Compares tape gradients with central finite differences. For f with output y the checked scalar is
/// L = sum(w * y) for a fixed standard normal weight w of y's shape, so every output element contributes.
/// The tape gradient dL/dx (a vector-Jacobian product with cotangent w) must agree with
/// (L(x + h e_k) - L(x - h e_k)) / 2h for every element k of every input, with h = <see cref="Step"/>, within
/// |analytic - numeric| &lt;= <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> * |numeric|.
/// The perturbed input is a contiguous copy; the other inputs are passed as they are. When an input is a
/// non-contiguous view, the output must also equal (within <see cref="LayoutTolerance"/>) the output for
/// contiguous copies of the inputs: for linear ops such as views a forward pass that reads the wrong elements
/// would otherwise go unnoticed, as the gradient of a wrong linear map matches its own finite differences.
/// <para>
/// Every check also tests the second order, through the recorded backward pass (<c>createGraph</c>): for
/// Q = sum(w * y * y) / 2 and a random direction v (one normal tensor per input), the Hessian-vector product
/// H v from double backward must agree with (grad Q(x + h2 v) - grad Q(x - h2 v)) / 2 h2 elementwise, with
/// h2 = <see cref="SecondOrderStep"/>, within <see cref="SecondOrderAbsoluteTolerance"/> +
/// <see cref="SecondOrderRelativeTolerance"/> * |numeric|. Squaring y makes the cotangent of the first backward
/// pass depend on x, so this exercises every backward rule's own derivative with respect to both its incoming
/// gradient and the tensors it saved, not only the op's second derivative.
/// </para>
/// </summary>
public static class GradCheck
{
    /// <summary>Finite-difference step h.</summary>
    public const double Step = 1e-6;

    /// <summary>atol in |analytic - numeric| &lt;= atol + rtol * |numeric|.</summary>
    public const double AbsoluteTolerance = 1e-6;

    /// <summary>rtol in |analytic - numeric| &lt;= atol + rtol * |numeric|.</summary>
    public const double RelativeTolerance = 1e-5;

    /// <summary>Largest |difference| / (1 + |value|) allowed between outputs for views and for contiguous copies.</summary>
    public const double LayoutTolerance = 1e-12;

    /// <summary>Finite-difference step h2 along the direction v for the Hessian-vector product.</summary>
    public const double SecondOrderStep = 1e-5;

    /// <summary>atol of the Hessian-vector product check.</summary>
    public const double SecondOrderAbsoluteTolerance = 1e-5;

    /// <summary>rtol of the Hessian-vector product check.</summary>
    public const double SecondOrderRelativeTolerance = 1e-4;

    private const ulong WeightSeed = 0x5EED;
    private const ulong DirectionSeed = 0xD1EC;

    /// <summary>Checks the gradient of <paramref name="f"/> with respect to every one of the F64 <paramref name="inputs"/>.</summary>
    public static void Check(string op, Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].DType != DType.F64)
                throw new ArgumentException($"GradCheck({op}): input {i} is {inputs[i].DType}; finite differences need F64 inputs");
        using var scope = TensorScope.Begin();
        int[] outputShape;
        double[] weights;
        Tensor[] analytic;
        using (var tape = Tape.Record())
        {
            foreach (var input in inputs) tape.Watch(input);
            var output = f(inputs);
            Assert.True(output.DType == DType.F64, $"GradCheck({op}): output is {output.DType}, expected F64");
            outputShape = output.Shape;
            CheckLayoutIndependence(op, f, inputs, output.ToArray<double>());
            var w = Tensor.Randn(outputShape, DType.F64, new Generator(WeightSeed));
            weights = w.ToArray<double>();
            analytic = tape.Gradients([output], [w], inputs);
        }
        for (int i = 0; i < inputs.Length; i++)
            CheckInput(op, f, inputs, i, analytic[i].ToArray<double>(), weights, outputShape);
        CheckSecondOrder(op, f, inputs, weights, outputShape);
    }

    private static void CheckSecondOrder(string op, Func<Tensor[], Tensor> f, Tensor[] inputs, double[] weights, int[] outputShape)
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.From(weights, outputShape);
        var generator = new Generator(DirectionSeed);
        var directions = inputs.Select(x => Tensor.Randn(x.Shape, DType.F64, generator)).ToArray();
        double[][] hvp;
        using (var tape = Tape.Record())
        {
            foreach (var input in inputs) tape.Watch(input);
            var grads = tape.Gradients(HalfWeightedSquare(f(inputs), w), inputs, createGraph: true);
            hvp = [.. tape.Gradients(grads, directions, inputs, allowUnused: true).Select(h => h.ToArray<double>())];
        }
        var plus = GradientAt(f, inputs, directions, SecondOrderStep, w);
        var minus = GradientAt(f, inputs, directions, -SecondOrderStep, w);
        for (int i = 0; i < inputs.Length; i++)
            for (int k = 0; k < hvp[i].Length; k++)
            {
                double numeric = (plus[i][k] - minus[i][k]) / (2 * SecondOrderStep);
                double tolerance = SecondOrderAbsoluteTolerance + SecondOrderRelativeTolerance * Math.Abs(numeric);
                if (!(Math.Abs(hvp[i][k] - numeric) <= tolerance))
                    Assert.Fail(
                        $"GradCheck({op}): Hessian-vector product (double backward) of input {i} {Describe(inputs[i])} at element {k} " +
                        $"{Format(Index(k, inputs[i].Shape))}: analytic {Show(hvp[i][k])} vs numeric {Show(numeric)}, |difference| " +
                        $"{Show(Math.Abs(hvp[i][k] - numeric))} exceeds atol {SecondOrderAbsoluteTolerance} + rtol {SecondOrderRelativeTolerance} * |numeric| = " +
                        $"{Show(tolerance)}; output shape {Format(outputShape)}, inputs {string.Join(", ", inputs.Select(Describe))}");
            }
    }

    private static Tensor HalfWeightedSquare(Tensor y, Tensor w) => (w * y * y).Sum() * 0.5;

    /// <summary>grad Q at x + step * v, from a plain (first-order) backward pass on contiguous perturbed inputs.</summary>
    private static double[][] GradientAt(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] directions, double step, Tensor w)
    {
        using var scope = TensorScope.Begin();
        Tensor[] moved;
        using (Tape.NoGrad()) moved = [.. inputs.Select((x, i) => (x + directions[i] * step).Detach())];
        using var tape = Tape.Record();
        foreach (var x in moved) tape.Watch(x);
        return [.. tape.Gradients(HalfWeightedSquare(f(moved), w), moved).Select(g => g.ToArray<double>())];
    }

    private static void CheckInput(string op, Func<Tensor[], Tensor> f, Tensor[] inputs, int i, double[] analytic, double[] weights, int[] outputShape)
    {
        var values = inputs[i].ToArray<double>();
        for (int k = 0; k < values.Length; k++)
        {
            double original = values[k];
            values[k] = original + Step;
            double plus = Objective(f, inputs, i, values, weights);
            values[k] = original - Step;
            double minus = Objective(f, inputs, i, values, weights);
            values[k] = original;
            double numeric = (plus - minus) / (2 * Step);
            double tolerance = AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
            if (!(Math.Abs(analytic[k] - numeric) <= tolerance))
                Assert.Fail(
                    $"GradCheck({op}): gradient of input {i} {Describe(inputs[i])} at element {k} {Format(Index(k, inputs[i].Shape))} (x = {Show(original)}): " +
                    $"analytic {Show(analytic[k])} vs numeric {Show(numeric)}, |difference| {Show(Math.Abs(analytic[k] - numeric))} exceeds " +
                    $"atol {AbsoluteTolerance} + rtol {RelativeTolerance} * |numeric| = {Show(tolerance)}; output shape {Format(outputShape)}, " +
                    $"inputs {string.Join(", ", inputs.Select(Describe))}");
        }
    }

    private static void CheckLayoutIndependence(string op, Func<Tensor[], Tensor> f, Tensor[] inputs, double[] output)
    {
        if (inputs.All(x => x.IsContiguous)) return;
        using var noGrad = Tape.NoGrad();
        using var scope = TensorScope.Begin();
        var expected = f([.. inputs.Select(x => x.Clone())]).ToArray<double>();
        for (int k = 0; k < output.Length; k++)
            if (!(Math.Abs(output[k] - expected[k]) <= LayoutTolerance * (1 + Math.Abs(expected[k]))))
                Assert.Fail(
                    $"GradCheck({op}): output element {k} is {Show(output[k])} for inputs {string.Join(", ", inputs.Select(Describe))} " +
                    $"but {Show(expected[k])} for contiguous copies of them");
    }

    /// <summary>sum(w * f(x)) with input <paramref name="i"/> replaced by a contiguous tensor of <paramref name="values"/>.</summary>
    private static double Objective(Func<Tensor[], Tensor> f, Tensor[] inputs, int i, double[] values, double[] weights)
    {
        using var noGrad = Tape.NoGrad();
        using var scope = TensorScope.Begin();
        var arguments = (Tensor[])inputs.Clone();
        arguments[i] = Tensor.From(values, inputs[i].Shape);
        var output = f(arguments).ToArray<double>();
        double sum = 0;
        for (int k = 0; k < output.Length; k++) sum += weights[k] * output[k];
        return sum;
    }

    private static int[] Index(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static string Describe(Tensor x) => $"{Format(x.Shape)}{(x.IsContiguous ? "" : " (non-contiguous)")}";

    private static string Format(int[] shape) => InputSpec.Format(shape);

    private static string Show(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
