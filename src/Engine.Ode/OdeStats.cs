namespace Engine.Ode;

/// <summary>
/// What a solve cost. The forward counts are final when <c>Ode.Solve</c> returns; the backward counts are zero until
/// a backward pass runs through the solve, and add up over backward passes.
/// </summary>
/// <param name="ForwardEvaluations">Calls of the dynamics f during the forward solve, including the initial step selection and dense-output stages.</param>
/// <param name="AcceptedSteps">Steps taken (every step of a fixed grid).</param>
/// <param name="RejectedSteps">Adaptive steps whose error estimate exceeded the tolerance and were retried with a smaller step.</param>
public sealed record OdeStats(int ForwardEvaluations, int AcceptedSteps, int RejectedSteps)
{
    /// <summary>
    /// Calls of f during backward passes: for <see cref="OdeGradient.Adjoint"/> the evaluations of the augmented
    /// right-hand side (each one call of f and one vector-Jacobian product), for <see cref="OdeGradient.Checkpointed"/>
    /// the calls of the re-run forward and of the step-by-step back-propagation; for every method, one call per
    /// output time when the times need gradients. The Direct method's backward calls no f.
    /// </summary>
    public int BackwardEvaluations { get; internal set; }

    /// <summary>Steps of the backward passes: the adjoint's backward solves (accepted), or the steps the checkpointed method replayed.</summary>
    public int BackwardAcceptedSteps { get; internal set; }

    /// <summary>Rejected steps of the adjoint's adaptive backward solves.</summary>
    public int BackwardRejectedSteps { get; internal set; }
}
