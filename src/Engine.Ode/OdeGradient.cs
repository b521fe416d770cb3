namespace Engine.Ode;

/// <summary>How <see cref="Ode.Solve(Func{Tensor, OdeState, OdeState}, OdeState, Tensor, OdeOptions?)"/> is differentiated.</summary>
public enum OdeGradient
{
    /// <summary>
    /// Back-propagation through every solver step (discretise-then-optimise): the stage updates, the dynamics's
    /// ops and the dense-output interpolations are recorded on the active tape like any other ops, so the
    /// gradient is that of the discrete solve. Adaptive step-size decisions are not differentiated (the error
    /// estimate runs under <see cref="Engine.Autodiff.Tape.NoGrad"/>), as in torchdiffeq. Memory grows with
    /// the number of steps times the dynamics's saved activations.
    /// </summary>
    Direct,
}
