using Engine.Random;

namespace Engine.Ode;

/// <summary>
/// One accepted step: from <see cref="T0"/> by <see cref="H"/> to <see cref="T1"/> (T1 is stored, not recomputed, so a
/// replay lands on the same double), and the draws of its evaluations of f when they were recorded.
/// </summary>
internal readonly record struct PlannedStep(double T0, double H, double T1, IReadOnlyList<GeneratorPositions?>? Draws);

/// <summary>Where output time i (i &gt;= 1) came from: the end of accepted step <see cref="Step"/>, or the dense output inside it.</summary>
internal readonly record struct OutputSlot(int Step, bool AtEnd);

/// <summary>
/// The accepted steps of a solve and where each output falls among them: enough to take exactly the same discrete
/// steps again from z0 (the checkpointed gradient re-runs a solve this way), without step-size control, rejected
/// attempts or the initial step selection.
/// </summary>
internal sealed class StepPlan
{
    private readonly List<PlannedStep> steps = [];

    public StepPlan(int outputCount) => Outputs = new OutputSlot[outputCount];

    public IReadOnlyList<PlannedStep> Steps => steps;

    /// <summary>Per output index; entry 0 (z0 itself) is unused.</summary>
    public OutputSlot[] Outputs { get; }

    /// <summary>Records an accepted step and returns its index.</summary>
    public int Add(double t0, double h, double t1, IReadOnlyList<GeneratorPositions?>? draws)
    {
        steps.Add(new PlannedStep(t0, h, t1, draws));
        return steps.Count - 1;
    }
}
