using Engine.NN;

namespace Engine.Ode;

/// <summary>
/// A neural ODE as a layer (the ODEBlock of torchdiffeq's examples, the ODE stage of an ANODE ResNet): the input is
/// the state at <see cref="Start"/>, the field module gives dz/dt, and <see cref="Forward"/> returns the state at
/// <see cref="End"/>, solved by <see cref="Ode"/>.Solve with <see cref="Options"/>:
/// <code>
/// var block = new OdeBlock(new Sequential(new Linear(2, 64), new Tanh(), new Linear(64, 2)),
///                          new OdeOptions { Solver = Solvers.Dopri5, Rtol = 1e-5, Atol = 1e-6, Gradient = OdeGradient.Checkpointed });
/// var model = new Sequential(new Linear(4, 2), block, new Linear(2, 3));   // the field's weights are model.Parameters() too
/// var y = model.Forward(x);
/// Console.WriteLine(block.LastStats!.ForwardEvaluations);
/// </code>
/// The block owns the field (child <c>field</c>) and hands the field's parameters to the solve as
/// <see cref="OdeOptions.Parameters"/>, so every gradient method gives them gradients. A time-dependent block
/// passes t to the field as an extra leading feature along dimension 1, like torchdiffeq's <c>ConcatConv2d</c>:
/// the field sees [batch, 1 + features] (or [N, 1 + C, H, W]) with t in the first column (channel).
/// </summary>
public sealed class OdeBlock : Module
{
    private OdeOptions options;

    /// <summary>
    /// Integrates <paramref name="field"/> from <paramref name="start"/> to <paramref name="end"/> (default [0, 1]);
    /// the block owns the field. <paramref name="options"/> (default: <see cref="OdeOptions"/>'s defaults) must leave
    /// <see cref="OdeOptions.Parameters"/> empty.
    /// </summary>
    public OdeBlock(Module field, OdeOptions? options = null, double start = 0, double end = 1, bool timeDependent = false)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!double.IsFinite(start) || !double.IsFinite(end) || start == end)
            throw new ArgumentException($"OdeBlock: start and end must be finite and different, got {Describe.Number(start)} and {Describe.Number(end)}");
        this.options = Checked(options ?? new OdeOptions());
        Field = RegisterModule("field", field);
        Start = start;
        End = end;
        TimeDependent = timeDependent;
    }

    /// <summary>The module that gives dz/dt from z (or from [t, z] when <see cref="TimeDependent"/>).</summary>
    public Module Field { get; }

    /// <summary>The time of the input state.</summary>
    public double Start { get; }

    /// <summary>The time of the output state.</summary>
    public double End { get; }

    /// <summary>Whether the field receives t as an extra leading feature (channel) along dimension 1.</summary>
    public bool TimeDependent { get; }

    /// <summary>
    /// Solver, tolerances and gradient method of every later solve; may be changed between calls (e.g. tighter
    /// tolerances for evaluation). <see cref="OdeOptions.Parameters"/> must be empty: the block lists the field's.
    /// </summary>
    public OdeOptions Options
    {
        get => options;
        set => options = Checked(value);
    }

    /// <summary>
    /// The cost of the latest solve (<see cref="Forward"/> or <see cref="Trajectory"/>): function evaluations and
    /// steps, and once a backward pass has run through it, the backward counts. Null before the first solve.
    /// </summary>
    public OdeStats? LastStats { get; private set; }

    /// <summary>The state at <see cref="End"/> of the ODE started from <paramref name="input"/> at <see cref="Start"/>; the input's shape.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = TensorScope.Begin();
        var times = Tensor.From(new[] { Start, End }, device: input.Device).To(input.DType);
        return scope.Keep(Trajectory(input, times)[^1]);
    }

    /// <summary>
    /// The states at <paramref name="times"/> of the ODE started from <paramref name="z0"/> at <c>times[0]</c> (not at
    /// <see cref="Start"/>), stacked as [times, ...z0.shape] like <see cref="Ode"/>.Solve returns them.
    /// </summary>
    public Tensor Trajectory(Tensor z0, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(z0);
        if (TimeDependent && z0.Rank < 2)
            throw new ArgumentException(
                $"OdeBlock: a time-dependent field takes t as an extra feature along dimension 1, so the state needs rank 2 or more " +
                $"([batch, features] or [N, C, H, W]), got {Describe.Tensor(z0)}");
        var solution = Ode.Solve(Evaluate, z0, times, options with { Parameters = [.. Field.Parameters()] });
        LastStats = solution.Stats;
        return solution.States;
    }

    private Tensor Evaluate(Tensor t, Tensor z)
    {
        if (!TimeDependent) return Field.Forward(z);
        var shape = z.Shape;
        shape[1] = 1;
        return Field.Forward(Tensor.Concat([t.Expand(shape), z], 1));
    }

    private static OdeOptions Checked(OdeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Parameters.Count > 0)
            throw new ArgumentException(
                $"OdeBlock: OdeOptions.Parameters must be empty ({options.Parameters.Count} given); the block passes its field's parameters to every solve");
        options.Validate();
        return options;
    }

    /// <inheritdoc />
    protected override string ExtraRepr() =>
        $"t=[{Describe.Number(Start)}, {Describe.Number(End)}], solver={options.Solver.Name}, gradient={options.Gradient}" +
        (TimeDependent ? ", time_dependent=True" : "");
}
