namespace Engine.Ode;

/// <summary>
/// An explicit Runge-Kutta method: its Butcher tableau (nodes c, strictly lower-triangular coefficients a,
/// weights b), and for the adaptive pairs the embedded error estimate and the continuous extension used for
/// dense output. The built-in methods are the members of <see cref="Solvers"/>.
/// </summary>
public sealed class ButcherTableau
{
    private const double CoefficientTolerance = 1e-12;

    internal ButcherTableau(string name, int order, double[] c, double[][] a, double[] b, ErrorEstimate? error = null, DenseOutput? dense = null)
    {
        int stages = c.Length;
        if (a.Length != stages || b.Length != stages || c[0] != 0)
            throw new ArgumentException($"{name}: c, a and b must have one entry per stage and c[0] = 0");
        for (int i = 0; i < stages; i++)
        {
            if (a[i].Length != i) throw new ArgumentException($"{name}: row {i} of a must have {i} entries, has {a[i].Length}");
            CheckSum(name, $"row {i} of a", a[i], c[i]);
        }
        CheckSum(name, "b", b, 1);
        Fsal = stages > 1 && c[^1] == 1 && b[^1] == 0 && a[^1].AsSpan().SequenceEqual(b.AsSpan(0, stages - 1));
        if (error is not null && Array.Exists(error.Weights, w => w.Length != stages))
            throw new ArgumentException($"{name}: every error estimate needs one weight per stage");
        if (dense is not null && !Fsal)
            throw new ArgumentException($"{name}: dense output needs f(t1, y1), so the method must be first-same-as-last");
        for (int r = 0; r < (dense?.ExtraA.Length ?? 0); r++)
        {
            if (dense!.ExtraA[r].Length != stages + r) throw new ArgumentException($"{name}: dense stage {r} needs {stages + r} coefficients");
            CheckSum(name, $"dense stage {r}", dense.ExtraA[r], dense.ExtraC[r]);
        }
        Name = name;
        Order = order;
        C = c;
        A = a;
        B = b;
        Error = error;
        Dense = dense;
    }

    /// <summary>Short name, e.g. <c>dopri5</c> (torchdiffeq's method names).</summary>
    public string Name { get; }

    /// <summary>Order of accuracy of the solution: the global error of fixed steps h shrinks like h^Order.</summary>
    public int Order { get; }

    /// <summary>True when the method has an embedded error estimate, so it can choose its own steps.</summary>
    public bool IsAdaptive => Error is not null;

    /// <summary>Order of the continuous extension used for output between step ends (null without dense output).</summary>
    public int? DenseOutputOrder => Dense?.Order;

    /// <summary>
    /// Evaluations of f per step: the number of stages, less one for a first-same-as-last method, whose last
    /// stage f(t1, y1) is the first stage of the next step.
    /// </summary>
    public int EvaluationsPerStep => Fsal ? Stages - 1 : Stages;

    internal int Stages => C.Length;
    internal double[] C { get; }
    internal double[][] A { get; }
    internal double[] B { get; }

    /// <summary>The last stage is evaluated at (t0 + h, y1): b is a's last row and b's last entry is 0.</summary>
    internal bool Fsal { get; }

    internal ErrorEstimate? Error { get; }
    internal DenseOutput? Dense { get; }

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    private static void CheckSum(string name, string what, double[] values, double expected)
    {
        double sum = 0, magnitude = 1;
        foreach (var v in values)
        {
            sum += v;
            magnitude += Math.Abs(v);
        }
        if (values.Length > 0 && Math.Abs(sum - expected) > CoefficientTolerance * magnitude)
            throw new ArgumentException($"{name}: {what} sums to {sum:R}, expected {expected:R}");
    }
}

/// <summary>
/// An embedded error estimate: one or more weight vectors over the stages (err_e = h * sum_i Weights[e][i] k_i),
/// how the per-component RMS norms of the estimates combine into one error ratio, and the power k with which
/// that ratio scales in h (the controller's exponents are fractions of 1/k).
/// </summary>
internal sealed record ErrorEstimate(double[][] Weights, int Exponent, Func<ReadOnlySpan<double>, double> Combine)
{
    /// <summary>One estimate, b - b_hat of an embedded pair; its norm is the error ratio.</summary>
    public static ErrorEstimate Embedded(double[] weights, int exponent) => new([weights], exponent, norms => norms[0]);
}

/// <summary>
/// A continuous extension y(t0 + theta h) = y0 + h * sum_i Weights(theta)[i] k_i over the method's stages
/// and <see cref="ExtraC"/>/<see cref="ExtraA"/> stages evaluated only for steps that need dense output.
/// </summary>
internal sealed record DenseOutput(int Order, Func<double, double[]> Weights, double[] ExtraC, double[][] ExtraA)
{
    public DenseOutput(int order, Func<double, double[]> weights) : this(order, weights, [], []) { }

    /// <summary>
    /// The weights of an extension in Hairer's nested form (dopri5's and dop853's contd routines):
    /// theta (F0 + (1 - theta) (F1 + theta (F2 + (1 - theta) (F3 + ...)))) with F0 = sum b_i k_i = (y1 - y0) / h,
    /// F1 = k_0 - F0, F2 = 2 F0 - k_0 - f(t1, y1) and F3, F4, ... = sum d_r,i k_i. Without d rows it is the
    /// cubic Hermite interpolant through y0, f0, y1, f1.
    /// </summary>
    public static Func<double, double[]> HairerWeights(double[] b, int stageCount, params double[][] d)
    {
        int last = b.Length - 1;
        var f0 = Pad(b, stageCount);
        var f1 = f0.Select(x => -x).ToArray();
        f1[0] += 1;
        var f2 = f0.Select(x => 2 * x).ToArray();
        f2[0] -= 1;
        f2[last] -= 1;
        double[][] rows = [f0, f1, f2, .. d.Select(r => Pad(r, stageCount))];
        return theta =>
        {
            var weights = new double[stageCount];
            double power = 1;
            for (int m = 0; m < rows.Length; m++)
            {
                power *= m % 2 == 0 ? theta : 1 - theta;
                for (int i = 0; i < stageCount; i++) weights[i] += power * rows[m][i];
            }
            return weights;
        };
    }

    private static double[] Pad(double[] values, int length)
    {
        var padded = new double[length];
        values.CopyTo(padded, 0);
        return padded;
    }
}
