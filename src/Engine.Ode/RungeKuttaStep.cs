using Engine.Random;

namespace Engine.Ode;

/// <summary>
/// One explicit Runge-Kutta step from (t0, y0) to t1 = t0 + h: its stages k_i = f(t0 + c_i h, y0 + h sum_j a_ij k_j)
/// (each stage input one fused op per component), the solution y1 = y0 + h sum_i b_i k_i, and on demand the
/// error ratio, f(t1, y1) and dense output. Every tensor it makes belongs to the scope current when it is made.
/// Each evaluation of f has a slot (its stage, or f(t1, y1) after the stages): when the dynamics record draws the step
/// keeps, per slot, where the generators f drew from stood (<see cref="Draws"/>), and a replayed step puts them there
/// again before evaluating that slot, so a random f draws what it drew in the step it replays.
/// </summary>
internal sealed class RungeKuttaStep
{
    private readonly ButcherTableau tableau;
    private readonly Dynamics dynamics;
    private readonly OdeState?[] stages;
    private readonly GeneratorPositions?[]? recorded;
    private readonly IReadOnlyList<GeneratorPositions?>? replay;
    private OdeState? f1;

    private RungeKuttaStep(ButcherTableau tableau, Dynamics dynamics, double t0, double h, double t1, OdeState y0, IReadOnlyList<GeneratorPositions?>? replay)
    {
        this.tableau = tableau;
        this.dynamics = dynamics;
        this.replay = replay;
        T0 = t0;
        H = h;
        T1 = t1;
        Y0 = y0;
        stages = new OdeState?[tableau.Stages + (tableau.Dense?.ExtraC.Length ?? 0)];
        if (dynamics.RecordsDraws) recorded = new GeneratorPositions?[stages.Length + 1];
    }

    /// <summary>The slot of f(t1, y1): the last stage of a first-same-as-last method, else the one after the stages.</summary>
    private int F1Slot => tableau.Fsal ? tableau.Stages - 1 : stages.Length;

    public double T0 { get; }
    public double H { get; }
    public double T1 { get; }
    public OdeState Y0 { get; }
    public OdeState Y1 { get; private set; } = null!;

    /// <summary>
    /// Computes the stages and y1. <paramref name="k0"/> is f(t0, y0) when the caller has it (first-same-as-last
    /// reuse, or a retried step), with <paramref name="k0Draws"/> the draws recorded when it was evaluated; the last
    /// stage of a first-same-as-last method, f(t1, y1), is left for <see cref="F1"/>. <paramref name="replay"/> gives
    /// the recorded draws of the step this one takes again (<see cref="Draws"/> of that step).
    /// </summary>
    public static RungeKuttaStep Take(ButcherTableau tableau, Dynamics dynamics, double t0, OdeState y0, OdeState? k0, double h, double t1,
        GeneratorPositions? k0Draws = null, IReadOnlyList<GeneratorPositions?>? replay = null)
    {
        var step = new RungeKuttaStep(tableau, dynamics, t0, h, t1, y0, replay);
        if (k0 is null) step.stages[0] = step.Evaluate(0, t0, y0);
        else
        {
            step.stages[0] = k0;
            if (step.recorded is not null) step.recorded[0] = k0Draws;
        }
        int evaluated = tableau.Fsal ? tableau.Stages - 1 : tableau.Stages;
        for (int i = 1; i < evaluated; i++)
            step.stages[i] = step.EvaluateStage(i, tableau.C[i], tableau.A[i]);
        step.Y1 = StateOps.Combine(y0, Scaled(tableau.B, h), step.stages);
        return step;
    }

    /// <summary>f(t1, y1), evaluated on first use: the next step's first stage (and the last stage of a first-same-as-last method).</summary>
    public OdeState F1 => tableau.Fsal
        ? stages[tableau.Stages - 1] ??= Evaluate(F1Slot, T1, Y1)
        : f1 ??= Evaluate(F1Slot, T1, Y1);

    /// <summary>The draws recorded per slot, when the dynamics record them (the step then belongs in a <see cref="StepPlan"/> with them).</summary>
    public IReadOnlyList<GeneratorPositions?>? Draws => recorded;

    /// <summary>The draws recorded for <see cref="F1"/>, to go with it as the next step's first stage.</summary>
    public GeneratorPositions? F1Draws => recorded?[F1Slot];

    /// <summary>
    /// The error estimate divided by the tolerance, in the mixed RMS norm: the largest over the components of
    /// the RMS of err / (atol + rtol max(|y0|, |y1|)), over the first <paramref name="normComponents"/> components
    /// (a seminorm when that is not all of them). The step is accepted when it is at most 1.
    /// </summary>
    public double ErrorRatio(double rtol, double atol, int normComponents)
    {
        var error = tableau.Error ?? throw new InvalidOperationException($"{tableau.Name} has no error estimate");
        var used = Enumerable.Range(0, tableau.Stages).Where(i => error.Weights.Any(w => w[i] != 0)).ToArray();
        if (tableau.Fsal && used.Contains(tableau.Stages - 1)) _ = F1;
        var weights = new double[error.Weights.Length, used.Length];
        for (int e = 0; e < error.Weights.Length; e++)
            for (int n = 0; n < used.Length; n++) weights[e, n] = H * error.Weights[e][used[n]];
        var norms = StateOps.ScaledNorms(used.Select(i => stages[i]!.Head(normComponents)).ToArray(), weights,
            Y0.Head(normComponents), Y1.Head(normComponents), rtol, atol);
        double ratio = 0;
        Span<double> estimates = stackalloc double[error.Weights.Length];
        for (int j = 0; j < normComponents; j++)
        {
            for (int e = 0; e < estimates.Length; e++) estimates[e] = norms[j, e];
            ratio = Math.Max(ratio, error.Combine(estimates));
        }
        return ratio;
    }

    /// <summary>The continuous extension at <paramref name="t"/> in [t0, t1]: one fused op per component over the stages.</summary>
    public OdeState Interpolate(double t)
    {
        var dense = tableau.Dense ?? throw new InvalidOperationException($"{tableau.Name} has no dense output");
        _ = F1;
        for (int r = 0; r < dense.ExtraC.Length; r++)
            stages[tableau.Stages + r] ??= EvaluateStage(tableau.Stages + r, dense.ExtraC[r], dense.ExtraA[r]);
        double theta = (t - T0) / H;
        return StateOps.Combine(Y0, Scaled(dense.Weights(theta), H), stages);
    }

    private OdeState EvaluateStage(int slot, double c, double[] a)
    {
        var input = StateOps.Combine(Y0, Scaled(a, H), stages);
        return Evaluate(slot, c == 1 ? T1 : T0 + c * H, input);
    }

    private OdeState Evaluate(int slot, double t, OdeState y)
    {
        replay?[slot]?.Restore();
        var derivative = dynamics.Evaluate(t, y, out var drawn);
        if (recorded is not null) recorded[slot] = drawn;
        return derivative;
    }

    private static double[] Scaled(double[] values, double factor) => values.Select(v => v * factor).ToArray();
}
