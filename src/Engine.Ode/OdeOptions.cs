namespace Engine.Ode;

/// <summary>
/// How to solve (torchdiffeq's <c>method</c> and <c>options</c>). Adaptive steps are the default; setting
/// <see cref="StepSize"/> or <see cref="Steps"/> selects fixed steps, which every solver supports.
/// </summary>
public sealed record OdeOptions
{
    /// <summary>The Runge-Kutta method; one of <see cref="Solvers"/>. Default <see cref="Solvers.Dopri5"/>.</summary>
    public ButcherTableau Solver { get; init; } = Solvers.Dopri5;

    /// <summary>Relative tolerance of adaptive steps (default 1e-7, as torchdiffeq).</summary>
    public double Rtol { get; init; } = 1e-7;

    /// <summary>Absolute tolerance of adaptive steps (default 1e-9, as torchdiffeq).</summary>
    public double Atol { get; init; } = 1e-9;

    /// <summary>
    /// Fixed steps of at most this size: each interval between consecutive output times is split into the
    /// fewest equal steps no longer than it, so every output time is a step end (no interpolation).
    /// </summary>
    public double? StepSize { get; init; }

    /// <summary>Fixed steps: <c>StepSize = |t_last - t_first| / Steps</c>, i.e. exactly this many steps when only the two end times are requested.</summary>
    public int? Steps { get; init; }

    /// <summary>The first adaptive step size; chosen by Hairer's algorithm when null.</summary>
    public double? FirstStep { get; init; }

    /// <summary>Most steps (accepted and rejected) before the solve stops with an <see cref="OdeSolverException"/>.</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>Safety factor of the step-size controller (the new step aims at this fraction of the estimated optimum).</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>The most the controller shrinks a step at once (torchdiffeq's <c>dfactor</c>).</summary>
    public double MinFactor { get; init; } = 0.2;

    /// <summary>The most the controller grows a step at once (torchdiffeq's <c>ifactor</c>).</summary>
    public double MaxFactor { get; init; } = 10;

    /// <summary>How gradients are computed.</summary>
    public OdeGradient Gradient { get; init; } = OdeGradient.Direct;

    /// <summary>
    /// The tensors f closes over that need gradients (torchdiffeq's <c>adjoint_params</c>), for the
    /// <see cref="OdeGradient.Adjoint"/> and <see cref="OdeGradient.Checkpointed"/> methods, whose solve is one node
    /// on the tape with z0, the times and these as inputs. Usually left empty: while a tape records, the solve
    /// evaluates f once at (t_0, z0) on a probe tape and takes every tensor f reads that the tape tracks (leaves
    /// with <see cref="Tensor.RequiresGrad"/>, watched tensors, results of recorded ops such as a weight computed
    /// from a raw parameter) as a parameter (<see cref="Autodiff.Grad.CapturedTensors"/>). When the list is given it is
    /// used as it is, and a tracked tensor f reads that is missing from it is an error. A tensor f reads only away
    /// from (t_0, z0) is found only when listed; otherwise the backward pass throws an <see cref="ArgumentException"/>
    /// naming it when f reads it there. The Direct method records f's ops like any others and ignores this list.
    /// </summary>
    public IReadOnlyList<Tensor> Parameters { get; init; } = [];

    /// <summary>Relative tolerance of the adjoint's adaptive backward solve; <see cref="Rtol"/> when null.</summary>
    public double? AdjointRtol { get; init; }

    /// <summary>Absolute tolerance of the adjoint's adaptive backward solve; <see cref="Atol"/> when null.</summary>
    public double? AdjointAtol { get; init; }

    /// <summary>
    /// The adjoint's error control ignores the parameter adjoints a_theta (Kidger, Chen and Lyons 2021, "Hey, that's
    /// not an ODE"): a_theta feeds nothing back into the backward dynamics, so its local errors need not shrink the
    /// step; this usually saves backward steps at little cost in accuracy. Off by default, as in torchdiffeq.
    /// </summary>
    public bool AdjointSeminorm { get; init; }

    /// <summary>True when fixed steps were requested.</summary>
    public bool IsFixedStep => StepSize is not null || Steps is not null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range or inconsistent.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Solver, nameof(Solver));
        if (StepSize is not null && Steps is not null)
            throw new ArgumentException($"OdeOptions: set StepSize ({StepSize}) or Steps ({Steps}), not both");
        if (StepSize is { } h && !(h > 0 && double.IsFinite(h)))
            throw new ArgumentException($"OdeOptions: StepSize must be positive and finite, got {h}");
        if (Steps is { } n && n <= 0)
            throw new ArgumentException($"OdeOptions: Steps must be positive, got {n}");
        if (MaxSteps <= 0)
            throw new ArgumentException($"OdeOptions: MaxSteps must be positive, got {MaxSteps}");
        if (!Enum.IsDefined(Gradient))
            throw new ArgumentException($"OdeOptions: Gradient {(int)Gradient} is not an OdeGradient");
        ValidateParameters();
        if (IsFixedStep) return;
        if (!Solver.IsAdaptive)
            throw new ArgumentException($"OdeOptions: {Solver.Name} has no error estimate, so it needs fixed steps: set StepSize or Steps");
        CheckTolerances("Rtol", Rtol, "Atol", Atol);
        CheckTolerances("AdjointRtol", AdjointRtol ?? Rtol, "AdjointAtol", AdjointAtol ?? Atol);
        if (FirstStep is { } first && !(first > 0 && double.IsFinite(first)))
            throw new ArgumentException($"OdeOptions: FirstStep must be positive and finite, got {first}");
        if (!(Safety > 0 && Safety <= 1))
            throw new ArgumentException($"OdeOptions: Safety must be in (0, 1], got {Safety}");
        if (!(MinFactor > 0 && MinFactor < 1 && MaxFactor > 1 && double.IsFinite(MaxFactor)))
            throw new ArgumentException($"OdeOptions: need 0 < MinFactor < 1 < MaxFactor, got MinFactor {MinFactor} and MaxFactor {MaxFactor}");
    }

    private static void CheckTolerances(string rtolName, double rtol, string atolName, double atol)
    {
        if (!(rtol >= 0 && atol >= 0 && double.IsFinite(rtol) && double.IsFinite(atol)) || rtol == 0 && atol == 0)
            throw new ArgumentException(
                $"OdeOptions: {rtolName} and {atolName} must be finite, non-negative and not both zero, got {rtolName} {rtol} and {atolName} {atol}");
    }

    private void ValidateParameters()
    {
        ArgumentNullException.ThrowIfNull(Parameters, nameof(Parameters));
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i] ?? throw new ArgumentException($"OdeOptions: Parameters[{i}] is null");
            if (p.IsDisposed) throw new ArgumentException($"OdeOptions: Parameters[{i}] has been disposed");
            if (!p.DType.IsFloating())
                throw new ArgumentException($"OdeOptions: Parameters[{i}] is {Describe.Tensor(p)}; only floating tensors take gradients");
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(Parameters[j], p))
                    throw new ArgumentException($"OdeOptions: Parameters[{j}] and Parameters[{i}] are the same tensor; list each parameter once");
        }
    }
}
