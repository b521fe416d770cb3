using Engine.Autodiff;
using Engine.Backends;
using Engine.Ops;

namespace Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// y = x0 + sum_i coefficients[i] * xs[i] in one fused pass (the update of a Runge-Kutta stage). With
    /// <paramref name="output"/> the result is written there, in place (<c>out=</c>), and returned; output may be x0
    /// itself (y += sum c_i x_i) or any of xs.
    /// </summary>
    public static Tensor LinearCombination(Tensor x0, IReadOnlyList<double> coefficients, IReadOnlyList<Tensor> xs, Tensor? output = null)
    {
        const string name = "LinearCombination";
        OpChecks.Floating(name, x0);
        if (coefficients.Count != xs.Count)
            throw new ArgumentException($"{name}: {coefficients.Count} coefficients for {xs.Count} tensors");
        for (int i = 0; i < xs.Count; i++)
        {
            var x = xs[i];
            OpChecks.Compatible(name, x0, x);
            if (!x.shape.AsSpan().SequenceEqual(x0.shape))
                throw new ArgumentException($"{name}: {OpChecks.Describe(x)} differs in shape from x0 {OpChecks.Describe(x0)}");
        }
        var c = new double[coefficients.Count];
        for (int i = 0; i < c.Length; i++) c[i] = coefficients[i];
        if (output is null)
        {
            var y = NewOutputLike(x0);
            try
            {
                x0.Backend.LinearCombination(x0.Buffer, c, Buffers(xs), y.Buffer);
            }
            catch
            {
                y.Dispose();
                throw;
            }
            finally
            {
                GC.KeepAlive(x0);
                GC.KeepAlive(xs);
            }
            if (AnyWanted(x0, xs)) Tape.Record("LinearCombination", y, [x0, .. xs], [], LinearCombinationRule(c));
            return y;
        }
        OpChecks.Compatible(name, x0, output);
        if (!output.shape.AsSpan().SequenceEqual(x0.shape))
            throw new ArgumentException($"{name}: output {OpChecks.Describe(output)} differs in shape from x0 {OpChecks.Describe(x0)}");
        bool record = output.BeginInPlace(name, [x0, .. xs]);
        bool termsOverlap = false;
        for (int i = 0; i < xs.Count; i++) termsOverlap |= output.Overlaps(xs[i]);
        if (termsOverlap || output.Overlaps(x0) && !output.SameView(x0))
        {
            using var temporary = Empty(x0.shape, x0.DType, x0.Device);
            TensorScope.Detach(temporary);
            x0.Backend.LinearCombination(x0.Buffer, c, Buffers(xs), temporary.Buffer);
            x0.Backend.Copy(temporary.Buffer, output.Buffer);
        }
        else
        {
            x0.Backend.LinearCombination(x0.Buffer, c, Buffers(xs), output.Buffer);
        }
        output.MarkModified();
        if (!record || !Tape.Record("LinearCombination", output, [x0, .. xs], [], LinearCombinationRule(c))) output.EndInPlaceAsConstant();
        return output;
    }

    private static bool AnyWanted(Tensor x0, IReadOnlyList<Tensor> xs)
    {
        if (Tape.WantsAny(x0)) return true;
        for (int i = 0; i < xs.Count; i++)
            if (Tape.WantsAny(xs[i])) return true;
        return false;
    }

    private static BufferView[] Buffers(IReadOnlyList<Tensor> xs)
    {
        var views = new BufferView[xs.Count];
        for (int i = 0; i < views.Length; i++) views[i] = xs[i].Buffer;
        return views;
    }

    private static Autodiff.BackwardRule LinearCombinationRule(double[] c) => (g, context) =>
    {
        var grads = new Tensor?[c.Length + 1];
        grads[0] = g;
        for (int i = 0; i < c.Length; i++)
            if (context.Needs(i + 1)) grads[i + 1] = g * c[i];
        return grads;
    };
}
