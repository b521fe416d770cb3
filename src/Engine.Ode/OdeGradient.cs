namespace Engine.Ode;

/// <summary>
/// How <see cref="Ode.Solve(Func{Tensor, OdeState, OdeState}, OdeState, Tensor, OdeOptions?)"/> is differentiated.
/// Every method gives gradients for z0, for the times, and for the parameters f uses (the Adjoint and
/// Checkpointed methods find them by a probe evaluation of f, see <see cref="OdeOptions.Parameters"/>). Adaptive step-size decisions are
/// never differentiated, as in torchdiffeq. Gradients with respect to the times are, for every method, those of the
/// exact flow at the computed states: dL/dt_i = &lt;dL/dz_i, f(t_i, z_i)&gt; for i &gt;= 1 and
/// dL/dt_0 = -&lt;a_0, f(t_0, z0)&gt;, where a_0 is the gradient reaching z0 through the solve.
/// </summary>
public enum OdeGradient
{
    /// <summary>
    /// Back-propagation through every solver step (discretise-then-optimise): the stage updates, the dynamics's
    /// ops and the dense-output interpolations are recorded on the active tape like any other ops, so the
    /// gradient is that of the discrete solve, and the backward pass may itself be recorded (second derivatives).
    /// Memory grows with the number of steps times the dynamics's saved activations: O(L Nt) for L solves of Nt
    /// steps each.
    /// </summary>
    Direct,

    /// <summary>
    /// The continuous adjoint (Chen et al. 2018): the solve is one node on the tape, which keeps only the outputs.
    /// Its backward pass integrates z, the adjoint a = dL/dz and the parameter adjoints a_theta backwards from the
    /// last output time to the first, adding each output's incoming gradient on the way, with its own tolerances
    /// (<see cref="OdeOptions.AdjointRtol"/>, <see cref="OdeOptions.AdjointAtol"/>, and optionally the seminorm,
    /// <see cref="OdeOptions.AdjointSeminorm"/>). Memory does not grow with the number of steps: O(L). The gradient
    /// approximates that of the exact flow and converges to it as the tolerances tighten, but it depends on
    /// reconstructing z backwards in time, which fails for strongly contracting dynamics (the reconstruction error
    /// grows like the inverse of the contraction): the gradient can then be far off. Second derivatives through it
    /// are not supported. f must be deterministic: the backward pass evaluates it at other points than the forward.
    /// </summary>
    Adjoint,

    /// <summary>
    /// ANODE checkpointing (Gholami, Keutzer, Biros 2019): the solve is one node on the tape that keeps only its
    /// input z0 (and the times and parameters). Its backward pass re-runs the forward from z0 without recording,
    /// taking exactly the accepted steps of the forward solve (also for adaptive solvers) and keeping the state at
    /// the start of each step, then back-propagates the outputs' gradients through one step at a time, from the last
    /// to the first, each on a short-lived inner tape. The gradient equals the Direct method's to rounding; memory is
    /// O(L) for the inputs of L solves plus O(Nt) states (one per step) and one step's activations for the solve
    /// being differentiated. The price: each step is evaluated three times in all instead of once (forward, re-run,
    /// back-propagation), the re-run forward being the extra cost over the Direct method. Second derivatives work
    /// (the re-run and the steps' back-propagation are then recorded on the outer tape, like the Direct method's). A
    /// random f (noise, dropout) draws in every evaluation of the re-run what it drew in the forward: the forward
    /// records where the generators stood, and the backward pass leaves them where it found them.
    /// </summary>
    Checkpointed,
}
