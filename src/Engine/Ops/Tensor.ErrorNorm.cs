using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// The error norms that drive an adaptive ODE solver's step size, in one fused pass per component of its
    /// state. Component j has the tensors <c>terms[j]</c> (stage derivatives), <c>y0[j]</c> and <c>y1[j]</c>, all
    /// of one shape; for each row e of <paramref name="coefficients"/> its error estimate is
    /// <c>err = sum_i coefficients[e, i] * terms[j][i]</c>, scaled elementwise by
    /// <c>atol + rtol * max(|y0[j]|, |y1[j]|)</c>, and the result is the root mean square of the scaled error,
    /// with the squares summed in double. Returns an F64 tensor of shape [components, estimates].
    /// It is not differentiable: step-size control is not part of the gradient, so call it under
    /// <see cref="Autodiff.Tape.NoGrad"/> when its inputs are tracked.
    /// </summary>
    public static Tensor ScaledErrorRms(IReadOnlyList<IReadOnlyList<Tensor>> terms, double[,] coefficients,
        IReadOnlyList<Tensor> y0, IReadOnlyList<Tensor> y1, double rtol, double atol)
    {
        const string op = "ScaledErrorRms";
        int components = y0.Count, estimates = coefficients.GetLength(0), count = coefficients.GetLength(1);
        if (components == 0 || terms.Count != components || y1.Count != components)
            throw new ArgumentException($"{op}: needs one list of terms, one y0 and one y1 per component; got {terms.Count}, {y0.Count} and {y1.Count}");
        if (estimates == 0)
            throw new ArgumentException($"{op}: coefficients need at least one row (one error estimate)");
        if (!(rtol >= 0 && atol >= 0 && double.IsFinite(rtol) && double.IsFinite(atol)))
            throw new ArgumentException($"{op}: rtol and atol must be finite and non-negative, got rtol {rtol} and atol {atol}");
        var device = y0[0].Device;
        for (int j = 0; j < components; j++)
        {
            OpChecks.Floating(op, y0[j]);
            if (y0[j].Device != device)
                throw new ArgumentException($"{op}: component {j} {OpChecks.Describe(y0[j])} is not on {device} like component 0");
            if (terms[j].Count != count)
                throw new ArgumentException($"{op}: component {j} has {terms[j].Count} terms for {count} coefficient columns");
            foreach (var x in terms[j].Append(y1[j]))
            {
                OpChecks.Compatible(op, y0[j], x);
                if (!x.shape.AsSpan().SequenceEqual(y0[j].shape))
                    throw new ArgumentException($"{op}: component {j}: {OpChecks.Describe(x)} differs in shape from y0 {OpChecks.Describe(y0[j])}");
            }
        }
        if (Autodiff.Tape.IsRecording && terms.SelectMany(t => t).Concat(y0).Concat(y1).Any(t => t.RequiresGrad))
            throw new InvalidOperationException($"{op}: the error norm is not differentiable; call it under Tape.NoGrad()");

        var y = Empty([components, estimates], DType.F64, device);
        y0[0].Backend.ScaledErrorRms(
            terms.Select(t => t.Select(x => x.Buffer).ToArray()).ToArray(), coefficients,
            y0.Select(x => x.Buffer).ToArray(), y1.Select(x => x.Buffer).ToArray(), rtol, atol, y.Buffer);
        return y;
    }
}
